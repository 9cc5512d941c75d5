package dev.sqlitebackup.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A table shrank by more than the drift limit, or disappeared, since the previous backup: the new backup was
 * published, and the previous one pinned until {@code until} ({@code table messages: 120,433 -> 12 rows}).
 */
public record DriftAlert(String databaseName, Instant at, BackupName pinned, Instant until, List<String> changes) {

    public DriftAlert {
        Objects.requireNonNull(databaseName, "databaseName");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(pinned, "pinned");
        Objects.requireNonNull(until, "until");
        changes = List.copyOf(changes);
    }
}
