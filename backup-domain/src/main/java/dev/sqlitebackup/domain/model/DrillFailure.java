package dev.sqlitebackup.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A restore drill that failed: the latest backup (local, or the off-site copy) could not be restored and proven
 * sound, and why ({@code integrity_check: ...}, {@code assertion users: 0, expected >= 1}, a wrong key).
 */
public record DrillFailure(String databaseName, Instant finishedAt, Optional<BackupName> backup, boolean remote,
        String problem) {

    public DrillFailure {
        Objects.requireNonNull(databaseName, "databaseName");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(problem, "problem");
    }
}
