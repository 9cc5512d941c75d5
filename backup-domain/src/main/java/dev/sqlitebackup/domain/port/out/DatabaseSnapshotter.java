package dev.sqlitebackup.domain.port.out;

import dev.sqlitebackup.domain.model.AssertionResult;
import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.SourceDatabase;
import dev.sqlitebackup.domain.model.TableCount;
import dev.sqlitebackup.domain.model.VerifyLevel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Out-port: takes consistent copies of the live database and checks the integrity of copies. */
public interface DatabaseSnapshotter {

    /**
     * Looks at the live database file without changing or creating anything.
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException  when it is missing, a directory or unreadable
     * @throws dev.sqlitebackup.domain.model.BackupFailedException   when it is not an SQLite database
     */
    SourceDatabase inspect(Path database);

    /**
     * Writes a transactionally consistent copy of the live database into {@code target}, an empty file that exists,
     * without modifying the database, without blocking its writers in WAL mode and without forcing a checkpoint.
     *
     * @param compact VACUUM INTO the copy rather than copying it page for page
     */
    void snapshot(Path database, Path target, boolean compact, SnapshotProgress progress);

    /** A copy's SHA-256 (lowercase hex) and size, taken from the copy's own bytes. */
    record CopyChecksum(String sha256, long sizeBytes) {
        public CopyChecksum {
            if (sha256 == null || !sha256.matches("[0-9a-f]{64}") || sizeBytes < 0) {
                throw new IllegalArgumentException("not a SHA-256 and size: " + sha256 + ", " + sizeBytes);
            }
        }
    }

    /**
     * As {@link #snapshot}, and the copy's checksum when the copy was hashed as it was written (from the bytes that
     * landed in {@code target}, never the source's), so that it need not be read once more; empty when it was not.
     * The copy is complete on return; its checksum may still be being finished (the last part hashed) on another
     * core, which the future completes with (or fails with, when the copy could not be read back as written).
     */
    default CompletableFuture<Optional<CopyChecksum>> snapshotHashed(Path database, Path target, boolean compact,
            SnapshotProgress progress) {
        snapshot(database, target, compact, progress);
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /** Runs SQLite's own check on a copy without modifying it or leaving files beside it. */
    IntegrityReport check(Path copy, VerifyLevel level);

    /**
     * Runs each assertion's query on the copy, opened read-only, and returns what each found, in order; a query that
     * fails is a result with its error, never an exception. Changes nothing.
     */
    List<AssertionResult> evaluate(Path copy, List<DataAssertion> assertions);

    /**
     * The rows of each table of the copy (opened read-only): {@code count(*)}, or for a table SQLite's statistics
     * call huge, their estimate. Tables it cannot count are left out. Changes nothing.
     */
    List<TableCount> countRows(Path copy);

    /**
     * Another process that has the database open, as far as this one can tell (e.g. {@code "pid 1234 (java)"}), or
     * empty when none is seen. Changes nothing, and never waits for the other process.
     */
    Optional<String> openElsewhere(Path database);
}
