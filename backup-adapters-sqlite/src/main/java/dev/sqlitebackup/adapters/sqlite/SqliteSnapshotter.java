package dev.sqlitebackup.adapters.sqlite;

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
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapter: copies a live SQLite database (page for page with the {@link RawCopy raw copy} or SQLite's online backup
 * API, or compacted with VACUUM INTO), and checks copies.
 */
public final class SqliteSnapshotter implements DatabaseSnapshotter {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteSnapshotter.class);

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_SIZE = 100;
    /** A rollback-journal writer extends the file while it commits, so a live file can look truncated for a moment. */
    private static final int TRUNCATION_LOOKS = 3;
    private static final long TRUNCATION_PAUSE_MILLIS = 100;
    private static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);
    private static final int BACKUP_BUSY_SLEEP_MILLIS = 100;
    /** The whole copy in one step: one read transaction, so other connections' commits never restart it. */
    private static final int ALL_PAGES = -1;
    private static final long PROGRESS_INTERVAL_MILLIS = 250;
    private static final List<String> SIDE_FILE_SUFFIXES = List.of("-journal", "-wal", "-shm");
    private static final List<String> WAL_SIDE_FILES = List.of("-wal", "-shm");
    /** Header bytes 18 and 19, the file format write and read versions: 2 in WAL mode. */
    private static final int WAL_FORMAT = 2;
    private static final Pattern SQLITE_JDBC_MESSAGE = Pattern.compile("^\\[(\\w+)][^(]*\\((.*)\\)$", Pattern.DOTALL);

    private final Duration busyTimeout;
    /** How the copy is written to disk while SQLite makes it. */
    private final BackgroundDatasync.Settings datasync;
    private final PageCopy pageCopy;
    private final Optional<SQLiteConfig.LockingMode> lockingMode;
    /** Readies the hash that follows a copy not hashed as it lands. */
    private final HashWarmUp hashWarmUp;

    /** Page-for-page copies made raw, falling back to SQLite's online backup API where that cannot be used. */
    public SqliteSnapshotter() {
        this(PageCopy.RAW);
    }

    /** Page-for-page copies made as {@code pageCopy} says. */
    public SqliteSnapshotter(PageCopy pageCopy) {
        this(DEFAULT_BUSY_TIMEOUT, pageCopy, Optional.empty());
    }

    /** With how long to wait for a lock another connection holds on a rollback-journal database. */
    SqliteSnapshotter(Duration busyTimeout) {
        this(busyTimeout, PageCopy.RAW, Optional.empty());
    }

    /** With how long to wait for a lock, and how the copy is flushed to disk while it is written. */
    SqliteSnapshotter(Duration busyTimeout, BackgroundDatasync.Settings datasync) {
        this(busyTimeout, PageCopy.RAW, Optional.empty(), datasync, HashWarmUp.PROCESS);
    }

    /** With the warm-up of the hash that follows a copy not hashed as it lands. */
    SqliteSnapshotter(PageCopy pageCopy, HashWarmUp hashWarmUp) {
        this(DEFAULT_BUSY_TIMEOUT, pageCopy, Optional.empty(), BackgroundDatasync.Settings.DEFAULT, hashWarmUp);
    }

    /** With the locking mode the copy's own connection is opened in, when not SQLite's default. */
    SqliteSnapshotter(Duration busyTimeout, PageCopy pageCopy, Optional<SQLiteConfig.LockingMode> lockingMode) {
        this(busyTimeout, pageCopy, lockingMode, BackgroundDatasync.Settings.DEFAULT, HashWarmUp.PROCESS);
    }

    private SqliteSnapshotter(Duration busyTimeout, PageCopy pageCopy, Optional<SQLiteConfig.LockingMode> lockingMode,
            BackgroundDatasync.Settings datasync, HashWarmUp hashWarmUp) {
        this.busyTimeout = Objects.requireNonNull(busyTimeout, "busyTimeout");
        this.pageCopy = Objects.requireNonNull(pageCopy, "pageCopy");
        this.lockingMode = Objects.requireNonNull(lockingMode, "lockingMode");
        this.datasync = Objects.requireNonNull(datasync, "datasync");
        this.hashWarmUp = Objects.requireNonNull(hashWarmUp, "hashWarmUp");
    }

    @Override
    public SourceDatabase inspect(Path database) {
        try {
            // Files.exists says false for a file in a folder we may not search; that file is unreadable, not missing
            Files.readAttributes(database, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("database " + database + " does not exist");
        } catch (AccessDeniedException e) {
            throw notReadable(database);
        } catch (IOException e) {
            throw new InvalidInputException("database " + database + " cannot be read: " + cause(e));
        }
        if (Files.isDirectory(database)) {
            throw new InvalidInputException("database " + database + " is a directory, not an SQLite file");
        }
        if (!Files.isRegularFile(database)) {
            throw new InvalidInputException("database " + database + " is not a regular file");
        }
        if (!Files.isReadable(database)) {
            throw notReadable(database);
        }
        for (String suffix : WAL_SIDE_FILES) {
            Path side = sideFile(database, suffix);
            if (Files.exists(side, LinkOption.NOFOLLOW_LINKS) && !Files.isReadable(side)) {
                // SQLite would only say "unable to open database file"
                throw new InvalidInputException("database " + database + " cannot be read: " + side + " is not "
                        + "readable by user " + System.getProperty("user.name") + ": permission denied (a reader "
                        + "of a WAL database needs its -wal and -shm too)");
            }
        }
        for (int look = 1; ; look++) {
            Header header = readHeader(database);
            if (header.sizeBytes() >= header.expectedBytes()) {
                return new SourceDatabase(database, header.sizeBytes());
            }
            if (header.walMode() && header.sizeBytes() >= HEADER_SIZE) {
                // A checkpoint writes page 1 first and extends the file last, for as long as copying a large WAL
                // takes; the size that counts is then in the WAL. The snapshot's own read decides: SQLite calls a
                // file that is really too short malformed.
                LOG.debug("{} is {} bytes, its header says {}: WAL mode, SQLite's read decides", database,
                        header.sizeBytes(), header.expectedBytes());
                return new SourceDatabase(database, header.sizeBytes());
            }
            if (look == TRUNCATION_LOOKS) {
                throw new BackupFailedException("database " + database + " is truncated: " + header.sizeBytes()
                        + " bytes, header says " + header.expectedBytes());
            }
            pause(TRUNCATION_PAUSE_MILLIS);
        }
    }

    /** What the first 100 bytes say the file's size must be at least, its size read just after them, its mode. */
    private record Header(long sizeBytes, long expectedBytes, boolean walMode) {
    }

    private static Header readHeader(Path database) {
        try (FileChannel channel = FileChannel.open(database, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
            while (header.hasRemaining() && channel.read(header) >= 0) {
                // read until the header is full or the file ends
            }
            long size = channel.size();
            header.flip();
            if (header.limit() == 0 && size == 0) {
                throw new BackupFailedException("database " + database + " is empty (0 bytes), not an SQLite database");
            }
            byte[] magic = new byte[Math.min(MAGIC.length, header.limit())];
            header.get(0, magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw badHeader(database);
            }
            if (header.limit() < HEADER_SIZE) {
                return new Header(size, HEADER_SIZE, false);
            }
            int pageSize = pageSize(header.getShort(16) & 0xFFFF);
            if (pageSize < 0) {
                throw badHeader(database);
            }
            int changeCounter = header.getInt(24);
            long pagesInHeader = Integer.toUnsignedLong(header.getInt(28));
            int versionValidFor = header.getInt(92);
            // The in-header size is only trustworthy when written by a version that maintains it (file format 1.3.2.1).
            boolean sizeValid = versionValidFor == changeCounter && pagesInHeader > 0;
            boolean walMode = header.get(18) == WAL_FORMAT && header.get(19) == WAL_FORMAT;
            return new Header(size, sizeValid ? pageSize * pagesInHeader : pageSize, walMode);
        } catch (AccessDeniedException e) {
            throw notReadable(database);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("database " + database + " does not exist");
        } catch (IOException e) {
            throw new BackupFailedException("database " + database + " could not be read: " + cause(e), e);
        }
    }

    /** The page size the header's raw value stands for, or -1 when it is not a power of two from 512 to 65536. */
    private static int pageSize(int raw) {
        int size = raw == 1 ? 65_536 : raw;
        return size >= 512 && size <= 65_536 && Integer.bitCount(size) == 1 ? size : -1;
    }

    private static InvalidInputException notReadable(Path database) {
        return new InvalidInputException("database " + database + " is not readable: permission denied");
    }

    private static BackupFailedException badHeader(Path database) {
        return new BackupFailedException("database " + database + " is not an SQLite database (bad header)");
    }

    @Override
    public void snapshot(Path database, Path target, boolean compact, SnapshotProgress progress) {
        snapshotHashed(database, target, compact, progress);
    }

    /** The raw copy hashes each part of the copy as it lands; VACUUM INTO and the online backup API do not. */
    @Override
    public CompletableFuture<Optional<CopyChecksum>> snapshotHashed(Path database, Path target, boolean compact,
            SnapshotProgress progress) {
        Path copy = target.toAbsolutePath();
        CompletableFuture<Optional<CopyChecksum>> checksum = CompletableFuture.completedFuture(Optional.empty());
        if (!Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS)) {
            // SQLite would create it with the umask's mode; the repository makes it owner-only
            throw new IllegalStateException("snapshot target must be an existing file: " + copy);
        }
        long sourceSize = sizeOrZero(database);
        long started = System.nanoTime();
        List<Path> found = requireSideFilesThatCanBeUndone(database);
        RawSource raw = compact || pageCopy == PageCopy.API ? RawSource.NONE : RawSource.open(database);
        // Closed in reverse order: SQLite's connection before the copy's side descriptor (opened before SQLite
        // opens the copy) and the raw descriptor, whose close drops the process's POSIX locks on the database.
        try (raw; SizePoller poller = new SizePoller(copy, sourceSize, progress);
                BackgroundDatasync written = BackgroundDatasync.start(copy, datasync,
                        sourceSize + sizeOrZero(sideFile(database, "-wal")));
                SQLiteConnection source = openSource(database)) {
            poller.start();
            String method;
            if (compact) {
                hashWarmUp.beforeCopy(sourceSize);
                vacuumInto(source, copy);
                method = "VACUUM INTO";
            } else if (raw.channel().isPresent()) {
                RawCopy.Outcome outcome = RawCopy.copy(raw.channel().get(), source, database, copy, written);
                Optional<String> notPossible = outcome.notPossible();
                notPossible.ifPresent(why -> fallBack(database, why));
                if (notPossible.isPresent()) {
                    hashWarmUp.beforeCopy(sourceSize);
                    onlineBackup(database, source, copy);
                } else {
                    // the digest's own future: its failure is the IOException itself, never wrapped
                    checksum = outcome.checksum().handle((sum, e) -> {
                        if (e != null) {
                            throw failure(database, 0, "the copy could not be hashed as it was written: "
                                    + e.getMessage(), copy, e);
                        }
                        return Optional.of(sum);
                    });
                }
                method = notPossible.isPresent() ? "online backup" : "raw copy";
            } else {
                raw.notPossible().ifPresent(why -> fallBack(database, why));
                hashWarmUp.beforeCopy(sourceSize);
                onlineBackup(database, source, copy);
                method = "online backup";
            }
            LOG.debug("{} of {} ({} bytes) into {} in {} ms, {} background flushes", method, database, sourceSize,
                    copy.getFileName(), (System.nanoTime() - started) / 1_000_000, written.flushes());
        } catch (SQLException e) {
            throw failure(database, e.getErrorCode(), sqliteMessage(e), copy, e);
        } catch (IOException e) {
            // the raw copy failed, or the copy could not be flushed to disk (or opened to be)
            throw failure(database, 0, cause(e), copy, e);
        } finally {
            removeSideFiles(copy);
            removeCreatedSideFiles(database, found);
        }
        progress.update(sizeOrZero(copy), sourceSize);
        return checksum;
    }

    private static void fallBack(Path database, String why) {
        LOG.warn("raw copy of {} not possible, using SQLite's online backup API: {}", database, why);
    }

    /** The raw copy's descriptor on the database, or why there is none (nothing to say when it was not asked for). */
    private record RawSource(Optional<FileChannel> channel, Optional<String> notPossible) implements AutoCloseable {
        static final RawSource NONE = new RawSource(Optional.empty(), Optional.empty());

        /** Opened before SQLite's connection, when the raw copy can be used here. */
        static RawSource open(Path database) {
            Optional<String> unavailable = RawCopy.unavailable(database, System.getProperty("os.name", ""));
            if (unavailable.isPresent()) {
                return new RawSource(Optional.empty(), unavailable);
            }
            try {
                return new RawSource(Optional.of(FileChannel.open(database, StandardOpenOption.READ)),
                        Optional.empty());
            } catch (NoSuchFileException missing) {
                return NONE; // SQLite's own open says so
            } catch (IOException e) {
                return new RawSource(Optional.empty(), Optional.of("cannot open it: " + cause(e)));
            }
        }

        @Override
        public void close() throws IOException {
            if (channel.isPresent()) {
                channel.get().close();
            }
        }
    }

    /**
     * The -wal and -shm beside the database now. When no process has a WAL database open they are missing, and
     * SQLite creates them even for a read-only connection, owned by this user: left there, they would lock the
     * application out of its own database. This backup then removes them again under SQLite's own lock, which
     * needs write access to the database; without it, or without write access to the folder, the backup refuses
     * before it creates anything.
     */
    private static List<Path> requireSideFilesThatCanBeUndone(Path database) {
        List<Path> found = WAL_SIDE_FILES.stream().map(suffix -> sideFile(database, suffix))
                .filter(f -> Files.exists(f, LinkOption.NOFOLLOW_LINKS)).toList();
        if (found.size() == WAL_SIDE_FILES.size() || !isWal(database)) {
            return found;
        }
        Path folder = database.toAbsolutePath().getParent();
        Path shm = sideFile(database, "-shm");
        String user = System.getProperty("user.name");
        if (!Files.isWritable(folder)) {
            throw new BackupFailedException("backup of " + database + " failed: " + shm + " cannot be created: "
                    + "folder " + folder + " is not writable by user " + user + " (SQLite creates -wal and -shm "
                    + "beside a WAL database to read it when no other process has it open); give " + user
                    + " write access to " + folder + " and " + database.getFileName()
                    + ", or back up while the application has the database open");
        }
        if (!Files.isWritable(database)) {
            throw new BackupFailedException("backup of " + database + " failed: no process has this WAL database "
                    + "open, so reading it would create " + sideFile(database, "-wal").getFileName() + " and "
                    + shm.getFileName() + " owned by user " + user + ", and they can only be removed safely "
                    + "afterwards with write access to the database (SQLite's lock); give " + user
                    + " write access to " + database + " (e.g. mode 0660 and the application's group), or back up "
                    + "while the application has the database open");
        }
        return found;
    }

    /**
     * Removes the -wal and -shm this backup created, once its connection is closed, while holding the lock SQLite's
     * last connection takes to remove them: granted only when no other process has the database open, and while it
     * is held none can start to. A -wal that is not empty was written by someone else and is never removed.
     */
    private static void removeCreatedSideFiles(Path database, List<Path> found) {
        List<Path> created = WAL_SIDE_FILES.stream().map(suffix -> sideFile(database, suffix))
                .filter(f -> !found.contains(f) && Files.exists(f, LinkOption.NOFOLLOW_LINKS)).toList();
        if (created.isEmpty()) {
            return;
        }
        List<Path> ours = new ArrayList<>(created);
        ours.add(database.toAbsolutePath().normalize());
        if (SqliteFileLocks.openInThisProcess(realPaths(ours))) {
            // POSIX locks never conflict within a process: another connection in this process would not show
            LOG.warn("left {} that this backup created beside {}: another connection in this process opened the "
                    + "database meanwhile", names(created), database);
            return;
        }
        try {
            boolean removed = SqliteFileLocks.whileNoOtherProcess(database, () -> {
                Path wal = sideFile(database, "-wal");
                if (created.contains(wal) && Files.size(wal) > 0) {
                    LOG.warn("left {} that this backup created beside {}: another process wrote to it",
                            names(created), database);
                    return;
                }
                for (Path file : created) {
                    Files.deleteIfExists(file);
                }
            });
            if (!removed) {
                LOG.warn("left {} that this backup created beside {}: another process opened the database during "
                        + "the backup and uses them now", names(created), database);
            }
        } catch (IOException e) {
            LOG.warn("left {} that this backup created beside {}: {}", names(created), database, oneLine(
                    String.valueOf(e)));
        }
    }

    private static boolean isWal(Path database) {
        try {
            return readHeader(database).walMode();
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private static Path sideFile(Path database, String suffix) {
        Path absolute = database.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + suffix);
    }

    private static List<Path> realPaths(List<Path> files) {
        List<Path> real = new ArrayList<>();
        for (Path file : files) {
            try {
                real.add(file.toRealPath());
            } catch (IOException gone) {
                real.add(file);
            }
        }
        return real;
    }

    private static String names(List<Path> files) {
        return String.join(" and ", files.stream().map(f -> f.getFileName().toString()).toList());
    }

    /** Read-only, so a missing file is never created and closing never checkpoints the live database. */
    private SQLiteConnection openSource(Path database) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        lockingMode.ifPresent(config::setLockingMode);
        return JDBC.createConnection("jdbc:sqlite:" + uri(database), config.toProperties());
    }

    private void onlineBackup(Path database, SQLiteConnection source, Path copy) throws SQLException {
        int attempts = (int) Math.max(1, busyTimeout.toMillis() / BACKUP_BUSY_SLEEP_MILLIS);
        // The destination is opened by name with SQLITE_OPEN_URI only for names starting "file:"; ours starts "/".
        int rc = source.getDatabase().backup("main", copy.toString(), (remaining, pageCount) -> { },
                BACKUP_BUSY_SLEEP_MILLIS, attempts, ALL_PAGES);
        if (rc != 0) {
            throw failure(database, rc, errorText(rc), copy, null);
        }
    }

    /** What sqlite3_errstr() says for a result code; the backup call returns only the code. */
    static String errorText(int resultCode) {
        return switch (resultCode & 0xFF) {
            case 3 -> "access permission denied";
            case 5 -> "database is locked";
            case 6 -> "database table is locked";
            case 7 -> "out of memory";
            case 8 -> "attempt to write a readonly database";
            case 10 -> "disk I/O error";
            case 11 -> "database disk image is malformed";
            case 13 -> "database or disk is full";
            case 14 -> "unable to open database file";
            case 26 -> "file is not a database";
            default -> "SQLite error " + resultCode;
        };
    }

    private static void vacuumInto(SQLiteConnection source, Path copy) throws SQLException {
        // A bound parameter rather than a quoted literal: no quoting of the path can go wrong.
        try (PreparedStatement vacuum = source.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, copy.toString());
            vacuum.execute();
        }
    }

    static BackupFailedException failure(Path database, int resultCode, String cause, Path copy, Throwable e) {
        if ((resultCode & 0xFF) == SQLiteErrorCode.SQLITE_FULL.code || cause.contains("No space left")) {
            return new BackupFailedException("backup of " + database + " failed: no space left on device for "
                    + copy.getParent(), e);
        }
        if ((resultCode & 0xFF) == SQLiteErrorCode.SQLITE_READONLY.code && isWal(database)) {
            // a reader of a WAL database writes only its -shm (and creates its -wal): that is what failed
            Path shm = sideFile(database, "-shm");
            return new BackupFailedException("backup of " + database + " failed: " + cause + " (" + shm
                    + " cannot be created or written: a reader of a WAL database needs write access to it and to "
                    + "folder " + shm.getParent() + "; give user " + System.getProperty("user.name")
                    + " that access, or back up while the application has the database open)", e);
        }
        if ((resultCode & 0xFF) == SQLiteErrorCode.SQLITE_READONLY.code) {
            // we only read, so SQLite wanted to write for recovery: rolling back a hot journal is the application's job
            return new BackupFailedException("backup of " + database + " failed: " + cause + " (a crashed writer left "
                    + "a hot journal that a read-only backup will not roll back; open the database once with its "
                    + "application, then retry)", e);
        }
        return new BackupFailedException("backup of " + database + " failed: " + cause, e);
    }

    @Override
    public IntegrityReport check(Path copy, VerifyLevel level) {
        long size;
        try {
            size = Files.size(copy);
        } catch (IOException e) {
            return new IntegrityReport(level, List.of("cannot read " + copy + ": " + cause(e)));
        }
        if (size == 0) {
            // SQLite treats an empty file as an empty database; as a copy it is a failed one.
            return new IntegrityReport(level, List.of(copy + " is empty (0 bytes), not an SQLite database"));
        }
        String pragma = level == VerifyLevel.FULL ? "PRAGMA integrity_check" : "PRAGMA quick_check";
        List<String> rows = new ArrayList<>();
        long started = System.nanoTime();
        try (SQLiteConnection connection = openForCheck(copy, size);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(pragma)) {
            while (result.next()) {
                rows.addAll(problemsIn(String.valueOf(result.getString(1))));
            }
        } catch (SQLException e) {
            LOG.debug("{} on {} failed", pragma, copy, e);
            return new IntegrityReport(level, List.of(sqliteMessage(e)));
        }
        LOG.debug("{} of {} in {} ms: {}", pragma, copy.getFileName(), (System.nanoTime() - started) / 1_000_000,
                rows.size() == 1 ? rows.get(0) : rows.size() + " rows");
        if (rows.equals(List.of("ok"))) {
            return IntegrityReport.passed(level);
        }
        return new IntegrityReport(level, rows.isEmpty() ? List.of(pragma + " returned nothing") : rows);
    }

    /**
     * Each assertion's query on the copy, opened read-only and immutable (no lock, no -wal or -shm) with
     * {@code query_only} on: nothing can write, whatever the query. One connection for all of them; a query that
     * fails, returns no row, more than one row or column, NULL, or text that is not a number is a failed result naming
     * why, and the next one still runs.
     */
    @Override
    public List<AssertionResult> evaluate(Path copy, List<DataAssertion> assertions) {
        if (assertions.isEmpty()) {
            return List.of();
        }
        List<AssertionResult> results = new ArrayList<>();
        long size;
        try {
            size = Files.size(copy);
        } catch (IOException e) {
            assertions.forEach(a -> results.add(AssertionResult.failed(a, "cannot read " + copy + ": " + cause(e))));
            return results;
        }
        try (SQLiteConnection connection = openForCheck(copy, size)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA query_only = ON");
            }
            for (DataAssertion assertion : assertions) {
                results.add(evaluate(connection, assertion));
            }
        } catch (SQLException e) {
            String why = "cannot open " + copy + ": " + sqliteMessage(e);
            for (int i = results.size(); i < assertions.size(); i++) {
                results.add(AssertionResult.failed(assertions.get(i), why));
            }
        }
        return results;
    }

    private static AssertionResult evaluate(SQLiteConnection connection, DataAssertion assertion) {
        long started = System.nanoTime();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(assertion.sql())) {
            if (rows.getMetaData().getColumnCount() != 1) {
                return AssertionResult.failed(assertion, "the query returned " + rows.getMetaData().getColumnCount()
                        + " columns, expected one number");
            }
            if (!rows.next()) {
                return AssertionResult.failed(assertion, "the query returned no row, expected one number");
            }
            Object value = rows.getObject(1);
            if (rows.next()) {
                return AssertionResult.failed(assertion, "the query returned more than one row, expected one number");
            }
            LOG.debug("assertion {} returned {} in {} ms", assertion.name(), value,
                    (System.nanoTime() - started) / 1_000_000);
            if (value == null) {
                return AssertionResult.failed(assertion, "the query returned NULL, expected a number");
            }
            if (value instanceof Number number) {
                return AssertionResult.of(assertion, new BigDecimal(number.toString()));
            }
            try {
                return AssertionResult.of(assertion, new BigDecimal(value.toString().strip()));
            } catch (NumberFormatException notANumber) {
                String text = value.toString();
                return AssertionResult.failed(assertion, "the query returned '" + (text.length() > 60
                        ? text.substring(0, 60) + "…" : text) + "', not a number");
            }
        } catch (SQLException e) {
            return AssertionResult.failed(assertion, sqliteMessage(e));
        }
    }

    /** A table above this many rows by SQLite's statistics is not counted: the estimate stands in. */
    static final long ESTIMATE_ABOVE = 1_000_000;

    /**
     * Each ordinary table's rows (virtual tables and SQLite's own left out): {@code count(*)} on the copy, opened
     * read-only and immutable, or, for a table {@code sqlite_stat1} says holds more than {@value #ESTIMATE_ABOVE}
     * rows, that estimate. A table that cannot be counted is left out; a copy that cannot be opened gives none.
     */
    @Override
    public List<TableCount> countRows(Path copy) {
        List<TableCount> counts = new ArrayList<>();
        try (SQLiteConnection connection = openForCheck(copy, Files.size(copy));
                Statement statement = connection.createStatement()) {
            java.util.Map<String, Long> estimates = new java.util.HashMap<>();
            List<String> tables = new ArrayList<>();
            // ordinary tables only: not views, virtual tables or their shadow tables (an rtree's _node ...)
            try (ResultSet rs = statement.executeQuery("SELECT name FROM pragma_table_list WHERE schema = 'main' "
                    + "AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT tbl, stat FROM sqlite_stat1")) {
                while (rs.next()) {
                    String stat = String.valueOf(rs.getString(2)).split(" ")[0];
                    try {
                        estimates.merge(rs.getString(1), Long.parseLong(stat), Math::max);
                    } catch (NumberFormatException notANumber) {
                        // a hand-edited statistic: count instead
                    }
                }
            } catch (SQLException noStatistics) {
                // never analyzed: every table is counted
            }
            for (String table : tables) {
                long estimate = estimates.getOrDefault(table, 0L);
                if (estimate > ESTIMATE_ABOVE) {
                    counts.add(new TableCount(table, estimate, true));
                    continue;
                }
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM \"" + table.replace("\"", "\"\"")
                        + "\"")) {
                    counts.add(new TableCount(table, rs.next() ? rs.getLong(1) : 0, false));
                } catch (SQLException uncountable) {
                    LOG.debug("cannot count the rows of {} in {}: {}", table, copy.getFileName(),
                            sqliteMessage(uncountable));
                }
            }
        } catch (SQLException | IOException e) {
            LOG.debug("cannot count the rows of {}: {}", copy.getFileName(), e.toString());
            return List.of();
        }
        return counts;
    }

    /**
     * The copy of {@code size} bytes, opened to be checked, and read through a memory map of all of it: the checks
     * are CPU-bound, and faster without a read() and a copy per page (a larger page cache makes them slower, so it
     * keeps SQLite's default). A file truncated by another process while SQLite reads its map would kill this process
     * with SIGBUS; the files checked are this tool's copies and backups, mode 0600, which only their owner or root
     * could truncate.
     */
    static SQLiteConnection openForCheck(Path copy, long size) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        // immutable=1: no locks, no -wal or -shm beside the copy, even when its header says WAL mode.
        String url = "jdbc:sqlite:" + uri(copy) + "?mode=ro&immutable=1";
        SQLiteConnection connection = JDBC.createConnection(url, config.toProperties());
        try (Statement statement = connection.createStatement();
                ResultSet mapped = statement.executeQuery("PRAGMA mmap_size = " + size)) {
            // SQLite answers with the size it will map, capped at its compile-time maximum
            LOG.debug("{} is read through a memory map of up to {} bytes", copy.getFileName(),
                    mapped.next() ? mapped.getLong(1) : 0);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        return connection;
    }

    /** SQLite's locks on the database and its -shm, and the open files of the processes this user can see. */
    @Override
    public Optional<String> openElsewhere(Path database) {
        return SqliteFileLocks.otherProcess(database);
    }

    /**
     * Some rows span lines ("*** in database main ***\nTree 3 page 93: ...\nPage 4: never used\n..."), a hundred
     * for a damaged root page: each line is a problem of its own, the header kept with the first, so a summary
     * names the first problem and counts the rest rather than printing them all on one line.
     */
    private static List<String> problemsIn(String row) {
        List<String> lines = new ArrayList<>(row.strip().lines().map(String::strip).filter(l -> !l.isEmpty())
                .toList());
        if (lines.size() > 1 && lines.get(0).startsWith("***")) {
            String header = lines.remove(0);
            lines.set(0, header + " " + lines.get(0));
        }
        return lines.isEmpty() ? List.of(oneLine(row)) : lines;
    }

    /** A {@code file:} URI, so that characters like {@code ?}, {@code #} and {@code %} in the path stay literal. */
    static String uri(Path path) {
        return path.toAbsolutePath().normalize().toUri().toString();
    }

    /** "[SQLITE_CORRUPT] The database disk image is malformed (database disk image is malformed)" -> the last part. */
    static String sqliteMessage(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher m = SQLITE_JDBC_MESSAGE.matcher(message.strip());
        if (m.matches()) {
            message = m.group(2);
        } else if (e instanceof SQLiteException s && message.isBlank()) {
            message = s.getResultCode().name();
        }
        return oneLine(message);
    }

    /** The JDK's file exceptions often carry only the path as their message: the cause in words instead. */
    private static String cause(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return oneLine(f.getReason());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static void removeSideFiles(Path copy) {
        for (String suffix : SIDE_FILE_SUFFIXES) {
            Path side = copy.resolveSibling(copy.getFileName() + suffix);
            try {
                Files.deleteIfExists(side);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}", side, e.toString());
            }
        }
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailedException("interrupted while inspecting the database", e);
        }
    }

    /**
     * Reports the copy's growing size from a daemon thread while SQLite writes it; no thread at all when nobody
     * listens ({@link SnapshotProgress#NONE}: the daemon, a run of many databases, a library user).
     */
    private static final class SizePoller implements AutoCloseable {
        private final Path copy;
        private final long expectedTotal;
        private final SnapshotProgress progress;
        private final Optional<Thread> thread;
        private volatile boolean stopped;

        SizePoller(Path copy, long expectedTotal, SnapshotProgress progress) {
            this.copy = copy;
            this.expectedTotal = expectedTotal;
            this.progress = progress;
            this.thread = progress == SnapshotProgress.NONE ? Optional.empty()
                    : Optional.of(new Thread(this::poll, "sqlite-backup-progress"));
            this.thread.ifPresent(t -> t.setDaemon(true));
        }

        void start() {
            thread.ifPresent(Thread::start);
        }

        private void poll() {
            while (!stopped) {
                try {
                    progress.update(Files.size(copy), expectedTotal);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("progress report failed: {}", e.toString());
                }
                try {
                    Thread.sleep(PROGRESS_INTERVAL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            stopped = true;
            if (thread.isEmpty()) {
                return;
            }
            thread.get().interrupt();
            try {
                thread.get().join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
