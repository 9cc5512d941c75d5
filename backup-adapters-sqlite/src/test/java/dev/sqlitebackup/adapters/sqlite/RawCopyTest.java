package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/** The raw copy's own results, and each precondition whose failure makes it fall back to the online backup API. */
class RawCopyTest {

    @TempDir
    Path temp;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(SqliteSnapshotter.class);
    private int copies;

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static Path createDatabase(Path db, String journalMode, int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=" + journalMode);
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, payload BLOB)");
            s.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + rows + ") "
                    + "INSERT INTO items(payload) SELECT randomblob(500) FROM c");
        }
        return db;
    }

    /** A WAL database as a crashed application leaves it: 300 rows in the file, 50 more only in its -wal. */
    private Path crashedWalDatabase() throws Exception {
        Path live = createDatabase(temp.resolve("live.db"), "wal", 300);
        Path crashed = Files.createDirectories(temp.resolve("crashed")).resolve("app.db");
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + live);
                Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("INSERT INTO items(payload) SELECT randomblob(500) FROM items LIMIT 50");
            Files.copy(live, crashed);
            Files.copy(Path.of(live + "-wal"), Path.of(crashed + "-wal"));
        }
        return crashed;
    }

    private Path copy(SqliteSnapshotter snapshotter, Path db) throws Exception {
        Path copy = Files.createFile(temp.resolve("copy-" + (++copies) + ".db"));
        snapshotter.snapshot(db, copy, false, SnapshotProgress.NONE);
        assertThat(snapshotter.check(copy, VerifyLevel.FULL).ok()).as("integrity_check of " + copy).isTrue();
        return copy;
    }

    private static long count(Path copy) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + SqliteSnapshotter.uri(copy)
                + "?immutable=1"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM items")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aRollbackJournalDatabase_isCopiedByteForByte_whileTheBackupApiRewritesItsHeader() throws Exception {
        Path db = createDatabase(temp.resolve("app.db"), "delete", 500);

        Path raw = copy(new SqliteSnapshotter(PageCopy.RAW), db);
        Path api = copy(new SqliteSnapshotter(PageCopy.API), db);

        assertThat(Files.readAllBytes(raw)).as("the raw copy is the file").isEqualTo(Files.readAllBytes(db));
        assertThat(Files.mismatch(api, db)).as("the backup API writes the copy's own change counter")
                .isBetween(24L, 27L);
        assertThat(warnings()).as("BACKUP_COPY=api is no fallback").isEmpty();
    }

    @Test
    void aWalDatabase_isCopiedWithTheCommittedFramesOfItsWal() throws Exception {
        Path crashed = crashedWalDatabase();

        Path raw = copy(new SqliteSnapshotter(PageCopy.RAW), crashed);

        assertThat(count(raw)).isEqualTo(350);
        assertThat(warnings()).isEmpty();
        assertThat(Files.size(raw) % 4096).isZero();
    }

    @Test
    void aWalThatDoesNotParse_fallsBackToTheBackupApi_withOneLineSayingWhy() throws Exception {
        Path crashed = crashedWalDatabase();
        Path wal = Path.of(crashed + "-wal");
        byte[] bytes = Files.readAllBytes(wal);
        bytes[0] = 0x00; // no WAL magic: SQLite ignores such a WAL, and reads the file alone
        Files.write(wal, bytes);

        Path copy = copy(new SqliteSnapshotter(PageCopy.RAW), crashed);

        assertThat(warnings()).containsExactly("raw copy of " + crashed + " not possible, using SQLite's online "
                + "backup API: app.db-wal does not parse: its header has no WAL magic number (0x007f0682)");
        assertThat(count(copy)).isEqualTo(300);
    }

    @Test
    void aWalWithAnotherPageSize_fallsBackToTheBackupApi() throws Exception {
        Path crashed = crashedWalDatabase();
        // a valid header for 1024-byte pages and no frames, as a -wal kept from before a page size change
        ByteBuffer header = ByteBuffer.allocate(WalIndex.HEADER_BYTES);
        header.putInt(0, WalIndex.MAGIC_BIG_ENDIAN).putInt(4, WalIndex.VERSION).putInt(8, 1024).putInt(16, 7)
                .putInt(20, 9);
        int[] sum = new int[2];
        WalIndex.checksum(header, 0, 24, ByteOrder.BIG_ENDIAN, sum);
        header.putInt(24, sum[0]).putInt(28, sum[1]);
        Files.write(Path.of(crashed + "-wal"), header.array());

        Path copy = copy(new SqliteSnapshotter(PageCopy.RAW), crashed);

        assertThat(warnings()).containsExactly("raw copy of " + crashed + " not possible, using SQLite's online "
                + "backup API: its page size changed: app.db-wal has 1024-byte pages, the database 4096");
        assertThat(count(copy)).isEqualTo(300);
    }

    @Test
    void anExclusiveLockingMode_fallsBackToTheBackupApi() throws Exception {
        Path db = createDatabase(temp.resolve("app.db"), "delete", 100);
        SqliteSnapshotter exclusive = new SqliteSnapshotter(Duration.ofSeconds(10), PageCopy.RAW,
                Optional.of(SQLiteConfig.LockingMode.EXCLUSIVE));

        Path copy = copy(exclusive, db);

        assertThat(warnings()).containsExactly("raw copy of " + db + " not possible, using SQLite's online backup "
                + "API: SQLite's locking mode is exclusive, not normal");
        assertThat(count(copy)).isEqualTo(100);
    }

    @Test
    void anotherConnectionOfThisProcess_fallsBackToTheBackupApi_soItsLocksAreNotDropped() throws Exception {
        Path db = createDatabase(temp.resolve("app.db"), "wal", 100);
        try (Connection app = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = app.createStatement()) {
            s.execute("INSERT INTO items(payload) VALUES (x'01')");

            Path copy = copy(new SqliteSnapshotter(PageCopy.RAW), db);

            assertThat(count(copy)).isEqualTo(101);
        }
        assertThat(warnings()).containsExactly("raw copy of " + db + " not possible, using SQLite's online backup "
                + "API: another connection in this process has it open, and closing a second descriptor would drop "
                + "that connection's locks");
    }

    @Test
    void aDatabaseAnotherProcessHoldsLocked_failsAfterTheBusyTimeout_asWithTheBackupApi() throws Exception {
        Path db = createDatabase(temp.resolve("app.db"), "delete", 10);
        Process sqlite3 = new ProcessBuilder("sqlite3", "-batch", db.toString()).redirectErrorStream(true).start();
        try (PrintWriter in = new PrintWriter(sqlite3.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader out = new BufferedReader(new InputStreamReader(sqlite3.getInputStream(),
                        StandardCharsets.UTF_8))) {
            in.println("BEGIN EXCLUSIVE; INSERT INTO items(payload) VALUES (x'00'); SELECT 'held';");
            assertThat(out.readLine()).isEqualTo("held");
            SqliteSnapshotter impatient = new SqliteSnapshotter(Duration.ofMillis(300), PageCopy.RAW,
                    Optional.empty());
            Path copy = Files.createFile(temp.resolve("copy.db"));

            assertThatThrownBy(() -> impatient.snapshot(db, copy, false, SnapshotProgress.NONE))
                    .isInstanceOf(BackupFailedException.class).hasMessage("backup of " + db + " failed: database is locked");
            assertThat(Files.size(copy)).isZero();
            in.println("ROLLBACK;");
        } finally {
            sqlite3.waitFor();
        }
        assertThat(warnings()).as("the raw copy itself waited, and said so").isEmpty();
    }

    @Test
    void aPlatformOtherThanLinuxOrMacOs_isNotForTheRawCopy() throws Exception {
        Path db = createDatabase(temp.resolve("app.db"), "wal", 1);

        assertThat(RawCopy.unavailable(db, "Windows 11")).contains("the raw copy is made for Linux and macOS, not "
                + "Windows 11");
        assertThat(RawCopy.unavailable(db, "FreeBSD")).isPresent();
        assertThat(RawCopy.unavailable(db, "Linux")).isEmpty();
        assertThat(RawCopy.unavailable(db, "Mac OS X")).isEmpty();
    }

    @Test
    void thePageCountIsThatOfPageOnesHeader_onlyWhenItIsValid_andNeverPastTheEnd() {
        ByteBuffer page1 = ByteBuffer.allocate(100);
        page1.putInt(24, 7).putInt(92, 7).putInt(28, 40);
        assertThat(RawCopy.pageCount(page1, 50)).isEqualTo(40);
        assertThat(RawCopy.pageCount(page1, 30)).as("a header saying more than there is").isEqualTo(30);
        page1.putInt(92, 6);
        assertThat(RawCopy.pageCount(page1, 50)).as("written by a version that did not keep the size").isEqualTo(50);
        page1.putInt(92, 7).putInt(28, 0);
        assertThat(RawCopy.pageCount(page1, 50)).isEqualTo(50);
        assertThat(Arrays.asList(PageCopy.values())).containsExactly(PageCopy.RAW, PageCopy.API);
    }
}
