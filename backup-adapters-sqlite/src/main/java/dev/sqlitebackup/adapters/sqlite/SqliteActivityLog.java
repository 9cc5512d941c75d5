package dev.sqlitebackup.adapters.sqlite;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.model.TableCount;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Adapter: the activity log in an SQLite state database ({@code BACKUP_DIR/.sqlite-backup/state.db} by default),
 * its table created on first use, in WAL mode so {@code history} can read while a daemon writes. A state database
 * that cannot be written is warned about and never fails a run. Each run is recorded with its database, and a log for
 * a database reads only that database's runs (and those recorded before runs had a database), so two installations
 * can share one state database without counting each other's runs.
 */
// Times are stored as fixed-width UTC text (2026-08-18T03:00:00.000Z): readable in sqlite3 and ordered as text.
public final class SqliteActivityLog implements ActivityLog {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteActivityLog.class);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS runs ("
            + "id INTEGER PRIMARY KEY AUTOINCREMENT, "
            + "trigger TEXT NOT NULL, "
            + "started_at TEXT NOT NULL, "
            + "ended_at TEXT, "
            + "outcome TEXT, "
            + "backup_name TEXT, "
            + "size_bytes INTEGER, "
            + "remote_id TEXT, "
            + "error TEXT, "
            + "database TEXT, "
            + "database_name TEXT, "
            + "tables TEXT)";
    /**
     * The schema grows by columns, each added to older state databases on their first write (readers check that a
     * column exists before they filter on it): {@code database} (the database's path, since runs recorded it), then
     * {@code database_name} (its name in a config file of many databases), then {@code tables} (the row counts of
     * the backup the run made: {@code messages=120433&big~=12000000}, names URL-encoded, {@code ~} an estimate).
     */
    private static final List<String> ADDED_COLUMNS = List.of("database", "database_name", "tables");
    private static final String COLUMNS =
            "id, trigger, started_at, ended_at, outcome, backup_name, size_bytes, remote_id, error";

    private final Path file;
    private final Optional<DatabaseIdentity> database;
    private final Optional<String> databaseName;
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_READ_WRITE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** Below this much free space a failure to write the log is the full disk's, which the run reports itself. */
    private static final long FULL_BELOW_BYTES = 1L << 20;

    private static final int CLOSE_AT_EXIT_SECONDS = 30;
    private static final ExecutorService CLOSING_THREADS = SideThreads.pool("sqlite-backup-state-close");
    /** The closes {@link #closeLater} has started and not finished. */
    private static final Set<CompletableFuture<Void>> CLOSING = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    allClosing().get(CLOSE_AT_EXIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException | ExecutionException | TimeoutException e) {
                    // exiting anyway: SQLite recovers a -wal left behind at the next opening
                }
            }, "sqlite-backup-state-close-at-exit"));
        } catch (IllegalStateException exiting) {
            // loaded while the JVM shuts down: nothing will be closed later
        }
    }

    /** The connections kept from a run's start to its end ({@link #keep}). */
    private final List<Kept> kept = new ArrayList<>();

    private record Kept(long id, Thread owner, Connection connection) {
    }

    /** The last warning given, so a broken log says so once rather than at every step of every run. */
    private volatile String lastWarning;

    /**
     * The runs of {@code database} named {@code databaseName} in a config file of many (and those recorded before
     * runs had a database, or a name); new runs are recorded with both. A name tells apart the runs of databases that
     * share one state database even where the database itself is unknown (a run refused for its settings).
     */
    public SqliteActivityLog(Path file, Optional<DatabaseIdentity> database, Optional<String> databaseName) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
        this.database = Objects.requireNonNull(database, "database");
        this.databaseName = Objects.requireNonNull(databaseName, "databaseName");
    }

    /** The runs of {@code database}; for no database, every run in the file (and runs recorded without one). */
    public SqliteActivityLog(Path file, Optional<DatabaseIdentity> database) {
        this(file, database, Optional.empty());
    }

    /** Every run in the file, and new runs recorded without a database. */
    public SqliteActivityLog(Path file) {
        this(file, Optional.empty());
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public RunRecord start(RunTrigger trigger, Instant startedAt) {
        RunRecord record = RunRecord.started(0, trigger, startedAt);
        Connection c = null;
        try {
            c = openForWriting();
            RunRecord stored = record.withId(insert(c, record));
            lastWarning = null;
            keep(stored.id(), c);
            return stored;
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(c);
            warn(e);
            return record;
        }
    }

    /**
     * Records the run's end, committed before this returns; the connection is then closed on another thread
     * ({@link #closeLater}).
     */
    @Override
    public void finish(RunRecord ended) {
        Optional<Connection> kept = release(ended.id());
        Connection c = null;
        try {
            c = kept.isPresent() ? kept.get() : openForWriting();
            if (ended.id() == 0 || !update(c, ended)) {
                insert(c, ended);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            warn(e);
        } finally {
            closeLater(c);
        }
    }

    /**
     * Closes {@code c} on a pooled thread. The last connection's close checkpoints the WAL into the state database
     * and removes it (two fsyncs, about a tenth of a small backup's time): a run of many databases need not wait for
     * that before its next backup, since the run's rows are committed already. A JVM that exits waits for these
     * closes (a shutdown hook, up to {@value #CLOSE_AT_EXIT_SECONDS} s), so a finished process leaves no -wal or
     * -shm behind; {@link #awaitClosed()} waits for them at any time.
     */
    private static void closeLater(Connection c) {
        if (c == null) {
            return;
        }
        CompletableFuture<Void> closing;
        try {
            closing = CompletableFuture.runAsync(() -> closeQuietly(c), CLOSING_THREADS);
        } catch (RejectedExecutionException rejected) {
            closeQuietly(c);
            return;
        }
        CLOSING.add(closing);
        closing.whenComplete((closed, never) -> CLOSING.remove(closing));
    }

    /** Waits until every connection handed to {@link #closeLater} so far is closed. */
    public static void awaitClosed() {
        allClosing().join();
    }

    private static CompletableFuture<Void> allClosing() {
        return CompletableFuture.allOf(CLOSING.toArray(CompletableFuture[]::new));
    }

    /**
     * Keeps the connection a run's start opened until that run's end, so that one run opens the state database once
     * (each opening and closing in WAL mode makes and removes its -wal and -shm, and syncs them); the same thread's
     * reads in between use it too. A connection this thread kept for a run that never ended is closed first.
     */
    private void keep(long id, Connection c) {
        synchronized (kept) {
            kept.removeIf(k -> {
                if (k.owner() == Thread.currentThread()) {
                    closeQuietly(k.connection());
                    return true;
                }
                return false;
            });
            kept.add(new Kept(id, Thread.currentThread(), c));
        }
    }

    /** The connection kept for the run {@code id}, no longer kept: its end closes it. */
    private Optional<Connection> release(long id) {
        synchronized (kept) {
            for (Iterator<Kept> i = kept.iterator(); i.hasNext(); ) {
                Kept k = i.next();
                if (id != 0 && k.id() == id) {
                    i.remove();
                    return Optional.of(k.connection());
                }
            }
            return Optional.empty();
        }
    }

    /** The connection this thread's unfinished run keeps, if any. */
    private Optional<Connection> keptByThisThread() {
        synchronized (kept) {
            return kept.stream().filter(k -> k.owner() == Thread.currentThread()).map(Kept::connection).findFirst();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing the state database failed: {}", e.toString());
        }
    }

    @Override
    public List<RunRecord> recent(int limit) {
        return read("", "ORDER BY started_at DESC, id DESC LIMIT " + limit);
    }

    @Override
    public Optional<RunRecord> lastSuccess() {
        return read("outcome = 'success' AND trigger <> 'drill'", "ORDER BY ended_at DESC, id DESC LIMIT 1").stream()
                .findFirst();
    }

    @Override
    public Optional<RunRecord> lastProven() {
        return read("outcome = 'success' AND trigger = 'drill'", "ORDER BY ended_at DESC, id DESC LIMIT 1").stream()
                .findFirst();
    }

    /** The runs matching {@code condition} (none: all) of this log's database, in {@code order}. */
    private List<RunRecord> read(String condition, String order) {
        try {
            Optional<Connection> mine = keptByThisThread();
            if (mine.isPresent()) {
                return read(mine.get(), condition, order);
            }
            if (!Files.exists(file)) {
                return List.of(); // reading never creates the state database
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
            try (Connection c = config.createConnection("jdbc:sqlite:" + file)) {
                return read(c, condition, order);
            }
        } catch (SQLException | RuntimeException e) {
            throw new BackupFailedException("state database " + file + " cannot be read: " + oneLine(e), e);
        }
    }

    private List<RunRecord> read(Connection c, String condition, String order) throws SQLException {
        Set<String> columns = columns(c);
        if (columns.isEmpty()) {
            return List.of(); // no runs table yet
        }
        List<String> conditions = new ArrayList<>();
        if (!condition.isEmpty()) {
            conditions.add(condition);
        }
        // a state database from before runs had a database: all its runs are from before
        boolean byDatabase = database.isPresent() && columns.contains("database");
        if (byDatabase) {
            conditions.add("(database = ? OR database IS NULL)");
        }
        boolean byName = databaseName.isPresent() && columns.contains("database_name");
        if (byName) {
            conditions.add("(database_name = ? OR database_name IS NULL)");
        }
        String query = "SELECT " + COLUMNS + (columns.contains("tables") ? ", tables" : ", NULL AS tables")
                + " FROM runs "
                + (conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions) + " ") + order;
        List<RunRecord> runs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            int parameter = 1;
            if (byDatabase) {
                ps.setString(parameter++, database.get().value());
            }
            if (byName) {
                ps.setString(parameter, databaseName.get());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(toRecord(rs));
                }
            }
        }
        return runs;
    }

    /** The runs table's columns, in one query; none when there is no such table. */
    private static Set<String> columns(Connection c) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(runs)")) {
            while (rs.next()) {
                columns.add(rs.getString("name"));
            }
        }
        return columns;
    }

    private Connection openForWriting() throws SQLException, IOException {
        createOwnerOnly();
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute(SCHEMA);
            Set<String> columns = columns(c);
            for (String column : ADDED_COLUMNS) {
                if (!columns.contains(column)) {
                    try {
                        s.execute("ALTER TABLE runs ADD COLUMN " + column + " TEXT");
                    } catch (SQLException raced) {
                        if (!columns(c).contains(column)) { // another process may have added it in between
                            throw raced;
                        }
                    }
                }
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * The state database holds backup names and errors about someone's data: owner-only, like the backups. A new one
     * is made whole under a temporary name (its table, already in WAL mode), flushed once and linked to its name,
     * which never replaces one another process made meanwhile. Opening an empty file in WAL mode instead made SQLite
     * switch it with a rollback journal (one more file and fsync on every folder's first run), and a crash in
     * between left no half-made state database either way.
     */
    private void createOwnerOnly() throws IOException, SQLException {
        if (Files.exists(file)) {
            return;
        }
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path made = file.resolveSibling("." + file.getFileName() + ".new-" + ProcessHandle.current().pid() + "-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        try {
            Files.createFile(made, OWNER_READ_WRITE);
            SQLiteConfig unsynced = new SQLiteConfig(); // nothing to protect until it has its name
            unsynced.setJournalMode(SQLiteConfig.JournalMode.OFF);
            unsynced.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
            try (Connection c = unsynced.createConnection("jdbc:sqlite:" + made);
                    Statement s = c.createStatement()) {
                s.execute(SCHEMA);
                s.execute("PRAGMA journal_mode=WAL");
            }
            try (FileChannel channel = FileChannel.open(made, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                channel.force(true);
            }
            try {
                Files.createLink(file, made);
            } catch (FileAlreadyExistsException raced) {
                return; // another process made it first
            } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
                // a file system without hard links: an empty file, which SQLite makes a database of when opened
                try {
                    Files.createFile(file, OWNER_READ_WRITE);
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first
                }
                return;
            }
            if (parent != null) {
                try (FileChannel directory = FileChannel.open(parent, StandardOpenOption.READ)) {
                    directory.force(true);
                }
            }
        } finally {
            for (String suffix : List.of("", "-journal", "-wal", "-shm")) {
                Files.deleteIfExists(made.resolveSibling(made.getFileName() + suffix));
            }
        }
    }

    private long insert(Connection c, RunRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (trigger, started_at, ended_at, outcome, "
                + "backup_name, size_bytes, remote_id, error, database, database_name, tables) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, r.trigger().label());
            ps.setString(2, TIME.format(r.startedAt()));
            bindEnd(ps, 3, r);
            ps.setString(9, database.map(DatabaseIdentity::value).orElse(null));
            ps.setString(10, databaseName.orElse(null));
            ps.setString(11, encode(r.tables()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no id for the new run");
                }
                return keys.getLong(1);
            }
        }
    }

    private static boolean update(Connection c, RunRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET ended_at = ?, outcome = ?, backup_name = ?, "
                + "size_bytes = ?, remote_id = ?, error = ?, tables = ? WHERE id = ?")) {
            bindEnd(ps, 1, r);
            ps.setString(7, encode(r.tables()));
            ps.setLong(8, r.id());
            return ps.executeUpdate() == 1;
        }
    }

    /** Binds ended_at, outcome, backup_name, size_bytes, remote_id and error from parameter {@code first} on. */
    private static void bindEnd(PreparedStatement ps, int first, RunRecord r) throws SQLException {
        ps.setString(first, r.endedAt().map(TIME::format).orElse(null));
        ps.setString(first + 1, r.outcome().map(RunRecord.Outcome::label).orElse(null));
        ps.setString(first + 2, r.backup().map(BackupName::value).orElse(null));
        if (r.sizeBytes().isPresent()) {
            ps.setLong(first + 3, r.sizeBytes().getAsLong());
        } else {
            ps.setNull(first + 3, Types.INTEGER);
        }
        ps.setString(first + 4, r.remoteId().orElse(null));
        ps.setString(first + 5, r.error().orElse(null));
    }

    private static RunRecord toRecord(ResultSet rs) throws SQLException {
        long size = rs.getLong("size_bytes");
        boolean hasSize = !rs.wasNull();
        String trigger = rs.getString("trigger");
        String outcome = rs.getString("outcome");
        return new RunRecord(rs.getLong("id"),
                RunTrigger.ofLabel(trigger).orElseThrow(() -> new IllegalStateException("unknown trigger " + trigger)),
                parseTime(rs.getString("started_at")),
                Optional.ofNullable(rs.getString("ended_at")).map(SqliteActivityLog::parseTime),
                Optional.ofNullable(outcome).map(o -> RunRecord.Outcome.ofLabel(o)
                        .orElseThrow(() -> new IllegalStateException("unknown outcome " + o))),
                Optional.ofNullable(rs.getString("backup_name")).flatMap(BackupName::parse),
                hasSize ? OptionalLong.of(size) : OptionalLong.empty(),
                Optional.ofNullable(rs.getString("remote_id")),
                Optional.ofNullable(rs.getString("error")),
                decode(rs.getString("tables")));
    }

    /** {@code messages=120433&big~=12000000}: names URL-encoded, {@code ~} before {@code =} for an estimate. */
    static String encode(List<TableCount> tables) {
        return tables.isEmpty() ? null : TableCount.encode(tables, '&');
    }

    /** The counts {@link #encode} wrote. */
    static List<TableCount> decode(String text) {
        return text == null || text.isEmpty() ? List.of() : TableCount.decode(text, '&');
    }

    private static Instant parseTime(String text) {
        return Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
    }

    private void warn(Exception e) {
        String warning = "activity log " + file + " is not usable, the run goes on without being recorded: "
                + oneLine(e);
        if (!warning.equals(lastWarning)) {
            lastWarning = warning;
            if (diskFull()) {
                // the run cannot write its backup either and says "no space left" in its one error line
                LOG.debug(warning);
            } else {
                LOG.warn(warning);
            }
        }
        LOG.debug("activity log failure", e);
    }

    /** Whether the state database's filesystem has (next to) no room left. */
    private boolean diskFull() {
        try {
            Path folder = file.toAbsolutePath().getParent();
            while (folder != null && !Files.exists(folder)) {
                folder = folder.getParent();
            }
            return folder != null && Files.getFileStore(folder).getUsableSpace() < FULL_BELOW_BYTES;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
