package dev.sqlitebackup.domain.model;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** What a successful run produced: the new backup, where it is, how long it took and what retention did. */
public record RunResult(SourceDatabase source, Backup backup, Path file, Instant startedAt, Duration duration,
        RetentionPlan retention, int leftoversSwept) {
}
