package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryRemoteBackupStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The raw copy under a writer in another process (Debian's {@code sqlite3}, so SQLite's locks are really another
 * process's): it commits continuously, moves money between accounts (the sum never changes) and counts its rows (the
 * counter always equals them) in the same transactions, grows the database and shrinks it (deletes, VACUUM), and in
 * WAL mode runs PASSIVE, FULL, RESTART and TRUNCATE checkpoints, so the WAL restarts and is truncated under the copies.
 * Every copy must pass integrity_check and both invariants.
 */
class RawCopyStressTest {

    private static final int COPIES = 200;
    private static final int ACCOUNTS = 100;
    private static final long BALANCE = 1_000;

    @TempDir
    Path temp;

    private CapturedLogs logs;

    @BeforeEach
    void captureLogs() {
        logs = CapturedLogs.of(RawCopy.class, SqliteSnapshotter.class);
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
    }

    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"wal", "delete"})
    void everyRawCopyUnderAWriterInAnotherProcess_passesIntegrityCheck_andHoldsTheInvariants(String journalMode)
            throws Exception {
        Path db = temp.resolve("live.db");
        create(db, journalMode);
        SqliteSnapshotter snapshotter = new SqliteSnapshotter(PageCopy.RAW);
        long started = System.nanoTime();
        long smallest = Long.MAX_VALUE;
        long largest = 0;
        long lastCounter = 0;
        long initial = live(db, "SELECT n FROM counter");
        try (FedSqlite3 writer = writer(db, journalMode)) {
            writer.awaitStatements(50);
            // statements written to sqlite3's pipe are not yet run: wait until it has the database open and has
            // committed, so that no copy starts before the writer exists (a copy that found no -wal and -shm makes
            // them, and the writer opening the database then would rightly keep them, with a warning)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (live(db, "SELECT n FROM counter") == initial && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            for (int i = 0; i < COPIES; i++) {
                Path copy = Files.createFile(temp.resolve("copy-" + i + ".db"));
                Optional<DatabaseSnapshotter.CopyChecksum> landed = snapshotter.snapshotHashed(db, copy, false,
                        SnapshotProgress.NONE).join();

                assertThat(landed).as("copy %d: hashed as it landed", i)
                        .contains(new DatabaseSnapshotter.CopyChecksum(
                                InMemoryRemoteBackupStore.sha256(Files.readAllBytes(copy)), Files.size(copy)));
                IntegrityReport report = snapshotter.check(copy, VerifyLevel.FULL);
                assertThat(report.ok()).as("copy %d: %s", i, report.summary()).isTrue();
                long counter = query(copy, "SELECT n FROM counter");
                assertThat(counter).as("copy %d: counter == count(*)", i)
                        .isEqualTo(query(copy, "SELECT count(*) FROM items"));
                assertThat(query(copy, "SELECT sum(balance) FROM accounts")).as("copy %d: the money", i)
                        .isEqualTo(ACCOUNTS * BALANCE);
                lastCounter = counter;
                smallest = Math.min(smallest, Files.size(copy));
                largest = Math.max(largest, Files.size(copy));
                Files.delete(copy);
            }
            writer.assertNoErrors();
            System.out.printf("raw copy stress (%s): %d copies in %d ms while sqlite3 ran %d statements; copies of "
                    + "%d to %d bytes; %d copies laid WAL frames over the file, %d saw the WAL restart%n",
                    journalMode, COPIES, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    writer.statements(), smallest, largest, copiesWithFrames(), restarts());
        }
        assertThat(fallbacks()).as("every copy was a raw one").isEmpty();
        assertThat(largest).as("the database grew and shrank between copies").isGreaterThan(smallest);
        assertThat(lastCounter).as("the writer committed meanwhile").isGreaterThan(0);
        if (journalMode.equals("wal")) {
            assertThat(copiesWithFrames()).as("copies that took pages from the WAL").isPositive();
        }
    }

    /** A value read as the application would, through SQLite's locks and the WAL. */
    private static long live(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private List<String> fallbacks() {
        return logs.events().stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private long copiesWithFrames() {
        return logs.events().stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("raw copy: ") && !m.contains(", 0 from ")).count();
    }

    private long restarts() {
        return logs.events().stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("restarted"))
                .count();
    }

    private static void create(Path db, String journalMode) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=" + journalMode);
            s.execute("CREATE TABLE accounts(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, payload BLOB, tag TEXT)");
            s.execute("CREATE INDEX items_tag ON items(tag)");
            s.execute("CREATE TABLE counter(n INTEGER NOT NULL)");
            s.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + ACCOUNTS + ") "
                    + "INSERT INTO accounts(balance) SELECT " + BALANCE + " FROM c");
            s.execute("INSERT INTO counter VALUES (0)");
        }
    }

    /** Reads a copy without leaving anything beside it. */
    private static long query(Path copy, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + SqliteSnapshotter.uri(copy)
                + "?immutable=1"); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * {@code sqlite3} fed an endless script of transactions, VACUUMs and checkpoints until closed: it moves money
     * between accounts and counts its rows in the same transactions.
     */
    private static FedSqlite3 writer(Path db, String journalMode) throws IOException {
        return new FedSqlite3(db,
                ".timeout 10000\nPRAGMA synchronous=OFF;\nPRAGMA journal_mode=" + journalMode + ";\n",
                RawCopyStressTest::step);
    }

    /** The i-th piece of the script: every one a whole transaction (or a VACUUM or checkpoint). */
    private static String step(long i) {
        long from = 1 + (i * 7) % ACCOUNTS;
        long to = 1 + (i * 13 + 5) % ACCOUNTS;
        StringBuilder sql = new StringBuilder("BEGIN IMMEDIATE;"
                + "UPDATE accounts SET balance = balance - " + (i % 50) + " WHERE id = " + from + ";"
                + "UPDATE accounts SET balance = balance + " + (i % 50) + " WHERE id = " + to + ";"
                + "INSERT INTO items(payload, tag) VALUES (randomblob(" + (100 + i % 900) + "), hex(randomblob(6)));"
                + "UPDATE counter SET n = n + 1;");
        if (i % 20 == 0) { // grow
            sql.append("INSERT INTO items(payload, tag) SELECT randomblob(1500), 'bulk' FROM accounts LIMIT 40;"
                    + "UPDATE counter SET n = n + changes();");
        }
        if (i % 50 == 0) { // shrink the content
            sql.append("DELETE FROM items WHERE random() % 3 <> 0;UPDATE counter SET n = n - changes();");
        }
        sql.append("COMMIT;\n");
        if (i % 150 == 0) {
            sql.append("VACUUM;\n"); // and the file
        }
        if (i % 7 == 0) {
            sql.append("PRAGMA wal_checkpoint(PASSIVE);\n");
        }
        if (i % 31 == 0) {
            sql.append("PRAGMA wal_checkpoint(FULL);\n");
        }
        if (i % 17 == 0) {
            sql.append("PRAGMA wal_checkpoint(RESTART);\n");
        }
        if (i % 23 == 0) {
            sql.append("PRAGMA wal_checkpoint(TRUNCATE);\n");
        }
        return sql.toString();
    }
}
