package dev.sqlitebackup.domain.model;

import java.util.Objects;

/**
 * The rows of one table of a backup: counted ({@code count(*)}), or, for a huge table, SQLite's estimate from
 * {@code sqlite_stat1} ({@code estimated}).
 */
public record TableCount(String table, long rows, boolean estimated) {

    public TableCount {
        Objects.requireNonNull(table, "table");
        if (rows < 0) {
            throw new IllegalArgumentException("negative row count for " + table);
        }
    }
}
