package dev.sqlitebackup.domain.model;

import java.util.Optional;

/** A backup's bytes against the SHA-256 its sidecar records. */
public record ChecksumCheck(Status status, Optional<String> recorded, String actual) {

    public enum Status { MATCH, MISMATCH, NO_SIDECAR }

    public static ChecksumCheck of(Optional<String> recorded, String actual) {
        Status status = recorded.map(r -> r.equalsIgnoreCase(actual) ? Status.MATCH : Status.MISMATCH)
                .orElse(Status.NO_SIDECAR);
        return new ChecksumCheck(status, recorded, actual);
    }

    public String summary() {
        return switch (status) {
            case MATCH -> "sha256 ok";
            case MISMATCH -> "sha256 MISMATCH (sidecar " + recorded.orElseThrow() + ", file " + actual + ")";
            case NO_SIDECAR -> "no sidecar, checksum not verified";
        };
    }
}
