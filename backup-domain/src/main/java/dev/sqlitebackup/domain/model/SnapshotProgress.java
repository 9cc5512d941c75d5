package dev.sqlitebackup.domain.model;

/** Hears how far a snapshot has got, for a progress display. Called from any thread; must be cheap. */
@FunctionalInterface
public interface SnapshotProgress {
    SnapshotProgress NONE = (written, total) -> { };

    /** {@code written} bytes of the copy exist so far, of about {@code expectedTotal} (the source's size). */
    void update(long written, long expectedTotal);
}
