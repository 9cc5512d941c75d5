package dev.sqlitebackup.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished backup in a backup folder: its name, size and the SHA-256 its sidecar records (empty when the backup
 * has no sidecar, e.g. a file copied in by hand).
 */
public record Backup(BackupName name, long sizeBytes, Optional<String> recordedSha256) {

    public Backup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(recordedSha256, "recordedSha256");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("negative size: " + sizeBytes);
        }
    }

    public Instant takenAt() {
        return name.instant();
    }
}
