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
