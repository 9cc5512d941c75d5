package dev.sqlitebackup.domain.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A backup's bytes against the SHA-256 its sidecar records. It passes when they match, and when there is no sidecar
 * (reported, not failed); it fails on a mismatch, on a sidecar that exists but is damaged, and when the backup's
 * bytes cannot be read.
 *
 * @param actual      the SHA-256 of the bytes; empty only when they could not be read
 * @param readProblem why the bytes could not be read; present exactly when the status is {@code UNREADABLE}
 */
public record ChecksumCheck(Status status, Sidecar sidecar, Optional<String> actual, Optional<String> readProblem) {

    public enum Status { MATCH, MISMATCH, NO_SIDECAR, DAMAGED_SIDECAR, UNREADABLE }

    public ChecksumCheck {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(sidecar, "sidecar");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(readProblem, "readProblem");
        if ((status == Status.UNREADABLE) != readProblem.isPresent() || readProblem.isPresent() == actual.isPresent()) {
            throw new IllegalArgumentException("a check has either the bytes' SHA-256 or why they could not be read");
        }
    }

    /** Compares the SHA-256 of the bytes with what the sidecar says. */
    public static ChecksumCheck of(Sidecar sidecar, String actual) {
        Status status;
        if (sidecar instanceof Sidecar.Recorded recorded) {
            status = recorded.hex().equalsIgnoreCase(actual) ? Status.MATCH : Status.MISMATCH;
        } else if (sidecar instanceof Sidecar.Damaged) {
            status = Status.DAMAGED_SIDECAR;
        } else {
            status = Status.NO_SIDECAR;
        }
        return new ChecksumCheck(status, sidecar, Optional.of(actual), Optional.empty());
    }

    /** Compares with a SHA-256 recorded elsewhere (an off-site copy's tag); empty when none was recorded. */
    public static ChecksumCheck of(Optional<String> recorded, String actual) {
        return of(Sidecar.of(recorded), actual);
    }

    /** The backup's bytes could not be read, so nothing could be compared. */
    public static ChecksumCheck unreadable(Sidecar sidecar, String problem) {
        return new ChecksumCheck(Status.UNREADABLE, sidecar, Optional.empty(), Optional.of(problem));
    }

    /** The SHA-256 the sidecar records, when it records one. */
    public Optional<String> recorded() {
        return sidecar.sha256();
    }

    /** Whether the bytes are as recorded, or there is no record to hold them to. */
    public boolean passed() {
        return status == Status.MATCH || status == Status.NO_SIDECAR;
    }

    public String summary() {
        return switch (status) {
            case MATCH -> "sha256 ok";
            case MISMATCH -> "sha256 MISMATCH (sidecar " + recorded().orElseThrow() + ", file " + actual.orElseThrow()
                    + ")";
            case NO_SIDECAR -> "no sidecar, checksum not verified";
            case DAMAGED_SIDECAR -> "sidecar DAMAGED: " + ((Sidecar.Damaged) sidecar).problem();
            case UNREADABLE -> "backup UNREADABLE: " + readProblem.orElseThrow();
        };
    }
}
