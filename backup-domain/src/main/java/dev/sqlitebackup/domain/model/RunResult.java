package dev.sqlitebackup.domain.model;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a successful run produced: the new backup, where it is, how long it took and what retention did; with an
 * off-site store, the remote copy and what remote retention did.
 *
 * @param duration the backup itself: from the start of the copy until it had its final name (copy, check, checksum,
 *                 publish); not retention's deletions, not the off-site copy
 */
public record RunResult(SourceDatabase source, Backup backup, Path file, Instant startedAt, Duration duration,
        RetentionPlan retention, int leftoversSwept, Optional<RemoteBackup> remote,
        Optional<RetentionPlan> remoteRetention) {

    public RunResult {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(remoteRetention, "remoteRetention");
    }

    /** The same run, with its off-site copy made. */
    public RunResult withRemote(RemoteBackup copy, RetentionPlan plan) {
        return new RunResult(source, backup, file, startedAt, duration, retention, leftoversSwept,
                Optional.of(copy), Optional.of(plan));
    }
}
