package dev.sqlitebackup.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the backups stand: the last successful run (from the activity log, or the newest backup in the folder when
 * the log has none), the last run of any outcome, and the local backups.
 *
 * @param lastSuccessAt when the last successful backup finished
 * @param lastSuccess   the backup it made
 * @param lastRun       the last run the log knows, of any outcome
 * @param logProblem    why the activity log could not be read, when it could not
 */
public record BackupStatus(Optional<Instant> lastSuccessAt, Optional<BackupName> lastSuccess,
        Optional<RunRecord> lastRun, int backupCount, long totalBytes, Optional<String> logProblem) {

    public BackupStatus {
        Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        Objects.requireNonNull(lastRun, "lastRun");
        Objects.requireNonNull(logProblem, "logProblem");
        if (backupCount < 0 || totalBytes < 0) {
            throw new IllegalArgumentException("negative count or size");
        }
    }

    /** How long ago the last success was; empty when there was none. */
    public Optional<Duration> age(Instant now) {
        return lastSuccessAt.map(at -> Duration.between(at, now));
    }

    /** Whether a backup succeeded within {@code maxAge} before {@code now}. */
    public boolean freshWithin(Duration maxAge, Instant now) {
        return age(now).map(a -> a.compareTo(maxAge) <= 0).orElse(false);
    }
}
