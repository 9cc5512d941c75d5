package dev.sqlitebackup.domain.model;

/** How deeply a copy's SQLite structure is checked. */
public enum VerifyLevel {
    /** {@code PRAGMA quick_check}: every page and b-tree, without index-content cross checks. */
    QUICK,
    /** {@code PRAGMA integrity_check}: everything quick does plus index contents; slower on large files. */
    FULL
}
