package dev.sqlitebackup.adapters.sqlite;

/** How a page-for-page snapshot (no VACUUM INTO) copies the live database. */
public enum PageCopy {
    /**
     * The database file copied by the kernel under SQLite's read lock, with the committed frames of its -wal laid over
     * it; SQLite's online backup API whenever a precondition of that fails.
     */
    RAW,
    /** SQLite's online backup API, page by page through SQLite. */
    API
}
