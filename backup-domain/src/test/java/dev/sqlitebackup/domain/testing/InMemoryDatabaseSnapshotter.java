package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.AssertionResult;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.SourceDatabase;
import dev.sqlitebackup.domain.model.TableCount;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory {@link DatabaseSnapshotter} of one database at a given path: the "database" is a counter; each snapshot writes its current state into
 * the shared {@link InMemoryFiles}. A copy whose content starts with {@code CORRUPT} fails the integrity check.
 */
public final class InMemoryDatabaseSnapshotter implements DatabaseSnapshotter {

    private static final String CORRUPT = "CORRUPT";

    private final InMemoryFiles files;
    private final Path database;
    private final AtomicInteger state = new AtomicInteger();
    private final AtomicInteger snapshots = new AtomicInteger();
    private volatile RuntimeException inspectFailure;
    private volatile RuntimeException snapshotFailure;
    private volatile boolean nextCopyCorrupt;
    private final Map<Path, String> openBy = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> answers = new ConcurrentHashMap<>();
    private final List<Path> evaluated = new java.util.concurrent.CopyOnWriteArrayList<>();

    public InMemoryDatabaseSnapshotter(InMemoryFiles files, Path database) {
        this.files = files;
        this.database = database;
    }

    /** The source is missing: {@link #inspect()} fails as the real adapter does for a missing file. */
    public void databaseMissing() {
        inspectFailure = new InvalidInputException("database " + database + " does not exist");
    }

    /** The next snapshot fails, e.g. with a {@link BackupFailedException} for a full disk. */
    public void failNextSnapshot(RuntimeException failure) {
        snapshotFailure = failure;
    }

    /** The next copy is written corrupt, as from a database with a damaged page. */
    public void corruptNextCopy() {
        nextCopyCorrupt = true;
    }

    /** A write to the live database: later copies differ from earlier ones. */
    public void commit() {
        state.incrementAndGet();
    }

    public int snapshotsTaken() {
        return snapshots.get();
    }

    /** The bytes a copy of the database's current state holds. */
    public byte[] currentState() {
        return ("in-memory database " + database + " state " + state.get()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public SourceDatabase inspect(Path path) {
        if (inspectFailure != null) {
            throw inspectFailure;
        }
        if (!path.equals(database)) {
            throw new InvalidInputException("database " + path + " does not exist");
        }
        return new SourceDatabase(database, currentState().length);
    }

    @Override
    public void snapshot(Path source, Path target, boolean compact, SnapshotProgress progress) {
        if (!source.equals(database)) {
            throw new BackupFailedException("backup of " + source + " failed: no such in-memory database");
        }
        RuntimeException failure = snapshotFailure;
        if (failure != null) {
            snapshotFailure = null;
            files.write(target, new byte[] {0x53, 0x51}); // a partial copy, as a crash mid-write leaves
            throw failure;
        }
        if (!files.exists(target)) {
            throw new IllegalStateException("snapshot target must exist: " + target);
        }
        byte[] content = currentState();
        if (nextCopyCorrupt) {
            nextCopyCorrupt = false;
            content = (CORRUPT + new String(content, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        files.write(target, content);
        snapshots.incrementAndGet();
        progress.update(content.length, content.length);
    }

    @Override
    public IntegrityReport check(Path copy, VerifyLevel level) {
        byte[] content = files.read(copy).orElseThrow(() -> new BackupFailedException(copy + " does not exist"));
        String text = new String(content, StandardCharsets.UTF_8);
        return text.startsWith(CORRUPT)
                ? new IntegrityReport(level, List.of("*** in database main *** Page 2: btreeInitPage() returns 11"))
                : IntegrityReport.passed(level);
    }

    /** From now on the query {@code sql} returns {@code value} on every copy; an unscripted query fails. */
    public void answer(String sql, long value) {
        answers.put(sql, BigDecimal.valueOf(value));
    }

    private volatile List<TableCount> rows = List.of();

    /** From now on every copy's tables have these row counts. */
    public void tablesHave(List<TableCount> counts) {
        rows = List.copyOf(counts);
    }

    @Override
    public List<TableCount> countRows(Path copy) {
        files.read(copy).orElseThrow(() -> new BackupFailedException(copy + " does not exist"));
        return rows;
    }

    /** The copies assertions were evaluated on, in order. */
    public List<Path> evaluatedCopies() {
        return List.copyOf(evaluated);
    }

    @Override
    public List<AssertionResult> evaluate(Path copy, List<DataAssertion> assertions) {
        files.read(copy).orElseThrow(() -> new BackupFailedException(copy + " does not exist"));
        evaluated.add(copy);
        return assertions.stream().map(a -> answers.containsKey(a.sql()) ? AssertionResult.of(a, answers.get(a.sql()))
                : AssertionResult.failed(a, "no such table (the query was not scripted)")).toList();
    }

    @Override
    public Optional<String> openElsewhere(Path file) {
        return Optional.ofNullable(openBy.get(file));
    }

    /** Another process opens {@code file} (as the application keeps its database open), until {@link #closedBy}. */
    public void openedBy(Path file, String who) {
        openBy.put(file, who);
    }

    public void closedBy(Path file) {
        openBy.remove(file);
    }
}
