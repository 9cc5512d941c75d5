package dev.sqlitebackup.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished backup in a backup folder: its name, size and what its sidecar says (the SHA-256 it records; missing,
 * e.g. for a file copied in by hand; or damaged).
 */
public record Backup(BackupName name, long sizeBytes, Sidecar sidecar) {

    public Backup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sidecar, "sidecar");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("negative size: " + sizeBytes);
        }
    }

    /** A backup whose SHA-256 is recorded ({@code recordedSha256} present) or not (empty). */
    public Backup(BackupName name, long sizeBytes, Optional<String> recordedSha256) {
        this(name, sizeBytes, Sidecar.of(recordedSha256));
    }

    /** The SHA-256 its sidecar records; empty when it has none or a damaged one. */
    public Optional<String> recordedSha256() {
        return sidecar.sha256();
    }

    public Instant takenAt() {
        return name.instant();
    }
}
