package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.sqlitebackup.domain.model.AssertionResult;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.TableCount;
import dev.sqlitebackup.domain.model.SourceDatabase;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqliteSnapshotterTest {

    @TempDir
    Path temp;

    private final SqliteSnapshotter snapshotter = new SqliteSnapshotter();
    private int targets;

    // ---- helpers: real databases made with sqlite-jdbc ----

    private static Connection open(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    /** A database with {@code rows} items of {@code payload} random bytes and a counter equal to the row count. */
    private static Path createDatabase(Path db, String journalMode, int rows, int payload) throws SQLException {
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=" + journalMode);
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, payload BLOB, tag TEXT)");
            s.execute("CREATE INDEX items_tag ON items(tag)");
            s.execute("CREATE TABLE counter(n INTEGER NOT NULL)");
            s.execute("BEGIN");
            s.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + rows + ") "
                    + "INSERT INTO items(payload, tag) SELECT randomblob(" + payload + "), hex(randomblob(8)) FROM c");
            s.execute("INSERT INTO counter VALUES (" + rows + ")");
            s.execute("COMMIT");
        }
        return db;
    }

    private Path emptyTarget() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("scratch"));
        return Files.createFile(dir.resolve("tmp-" + (++targets) + ".db"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** Opens a copy without leaving anything beside it. */
    private static long queryLong(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + SqliteSnapshotter.uri(db) + "?immutable=1");
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long liveLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean runningAsRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        id.waitFor();
        return uid.equals("0");
    }

    /** Commits "insert one row, add one to the counter" in a loop until stopped, recording when each commit ended. */
    private static final class Writer implements AutoCloseable {
        private final Thread thread;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ConcurrentLinkedQueue<Long> commitEnds = new ConcurrentLinkedQueue<>();
        private final AtomicLong longestCommitNanos = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Writer(Path db) {
            thread = new Thread(() -> {
                try (Connection c = open(db); Statement s = c.createStatement();
                        PreparedStatement insert = c.prepareStatement(
                                "INSERT INTO items(payload, tag) VALUES (randomblob(200), 'w')")) {
                    s.execute("PRAGMA busy_timeout=10000");
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        s.execute("BEGIN IMMEDIATE");
                        insert.executeUpdate();
                        s.execute("UPDATE counter SET n = n + 1");
                        s.execute("COMMIT");
                        long end = System.nanoTime();
                        commitEnds.add(end);
                        longestCommitNanos.accumulateAndGet(end - start, Math::max);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "test-writer");
            thread.start();
        }

        void awaitCommits(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (commitEnds.size() < n && System.nanoTime() < deadline && failure.get() == null) {
                Thread.sleep(5);
            }
            assertThat(failure.get()).isNull();
            assertThat(commitEnds.size()).isGreaterThanOrEqualTo(n);
        }

        long commitsBetween(long from, long to) {
            return commitEnds.stream().filter(t -> t > from && t < to).count();
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(thread.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }

    // ---- snapshot ----

    @ParameterizedTest(name = "journal_mode={0}, compact={1}")
    @CsvSource({"wal, false", "wal, true", "delete, false", "delete, true"})
    void snapshot_producesACopyThatPassesQuickCheck_withTheSameRows(String journalMode, boolean compact)
            throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), journalMode, 500, 300);
        Path target = emptyTarget();

        snapshotter.snapshot(db, target, compact, SnapshotProgress.NONE);

        assertThat(snapshotter.check(target, VerifyLevel.QUICK).ok()).isTrue();
        String rows = "SELECT count(*) || ':' || sum(length(payload)) || ':' || total(id) FROM items";
        assertThat(queryLong(target, "SELECT count(*) FROM items")).isEqualTo(500);
        try (Connection live = open(db); Connection copy = DriverManager.getConnection(
                "jdbc:sqlite:" + SqliteSnapshotter.uri(target) + "?immutable=1")) {
            assertThat(text(copy, rows)).isEqualTo(text(live, rows));
            assertThat(text(copy, "SELECT group_concat(hex(payload)) FROM items"))
                    .isEqualTo(text(live, "SELECT group_concat(hex(payload)) FROM items"));
        }
        assertThat(namesIn(target.getParent())).containsExactly(target.getFileName().toString());
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void snapshot_neverCheckpoints_andLeavesTheLiveFileAndItsWalAsTheyWere() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "wal", 300, 300);
        Path wal = Path.of(db + "-wal");
        try (Connection writer = open(db); Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("INSERT INTO items(payload, tag) SELECT randomblob(300), 'late' FROM items LIMIT 100");
            s.execute("UPDATE counter SET n = n + 100");
            String mainBefore = sha256(db);
            FileTime mtimeBefore = Files.getLastModifiedTime(db);
            String walBefore = sha256(wal);
            long walSize = Files.size(wal);
            assertThat(walSize).as("the writer's commits are in the WAL, not yet in the main file").isPositive();

            Path backup = emptyTarget();
            Path vacuumed = emptyTarget();
            snapshotter.snapshot(db, backup, false, SnapshotProgress.NONE);
            snapshotter.snapshot(db, vacuumed, true, SnapshotProgress.NONE);

            assertThat(Files.size(wal)).isEqualTo(walSize);
            assertThat(sha256(wal)).isEqualTo(walBefore);
            assertThat(sha256(db)).isEqualTo(mainBefore);
            assertThat(Files.getLastModifiedTime(db)).isEqualTo(mtimeBefore);
            // the copies hold what is committed, including what is only in the WAL
            assertThat(queryLong(backup, "SELECT count(*) FROM items")).isEqualTo(400);
            assertThat(queryLong(vacuumed, "SELECT count(*) FROM items")).isEqualTo(400);
        }
    }

    @Test
    void theRawCopy_isHashedAsItLands_overSeveralPartsAndWalFrames_theOtherModesLeaveTheHashToTheFolder()
            throws Exception {
        Path live = createDatabase(temp.resolve("live.db"), "wal", 12_000, 1000); // ~12 MiB: three parts and more
        // the writer gone with its frames in the WAL (a connection of this process would make the copy fall back)
        Path db = Files.createDirectories(temp.resolve("crashed")).resolve("app.db");
        try (Connection writer = open(live); Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            // frames over pages inside the file and past its end
            s.execute("UPDATE items SET tag = 'changed' WHERE id % 97 = 0");
            s.execute("INSERT INTO items(payload, tag) SELECT randomblob(1000), 'late' FROM items LIMIT 3000");
            Files.copy(live, db);
            Files.copy(Path.of(live + "-wal"), Path.of(db + "-wal"));
        }
        Path raw = emptyTarget();
        Optional<DatabaseSnapshotter.CopyChecksum> landed = snapshotter.snapshotHashed(db, raw, false,
                SnapshotProgress.NONE).join();
        Path vacuumed = emptyTarget();
        Path api = emptyTarget();

        assertThat(Files.size(raw)).isGreaterThan(3 * RawCopy.CHUNK_BYTES).isGreaterThan(Files.size(db));
        assertThat(landed).contains(new DatabaseSnapshotter.CopyChecksum(sha256(raw), Files.size(raw)));
        assertThat(queryLong(raw, "SELECT count(*) FROM items")).isEqualTo(15_000);
        assertThat(queryLong(raw, "SELECT count(*) FROM items WHERE tag = 'changed'")).isEqualTo(12_000 / 97);
        assertThat(snapshotter.snapshotHashed(db, vacuumed, true, SnapshotProgress.NONE).join()).isEmpty();
        assertThat(new SqliteSnapshotter(PageCopy.API).snapshotHashed(db, api, false, SnapshotProgress.NONE).join())
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"VACUUM INTO, API, true", "online backup API, API, false", "raw copy, RAW, false"})
    void onlyACopyWhoseHashFollowsIt_warmsTheDigestUp(String mode, PageCopy pageCopy, boolean compact)
            throws Exception {
        Path db = createDatabase(temp.resolve("app.db"), "wal", 200, 100);
        HashWarmUp warmUp = new HashWarmUp(0);
        SqliteSnapshotter snapshotter = new SqliteSnapshotter(pageCopy, warmUp);

        Optional<DatabaseSnapshotter.CopyChecksum> landed = snapshotter.snapshotHashed(db, emptyTarget(), compact,
                SnapshotProgress.NONE).join();

        // a warm-up the copy started leaves none to start now
        boolean warmedUp = warmUp.beforeCopy(1).isEmpty();
        assertThat(warmedUp).as(mode).isEqualTo(landed.isEmpty()).isEqualTo(pageCopy == PageCopy.API);
    }

    @Test
    void closingTheReadOnlyConnection_doesNotCheckpoint_evenWhenItIsTheOnlyOne() throws Exception {
        // A WAL database whose writer is gone, WAL frames still there: as after a crash of the application.
        Path live = createDatabase(temp.resolve("live.db"), "wal", 300, 300);
        Path crashed = Files.createDirectories(temp.resolve("crashed")).resolve("app.db");
        try (Connection writer = open(live); Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("INSERT INTO items(payload, tag) SELECT randomblob(300), 'late' FROM items LIMIT 50");
            Files.copy(live, crashed);
            Files.copy(Path.of(live + "-wal"), Path.of(crashed + "-wal"));
        }
        String mainBefore = sha256(crashed);
        String walBefore = sha256(Path.of(crashed + "-wal"));

        Path copy = emptyTarget();
        snapshotter.snapshot(crashed, copy, false, SnapshotProgress.NONE);

        assertThat(sha256(crashed)).as("main file untouched: no checkpoint on close").isEqualTo(mainBefore);
        assertThat(sha256(Path.of(crashed + "-wal"))).isEqualTo(walBefore);
        assertThat(queryLong(copy, "SELECT count(*) FROM items")).isEqualTo(350);
        // The wal-index the read-only connection had to create is removed again: only what was there is left.
        assertThat(namesIn(crashed.getParent())).containsExactly("app.db", "app.db-wal");
    }

    @Test
    void aHotJournalLeftByACrashedWriter_failsTheSnapshot_andIsLeftForTheApplicationToRollBack() throws Exception {
        Path live = createDatabase(temp.resolve("live.db"), "delete", 1_000, 1_000);
        Path crashed = Files.createDirectories(temp.resolve("crashed")).resolve("app.db");
        try (Connection writer = open(live); Statement s = writer.createStatement()) {
            s.execute("PRAGMA cache_size=2"); // changed pages spill into the file before the commit
            s.execute("BEGIN");
            s.execute("UPDATE items SET payload = randomblob(1000)");
            Files.copy(live, crashed);
            Files.copy(Path.of(live + "-journal"), Path.of(crashed + "-journal"));
            s.execute("ROLLBACK");
        }
        String mainBefore = sha256(crashed);
        String journalBefore = sha256(Path.of(crashed + "-journal"));

        for (boolean compact : new boolean[] {false, true}) {
            Path copy = emptyTarget();
            assertThatThrownBy(() -> snapshotter.snapshot(crashed, copy, compact, SnapshotProgress.NONE))
                    .isInstanceOf(BackupFailedException.class)
                    .hasMessageStartingWith("backup of " + crashed + " failed: attempt to write a readonly database")
                    .hasMessageContaining("hot journal");
        }
        assertThat(sha256(crashed)).isEqualTo(mainBefore);
        assertThat(sha256(Path.of(crashed + "-journal"))).isEqualTo(journalBefore);
    }

    @Test
    void snapshotsTakenWhileAWriterCommitsContinuously_holdACommittedState() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "wal", 3_000, 1_000);
        List<Path> copies = new ArrayList<>();
        try (Writer writer = new Writer(db)) {
            writer.awaitCommits(20);
            for (boolean compact : new boolean[] {false, true, false}) {
                Path copy = emptyTarget();
                snapshotter.snapshot(db, copy, compact, SnapshotProgress.NONE);
                copies.add(copy);
            }
        }
        for (Path copy : copies) {
            IntegrityReport report = snapshotter.check(copy, VerifyLevel.FULL);
            assertThat(report.ok()).as(report.summary()).isTrue();
            long counter = queryLong(copy, "SELECT n FROM counter");
            assertThat(counter).isGreaterThan(3_000).isEqualTo(queryLong(copy, "SELECT count(*) FROM items"));
        }
    }

    /** What the load benchmark (backup-app's ConcurrentWriterLoad) checked beyond the tests above. */
    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"wal", "delete"})
    void snapshotsOneAfterAnother_whileAWriterCommits_holdACommittedState_thatNeverGoesBack(String journalMode)
            throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), journalMode, 1_000, 1_000);
        List<Path> copies = new ArrayList<>();
        long first;
        long last;
        try (Writer writer = new Writer(db)) {
            writer.awaitCommits(20);
            first = System.nanoTime();
            for (boolean compact : new boolean[] {false, true}) {
                Path copy = emptyTarget();
                snapshotter.snapshot(db, copy, compact, SnapshotProgress.NONE);
                copies.add(copy);
            }
            last = System.nanoTime();
            assertThat(writer.commitsBetween(first, last)).as("the writer's commits while the snapshots ran")
                    .isPositive();
        }
        long previous = 1_000;
        for (Path copy : copies) {
            IntegrityReport report = snapshotter.check(copy, VerifyLevel.FULL);
            assertThat(report.ok()).as(report.summary()).isTrue();
            long counter = queryLong(copy, "SELECT n FROM counter");
            assertThat(counter).as("counter == count(*) in " + copy)
                    .isEqualTo(queryLong(copy, "SELECT count(*) FROM items"));
            assertThat(counter).as("each copy holds at least what the one before it held")
                    .isGreaterThanOrEqualTo(previous);
            previous = counter;
        }
        assertThat(previous).as("the last copy holds the writer's commits").isGreaterThan(1_000);
    }

    @Test
    void aWalWriterKeepsCommittingDuringASnapshotOfAFiftyMegabyteDatabase() throws Exception {
        Path db = createDatabase(temp.resolve("big.db"), "wal", 50_000, 1_000);
        assertThat(Files.size(db)).isGreaterThan(50_000_000L);
        try (Writer writer = new Writer(db)) {
            writer.awaitCommits(10);
            for (boolean compact : new boolean[] {false, true}) {
                Path copy = emptyTarget();
                long start = System.nanoTime();
                snapshotter.snapshot(db, copy, compact, SnapshotProgress.NONE);
                long end = System.nanoTime();

                long during = writer.commitsBetween(start, end);
                System.out.printf("snapshot (compact=%s) of %d MB took %d ms; the writer committed %d times meanwhile, "
                        + "its longest commit so far %d ms%n", compact, Files.size(db) >> 20,
                        TimeUnit.NANOSECONDS.toMillis(end - start), during,
                        TimeUnit.NANOSECONDS.toMillis(writer.longestCommitNanos.get()));
                assertThat(during).as("commits between the snapshot's start and end").isPositive();
                assertThat(queryLong(copy, "SELECT n FROM counter"))
                        .isEqualTo(queryLong(copy, "SELECT count(*) FROM items"));
            }
        }
    }

    @Test
    void aBrieflyLockedRollbackJournalDatabase_isWaitedFor() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "delete", 100, 100);
        for (boolean compact : new boolean[] {false, true}) {
            Connection locker = open(db);
            Statement s = locker.createStatement();
            s.execute("BEGIN EXCLUSIVE");
            s.execute("INSERT INTO items(payload, tag) VALUES (x'00', 'locked')");
            CountDownLatch released = new CountDownLatch(1);
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(700);
                    s.execute("COMMIT");
                    locker.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    released.countDown();
                }
            });
            release.start();
            Path copy = emptyTarget();

            snapshotter.snapshot(db, copy, compact, SnapshotProgress.NONE);

            assertThat(released.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(queryLong(copy, "SELECT count(*) FROM items WHERE tag = 'locked'"))
                    .as("the copy was taken after the lock holder committed").isEqualTo(compact ? 2 : 1);
        }
    }

    @Test
    void aDatabaseLockedLongerThanTheBusyTimeout_failsWithOneLineSayingSo() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "delete", 10, 10);
        SqliteSnapshotter impatient = new SqliteSnapshotter(Duration.ofMillis(300));
        try (Connection locker = open(db); Statement s = locker.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            s.execute("INSERT INTO items(payload, tag) VALUES (x'00', 'locked')");
            for (boolean compact : new boolean[] {false, true}) {
                Path copy = emptyTarget();
                assertThatThrownBy(() -> impatient.snapshot(db, copy, compact, SnapshotProgress.NONE))
                        .isInstanceOf(BackupFailedException.class)
                        .hasMessage("backup of " + db + " failed: database is locked");
                assertThat(namesIn(copy.getParent())).doesNotContain(copy.getFileName() + "-journal");
            }
            s.execute("ROLLBACK");
        }
    }

    @ParameterizedTest(name = "compact={0}")
    @ValueSource(booleans = {false, true})
    void snapshot_flushesTheCopyToDiskWhileSqliteWritesIt(boolean compact) throws Exception {
        // 64 MiB: a 16 MiB raw copy was once complete before the flushing thread first looked (CI, both cores busy
        // with the copy and its hashing); this size gives the flushing tens of milliseconds to get a core
        Path db = createDatabase(temp.resolve("live.db"), "wal", 16_000, 4_000);
        List<Long> flushedAtSize = new CopyOnWriteArrayList<>();
        SqliteSnapshotter syncing = new SqliteSnapshotter(Duration.ofSeconds(10), new BackgroundDatasync.Settings(
                64 * 1024, Duration.ofMillis(1), channel -> {
                    flushedAtSize.add(channel.size());
                    channel.force(false);
                }));
        Path copy = emptyTarget();

        syncing.snapshot(db, copy, compact, SnapshotProgress.NONE);

        long size = Files.size(copy);
        System.out.printf("compact=%s: %d flushes of a %d-byte copy while it was written%n", compact,
                flushedAtSize.size(), size);
        assertThat(flushedAtSize).as("sizes of the copy when flushed").isNotEmpty()
                .anySatisfy(flushed -> assertThat(flushed).isLessThan(size));
        assertThat(queryLong(copy, "SELECT n FROM counter")).isEqualTo(16_000);
    }

    /** A 32 MiB database in WAL mode that no process has open (its WAL checkpointed into the file). */
    private Path thirtyTwoMebibytes() throws Exception {
        return createDatabase(temp.resolve("live.db"), "wal", 8_000, 4_000);
    }

    @Test
    void aRawCopyThatNobodyWritesToMeanwhile_isNeverHeldForTheFlushes() throws Exception {
        Path db = thirtyTwoMebibytes();
        long whole = Files.size(db);
        AtomicBoolean first = new AtomicBoolean(true);
        AtomicBoolean wholeCopyWhileTheFirstFlushRan = new AtomicBoolean();
        // the first flush lasts until the copy is complete (at most 10 s): a copy held for it would never get there
        SqliteSnapshotter slowDisk = new SqliteSnapshotter(Duration.ofSeconds(10), new BackgroundDatasync.Settings(
                1 << 20, Duration.ofMillis(1), channel -> {
                    if (first.getAndSet(false)) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (channel.size() < whole && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        wholeCopyWhileTheFirstFlushRan.set(channel.size() >= whole);
                    }
                    channel.force(false);
                }));

        Optional<DatabaseSnapshotter.CopyChecksum> landed = slowDisk.snapshotHashed(db, emptyTarget(), false,
                SnapshotProgress.NONE).join();

        assertThat(landed).as("a raw copy").isPresent();
        assertThat(landed.get().sizeBytes()).isEqualTo(whole);
        assertThat(wholeCopyWhileTheFirstFlushRan).as("copied whole while the first flush ran").isTrue();
    }

    @Test
    void aRawCopyWhileTheApplicationCommits_keepsWithinTheBacklogAndAPartOfTheFlushes() throws Exception {
        Path db = thirtyTwoMebibytes();
        long step = 1 << 20;
        List<long[]> flushes = new CopyOnWriteArrayList<>(); // {size when the one before started, size now}
        AtomicLong previous = new AtomicLong();
        SqliteSnapshotter slowDisk = new SqliteSnapshotter(Duration.ofSeconds(10), new BackgroundDatasync.Settings(
                step, Duration.ofMillis(1), channel -> {
                    long size = channel.size();
                    flushes.add(new long[] {previous.getAndSet(size), size});
                    try {
                        Thread.sleep(20); // a disk slower than the copy
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                    channel.force(false);
                }));
        Path copy = emptyTarget();
        Optional<DatabaseSnapshotter.CopyChecksum> landed;
        List<ILoggingEvent> logged;
        try (CapturedLogs logs = CapturedLogs.of(RawCopy.class); FedSqlite3 application = committing(db)) {
            landed = slowDisk.snapshotHashed(db, copy, false, SnapshotProgress.NONE).join();
            application.assertNoErrors();
            logged = List.copyOf(logs.events());
        }

        assertThat(landed).as("a raw copy").isPresent();
        long pacedFrom = logged.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("changed during the copy"))
                .map(m -> Long.parseLong(m.replaceAll(".*byte (\\d+) on", "$1")))
                .findFirst().orElseThrow(() -> new AssertionError("not paced: " + logged));
        List<long[]> paced = flushes.stream().filter(f -> f[0] >= pacedFrom).toList();
        assertThat(paced).as("flushes once paced").hasSizeGreaterThan(3);
        assertThat(paced).allSatisfy(f -> assertThat(f[1] - f[0]).as("bytes written since the flush before began")
                .isLessThanOrEqualTo(BackgroundDatasync.BACKLOG_STEPS * step + RawCopy.CHUNK_BYTES));
        assertThat(slowDisk.check(copy, VerifyLevel.FULL).ok()).isTrue();
        assertThat(queryLong(copy, "SELECT count(*) FROM items")).isEqualTo(queryLong(copy, "SELECT n FROM counter"));
    }

    /**
     * {@code sqlite3} in another process committing one row (and the counter) at a time until closed, already
     * committing when returned: the counter moved (read by a connection closed again before any copy).
     */
    private static FedSqlite3 committing(Path db) throws Exception {
        long before = counter(db);
        FedSqlite3 application = new FedSqlite3(db, ".timeout 10000\n", i -> "BEGIN IMMEDIATE; INSERT INTO "
                + "items(payload, tag) VALUES (randomblob(200), 'app'); UPDATE counter SET n = n + 1; COMMIT;\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (counter(db) == before && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        application.assertNoErrors();
        return application;
    }

    private static long counter(Path live) throws SQLException {
        try (Connection c = open(live); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT n FROM counter")) {
            r.next();
            return r.getLong(1);
        }
    }

    @ParameterizedTest(name = "compact={0}")
    @ValueSource(booleans = {false, true})
    void aFailedFlushOfTheCopy_failsTheSnapshot(boolean compact) throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "wal", 4_000, 4_000);
        for (String error : List.of("Input/output error", "No space left on device")) {
            SqliteSnapshotter failing = new SqliteSnapshotter(Duration.ofSeconds(10), new BackgroundDatasync.Settings(
                    1, Duration.ofMillis(1), channel -> {
                        throw new IOException(error);
                    }));
            Path copy = emptyTarget();

            assertThatThrownBy(() -> failing.snapshot(db, copy, compact, SnapshotProgress.NONE))
                    .isInstanceOf(BackupFailedException.class)
                    .hasMessage(error.startsWith("No space")
                            ? "backup of " + db + " failed: no space left on device for " + copy.getParent()
                            : "backup of " + db + " failed: could not flush " + copy + " to disk: " + error);
        }
    }

    @Test
    void snapshot_reportsProgress_endingWithTheCopysSize() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "wal", 5_000, 1_000);
        long sourceSize = Files.size(db);
        List<long[]> updates = new ArrayList<>();
        Path copy = emptyTarget();

        snapshotter.snapshot(db, copy, false, (written, total) -> {
            synchronized (updates) {
                updates.add(new long[] {written, total});
            }
        });

        assertThat(updates).isNotEmpty().allSatisfy(u -> assertThat(u[1]).isEqualTo(sourceSize));
        assertThat(updates.get(updates.size() - 1)[0]).isEqualTo(Files.size(copy));
    }

    @Test
    void snapshot_worksWithQuotesAndUriCharactersInThePaths() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("it's a ?#% dir é"));
        Path db = createDatabase(dir.resolve("my 'db'?.db"), "wal", 50, 50);
        for (boolean compact : new boolean[] {false, true}) {
            Path copy = Files.createFile(dir.resolve("copy " + compact + " 'x'?%20.db"));
            assertThat(snapshotter.inspect(db).sizeBytes()).isEqualTo(Files.size(db));
            snapshotter.snapshot(db, copy, compact, SnapshotProgress.NONE);
            assertThat(snapshotter.check(copy, VerifyLevel.FULL).ok()).isTrue();
            assertThat(queryLong(copy, "SELECT count(*) FROM items")).isEqualTo(50);
        }
        assertThat(namesIn(dir)).as("the -wal and -shm the backup created are removed again")
                .containsExactlyInAnyOrder("my 'db'?.db", "copy false 'x'?%20.db", "copy true 'x'?%20.db");
    }

    @Test
    void snapshot_ofAMissingDatabase_failsAndCreatesNothing() throws Exception {
        Path missing = temp.resolve("missing.db");
        Path copy = emptyTarget();
        for (boolean compact : new boolean[] {false, true}) {
            assertThatThrownBy(() -> snapshotter.snapshot(missing, copy, compact, SnapshotProgress.NONE))
                    .isInstanceOf(BackupFailedException.class)
                    .hasMessage("backup of " + missing + " failed: unable to open database file");
        }
        assertThat(namesIn(temp)).containsExactly("scratch");
    }

    @Test
    void aFullDisk_isReportedAsNoSpaceLeftOnDevice() {
        Path db = Path.of("/data/app.db");
        Path copy = Path.of("/backups/.sqlite-backup/tmp-1.db");
        assertThat(SqliteSnapshotter.failure(db, 13, SqliteSnapshotter.errorText(13), copy, null))
                .hasMessage("backup of /data/app.db failed: no space left on device for /backups/.sqlite-backup");
        assertThat(SqliteSnapshotter.failure(db, 10, "disk I/O error: No space left on device", copy, null))
                .hasMessageContaining("no space left on device");
        assertThat(SqliteSnapshotter.failure(db, 11, SqliteSnapshotter.errorText(11), copy, null))
                .hasMessage("backup of /data/app.db failed: database disk image is malformed");
    }

    // ---- a damaged database ----

    @ParameterizedTest(name = "garbage over page {0}/16 of the file")
    @CsvSource({"5", "14"})
    void aDatabaseWithAGarbagePage_isNeverPassedAsOk(int sixteenths) throws Exception {
        Path db = temp.resolve("damaged.db");
        try (Connection c = open(db); Statement s = c.createStatement()) {
            // deterministic content, so the same kind of page is hit on every run
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, payload BLOB, tag TEXT)");
            s.execute("CREATE INDEX items_tag ON items(tag)");
            s.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) "
                    + "INSERT INTO items(payload, tag) SELECT zeroblob(300), printf('%08d', x * 7919 % 1000003) FROM c");
        }
        long pageSize = queryLong(db, "PRAGMA page_size");
        long pages = queryLong(db, "PRAGMA page_count");
        byte[] garbage = new byte[(int) pageSize];
        new Random(7).nextBytes(garbage);
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            file.seek((pages * sixteenths / 16) * pageSize);
            file.write(garbage);
        }
        assertThat(snapshotter.inspect(db).sizeBytes()).as("the header is intact").isEqualTo(pages * pageSize);

        // The online backup copies pages as they are: it succeeds, and the check on the copy finds the damage.
        Path copy = emptyTarget();
        snapshotter.snapshot(db, copy, false, SnapshotProgress.NONE);
        IntegrityReport quick = snapshotter.check(copy, VerifyLevel.QUICK);
        IntegrityReport full = snapshotter.check(copy, VerifyLevel.FULL);
        System.out.println("damaged copy (page at " + sixteenths + "/16): " + quick.summary() + " / "
                + full.summary());
        // Depending on the page, SQLite either lists the damage ("... page 93: btreeInitPage() returns error code
        // 11", "wrong # of entries in index items_tag") or cannot even run the check ("database disk image is
        // malformed"). Either way the copy is not passed, and each problem is one line.
        assertThat(quick.ok()).isFalse();
        assertThat(full.ok()).isFalse();
        assertThat(full.problems()).allSatisfy(problem -> assertThat(problem).doesNotContain("\n")
                .containsAnyOf("malformed", "page", "wrong # of entries"));
        if (sixteenths == 14) { // an index page: quick_check lists it, on one line
            assertThat(quick.problems().get(0)).startsWith("*** in database main *** Tree 3 page ")
                    .contains("btreeInitPage() returns error code 11");
        } else {
            assertThat(quick.problems()).containsExactly("database disk image is malformed");
        }

        // VACUUM INTO reads every row through the b-trees, and stops at the damage.
        Path vacuumed = emptyTarget();
        assertThatThrownBy(() -> snapshotter.snapshot(db, vacuumed, true, SnapshotProgress.NONE))
                .isInstanceOf(BackupFailedException.class)
                .hasMessage("backup of " + db + " failed: database disk image is malformed");
        assertThat(namesIn(copy.getParent())).containsExactlyInAnyOrder(copy.getFileName().toString(),
                vacuumed.getFileName().toString());
    }

    // ---- check ----

    @Test
    void check_ofACopyOfAWalDatabase_leavesNothingBesideIt_andDoesNotChangeIt() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "wal", 200, 100);
        Path copy = emptyTarget();
        snapshotter.snapshot(db, copy, false, SnapshotProgress.NONE);
        byte[] header = new byte[20];
        try (var in = Files.newInputStream(copy)) {
            assertThat(in.read(header)).isEqualTo(20);
        }
        assertThat(header[18]).as("the copy's header says WAL, so an ordinary open would make -wal and -shm")
                .isEqualTo((byte) 2);
        String before = sha256(copy);
        FileTime mtime = Files.getLastModifiedTime(copy);

        assertThat(snapshotter.check(copy, VerifyLevel.QUICK)).isEqualTo(IntegrityReport.passed(VerifyLevel.QUICK));
        assertThat(snapshotter.check(copy, VerifyLevel.FULL)).isEqualTo(IntegrityReport.passed(VerifyLevel.FULL));

        assertThat(namesIn(copy.getParent())).containsExactly(copy.getFileName().toString());
        assertThat(sha256(copy)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(copy)).isEqualTo(mtime);
    }

    @Test
    void check_readsTheCopyThroughAMemoryMapOfAllOfIt_withoutALargerPageCache() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "wal", 2_000, 1_000);
        Path copy = emptyTarget();
        snapshotter.snapshot(db, copy, false, SnapshotProgress.NONE);
        long size = Files.size(copy);
        long defaultCacheSize;
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + SqliteSnapshotter.uri(copy)
                + "?immutable=1")) {
            defaultCacheSize = liveLong(plain, "PRAGMA cache_size");
        }

        try (Connection checking = SqliteSnapshotter.openForCheck(copy, size)) {
            assertThat(liveLong(checking, "PRAGMA mmap_size")).isGreaterThanOrEqualTo(size);
            assertThat(liveLong(checking, "PRAGMA cache_size")).isEqualTo(defaultCacheSize);
        }
        assertThat(snapshotter.check(copy, VerifyLevel.QUICK)).isEqualTo(IntegrityReport.passed(VerifyLevel.QUICK));
        assertThat(namesIn(copy.getParent())).containsExactly(copy.getFileName().toString());
    }

    @Test
    void check_ofSomethingThatIsNoDatabase_reportsTheProblemInsteadOfThrowing() throws Exception {
        Path text = Files.writeString(temp.resolve("text.db"), "hello, this is not a database. ".repeat(20));
        Path empty = Files.createFile(temp.resolve("empty.db"));
        Path db = createDatabase(temp.resolve("live.db"), "delete", 2_000, 300);
        Path truncated = temp.resolve("truncated.db");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(db), (int) Files.size(db) / 3));

        IntegrityReport ofText = snapshotter.check(text, VerifyLevel.QUICK);
        IntegrityReport ofEmpty = snapshotter.check(empty, VerifyLevel.QUICK);
        IntegrityReport ofTruncated = snapshotter.check(truncated, VerifyLevel.FULL);
        System.out.println("check of text: " + ofText.summary() + "; of truncated: " + ofTruncated.summary());

        assertThat(ofText.problems()).containsExactly("file is not a database");
        assertThat(ofEmpty.problems()).containsExactly(empty + " is empty (0 bytes), not an SQLite database");
        assertThat(ofTruncated.ok()).isFalse();
        assertThat(namesIn(temp)).containsExactlyInAnyOrder("text.db", "empty.db", "live.db", "truncated.db");
    }

    // ---- inspect ----

    @Test
    void inspect_ofAGoodDatabase_returnsItsSize_andTouchesNothing() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "wal", 100, 100);
        String before = sha256(db);
        FileTime mtime = Files.getLastModifiedTime(db);

        SourceDatabase source = snapshotter.inspect(db);

        assertThat(source).isEqualTo(new SourceDatabase(db, Files.size(db)));
        assertThat(sha256(db)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(db)).isEqualTo(mtime);
        assertThat(namesIn(temp)).containsExactly("live.db");
    }

    @Test
    void inspect_ofAMissingPath_failsAndCreatesNothing() {
        Path missing = temp.resolve("missing.db");
        assertThatThrownBy(() -> snapshotter.inspect(missing))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("database " + missing + " does not exist");
        assertThat(temp.toFile().list()).isEmpty();
    }

    @Test
    void inspect_ofADirectory_anEmptyFile_orAFileOfText_saysWhatItIs() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("dir.db"));
        Path empty = Files.createFile(temp.resolve("empty.db"));
        Path text = Files.writeString(temp.resolve("text.db"), "just some text\n");
        Path tiny = Files.writeString(temp.resolve("tiny.db"), "SQL");

        assertThatThrownBy(() -> snapshotter.inspect(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessage("database " + dir + " is a directory, not an SQLite file");
        assertThatThrownBy(() -> snapshotter.inspect(empty)).isInstanceOf(BackupFailedException.class)
                .hasMessage("database " + empty + " is empty (0 bytes), not an SQLite database");
        assertThatThrownBy(() -> snapshotter.inspect(text)).isInstanceOf(BackupFailedException.class)
                .hasMessage("database " + text + " is not an SQLite database (bad header)");
        assertThatThrownBy(() -> snapshotter.inspect(tiny)).isInstanceOf(BackupFailedException.class)
                .hasMessage("database " + tiny + " is not an SQLite database (bad header)");
    }

    @Test
    void inspect_ofATruncatedDatabase_saysHowShortItIs() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "delete", 200, 500);
        long size = Files.size(db);
        byte[] bytes = Files.readAllBytes(db);
        Path truncated = Files.write(temp.resolve("truncated.db"), java.util.Arrays.copyOf(bytes, 3 * 4096));
        Path headerOnly = Files.write(temp.resolve("header-only.db"), java.util.Arrays.copyOf(bytes, 60));

        assertThatThrownBy(() -> snapshotter.inspect(truncated)).isInstanceOf(BackupFailedException.class)
                .hasMessage("database " + truncated + " is truncated: 12288 bytes, header says " + size);
        assertThatThrownBy(() -> snapshotter.inspect(headerOnly)).isInstanceOf(BackupFailedException.class)
                .hasMessage("database " + headerOnly + " is truncated: 60 bytes, header says 100");
    }

    /**
     * A checkpoint copies page 1 from the WAL into the file before the pages it appends, so for as long as a large
     * checkpoint takes the file is shorter than its header says. The database is healthy: SQLite reads page 1 and
     * the size from the WAL. Simulated here by writing the WAL's page count into the file's header.
     */
    @Test
    void inspect_ofAWalDatabaseInTheMiddleOfACheckpoint_isNotCalledTruncated_andTheSnapshotReadsIt()
            throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "wal", 10, 100);
        try (Connection writer = open(db); Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) "
                    + "INSERT INTO items(payload, tag) SELECT randomblob(500), 'late' FROM c");
            s.execute("UPDATE counter SET n = n + 2000");
            long pages = liveLong(writer, "PRAGMA page_count");
            long fileSize = Files.size(db);
            assertThat(pages * 4096).as("the new pages are only in the WAL").isGreaterThan(fileSize);
            try (FileChannel file = FileChannel.open(db, StandardOpenOption.WRITE)) {
                file.write(ByteBuffer.allocate(4).putInt(0, (int) pages), 28); // page 1 as the checkpoint writes it
            }

            SourceDatabase source = snapshotter.inspect(db);
            Path copy = emptyTarget();
            snapshotter.snapshot(db, copy, false, SnapshotProgress.NONE);

            assertThat(source.sizeBytes()).isEqualTo(fileSize);
            assertThat(snapshotter.check(copy, VerifyLevel.FULL).ok()).isTrue();
            assertThat(queryLong(copy, "SELECT count(*) FROM items")).isEqualTo(2010);
            assertThat(queryLong(copy, "SELECT n FROM counter")).isEqualTo(2010);
        }
    }

    @Test
    void aTruncatedWalDatabase_withoutAWalToReadFrom_failsInSqlitesOwnRead() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "wal", 200, 500);
        byte[] bytes = Files.readAllBytes(db);
        Path truncated = Files.write(temp.resolve("truncated.db"), java.util.Arrays.copyOf(bytes, 3 * 4096));

        snapshotter.inspect(truncated);

        assertThatThrownBy(() -> snapshotter.snapshot(truncated, emptyTarget(), false, SnapshotProgress.NONE))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining("malformed");
        assertThat(namesIn(temp)).doesNotContain("truncated.db-wal", "truncated.db-shm");
    }

    @Test
    void inspect_trustsTheInHeaderSizeOnlyWhenVersionValidForMatchesTheChangeCounter() throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), "delete", 200, 500);
        byte[] bytes = Files.readAllBytes(db);
        ByteBuffer header = ByteBuffer.wrap(bytes);
        header.putInt(92, header.getInt(24) + 1); // as written by an old SQLite that did not maintain the size
        Path stale = Files.write(temp.resolve("stale.db"), java.util.Arrays.copyOf(bytes, 3 * 4096));
        Path underOnePage = Files.write(temp.resolve("short.db"), java.util.Arrays.copyOf(bytes, 1000));

        assertThat(snapshotter.inspect(stale).sizeBytes()).isEqualTo(3 * 4096);
        assertThatThrownBy(() -> snapshotter.inspect(underOnePage)).isInstanceOf(BackupFailedException.class)
                .hasMessage("database " + underOnePage + " is truncated: 1000 bytes, header says 4096");
    }

    @Test
    void inspect_ofAnUnreadableFile_saysPermissionDenied() throws Exception {
        String why = "running as root: chmod 000 does not stop root from reading";
        if (runningAsRoot()) {
            System.out.println("SKIPPED inspect_ofAnUnreadableFile_saysPermissionDenied: " + why);
        }
        assumeFalse(runningAsRoot(), why);
        Path db = createDatabase(temp.resolve("live.db"), "delete", 10, 10);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> snapshotter.inspect(db)).isInstanceOf(InvalidInputException.class)
                .hasMessage("database " + db + " is not readable: permission denied");
    }

    @Test
    void inspect_ofAFileInAFolderThatMayNotBeSearched_saysNotReadable_notMissing() throws Exception {
        String why = "running as root: a folder without search permission does not stop root (BadInputIT covers "
                + "it with a dropped-privilege child)";
        if (runningAsRoot()) {
            System.out.println("SKIPPED inspect_ofAFileInAFolderThatMayNotBeSearched_saysNotReadable_notMissing: "
                    + why);
        }
        assumeFalse(runningAsRoot(), why);
        Path locked = Files.createDirectory(temp.resolve("locked"));
        Path db = createDatabase(locked.resolve("live.db"), "delete", 10, 10);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-------"));
        try {
            assertThatThrownBy(() -> snapshotter.inspect(db)).isInstanceOf(InvalidInputException.class)
                    .hasMessage("database " + db + " is not readable: permission denied");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    // ---- data assertions ----

    private static DataAssertion check(String name, String sql, String expect) {
        return new DataAssertion(name, sql, DataAssertion.Expectation.parse(expect));
    }

    @Test
    void assertions_runOnTheCopyReadOnly_eachWithItsNumberOrWhyItHasNone_andTheCopyIsUntouched() throws Exception {
        Path db = createDatabase(temp.resolve("app.db"), "WAL", 200, 64);
        Path copy = emptyTarget();
        snapshotter.snapshot(db, copy, false, SnapshotProgress.NONE);
        String before = sha256(copy);

        List<AssertionResult> results = snapshotter.evaluate(copy, List.of(
                check("items", "SELECT count(*) FROM items", ">= 1"),
                check("counter", "SELECT n FROM counter", "== 200"),
                check("none", "SELECT count(*) FROM items WHERE tag = 'x'", "> 0"),
                check("ratio", "SELECT avg(length(payload)) / 2.0 FROM items", "== 32"),
                check("missing", "SELECT count(*) FROM users", ">= 1"),
                check("text", "SELECT 'many' FROM counter", ">= 1"),
                check("numeric text", "SELECT ' 42 ' FROM counter", "== 42"),
                check("null", "SELECT max(n) FROM counter WHERE n < 0", ">= 1"),
                check("rows", "SELECT id FROM items", ">= 1"),
                check("columns", "SELECT 1, 2", ">= 1"),
                check("empty", "SELECT n FROM counter WHERE n < 0", ">= 1")));

        assertThat(results).extracting(AssertionResult::describe).containsExactly(
                "items: 200 (ok, expected >= 1)",
                "counter: 200 (ok, expected == 200)",
                "none: 0, expected > 0",
                "ratio: 32.0 (ok, expected == 32)",
                "missing: no such table: users",
                "text: the query returned 'many', not a number",
                "numeric text: 42 (ok, expected == 42)",
                "null: the query returned NULL, expected a number",
                "rows: the query returned more than one row, expected one number",
                "columns: the query returned 2 columns, expected one number",
                "empty: the query returned no row, expected one number");
        assertThat(sha256(copy)).isEqualTo(before);
        assertThat(namesIn(copy.getParent())).as("no -wal, -shm or journal beside the copy")
                .containsExactly(copy.getFileName().toString());
    }

    @Test
    void assertions_onACopyThatCannotBeOpened_eachFailNamingWhy() throws Exception {
        Path notADatabase = Files.writeString(temp.resolve("garbage.db"), "x".repeat(5000));

        List<AssertionResult> results = snapshotter.evaluate(notADatabase,
                List.of(check("items", "SELECT count(*) FROM items", ">= 1")));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.passed()).isFalse();
            assertThat(r.describe()).contains("not a database");
        });
    }

    @Test
    void countRows_countsEachTable_takesSqliteStatsForAHugeOne_andLeavesVirtualTablesOut() throws Exception {
        Path db = createDatabase(temp.resolve("counted.db"), "WAL", 300, 16);
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE \"odd name\"(x)");
            s.execute("INSERT INTO \"odd name\" VALUES (1), (2)");
            s.execute("CREATE VIRTUAL TABLE r USING rtree(id, a, b)");
            s.execute("ANALYZE");
            // what ANALYZE would say of a table of 5 million rows
            s.execute("UPDATE sqlite_stat1 SET stat = '5000000 1' WHERE tbl = 'items' AND idx = 'items_tag'");
        }
        Path copy = emptyTarget();
        snapshotter.snapshot(db, copy, false, SnapshotProgress.NONE);

        List<TableCount> counts = snapshotter.countRows(copy);

        assertThat(counts).containsExactly(new TableCount("counter", 1, false), new TableCount("items", 5_000_000,
                true), new TableCount("odd name", 2, false));
        assertThat(namesIn(copy.getParent())).containsExactly(copy.getFileName().toString());
    }
}
