package dev.sqlitebackup.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.adapters.filesystem.FilesystemBackupRepository;
import dev.sqlitebackup.adapters.sqlite.SqliteSnapshotter;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.service.RunBackupService;
import dev.sqlitebackup.domain.testing.InMemoryNotifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code Benchmarks load} (docs/benchmark.sh, h): a writer commits continuously on its own connection while ten
 * backups (online backup API and VACUUM INTO, alternating) run back to back through the real service, snapshotter and
 * folder. Every backup must pass integrity_check and hold a committed state (the counter always equals the row count,
 * so a torn copy shows), and the writer must get on. How long the writer was held is printed, not asserted: timing
 * here is noisy and shared. It was a unit test; it asserts what {@code SqliteSnapshotterTest} already does (a
 * committed state in both journal modes while a writer commits, a WAL writer never held), so it runs with the
 * benchmarks rather than in every build.
 */
final class ConcurrentWriterLoad {

    private static final int ROWS = 30_000;
    private static final int PAYLOAD = 1_000;
    private static final int BACKUPS = 10;

    private ConcurrentWriterLoad() {
    }

    /** Ten backups back to back in {@code temp} while a writer commits; fails (throws) when one is not right. */
    static void tenBackupsWhileAWriterCommits(String journalMode, Path temp) throws Exception {
        Path db = createDatabase(temp.resolve("live.db"), journalMode);
        FilesystemBackupRepository folder = new FilesystemBackupRepository(temp.resolve("backups"));
        RunBackupService service = new RunBackupService(new SqliteSnapshotter(), folder, new InMemoryNotifier(),
                Clock.systemUTC());
        List<RunResult> results = new ArrayList<>();
        List<Long> commitsDuring = new ArrayList<>();
        long firstStart;
        long lastEnd;
        Writer.Stats duringBackups;
        Writer.Stats idle;
        try (Writer writer = new Writer(db)) {
            writer.awaitCommits(50);
            long idleStart = System.nanoTime();
            Thread.sleep(1_000);
            idle = writer.stats(idleStart, System.nanoTime());
            firstStart = System.nanoTime();
            for (int i = 0; i < BACKUPS; i++) {
                boolean compact = i % 2 == 1;
                long before = writer.commits();
                results.add(service.run(RunBackupUseCase.Command.localBackup(db, compact, VerifyLevel.QUICK,
                        RetentionPolicy.DEFAULT, ZoneOffset.UTC, SnapshotProgress.NONE)));
                commitsDuring.add(writer.commits() - before);
            }
            lastEnd = System.nanoTime();
            duringBackups = writer.stats(firstStart, lastEnd);
            writer.awaitCommits(writer.commits() + 5); // still writing after the last backup
        }

        long sizeMb = Files.size(db) >> 20;
        System.out.printf("[load %s] %d backups of a %d MB database in %d ms (%s); writer: %d commits meanwhile, "
                + "per backup %s; longest commit %.1f ms, longest gap between commits %.1f ms, median commit %.2f ms; "
                + "for comparison, in 1 s without a backup: %d commits, longest %.1f ms, median %.2f ms%n",
                journalMode, BACKUPS, sizeMb, TimeUnit.NANOSECONDS.toMillis(lastEnd - firstStart),
                results.stream().map(r -> r.duration().toMillis() + " ms").toList(), duringBackups.commits(),
                commitsDuring, duringBackups.longestCommitNanos() / 1e6, duringBackups.longestGapNanos() / 1e6,
                duringBackups.medianCommitNanos() / 1e6, idle.commits(), idle.longestCommitNanos() / 1e6,
                idle.medianCommitNanos() / 1e6);

        assertThat(results).hasSize(BACKUPS);
        assertThat(results.stream().map(RunResult::file).distinct()).hasSize(BACKUPS);
        assertThat(folder.list()).hasSize(BACKUPS);
        long previousCounter = ROWS;
        for (RunResult result : results) {
            IntegrityReport report = new SqliteSnapshotter().check(result.file(), VerifyLevel.FULL);
            assertThat(report.ok()).as(result.file() + ": " + report.summary()).isTrue();
            long counter = queryLong(result.file(), "SELECT n FROM counter");
            long rows = queryLong(result.file(), "SELECT count(*) FROM items");
            assertThat(counter).as("counter == count(*) in " + result.file()).isEqualTo(rows);
            assertThat(counter).as("each backup holds at least what the one before it held")
                    .isGreaterThanOrEqualTo(previousCounter);
            previousCounter = counter;
        }
        assertThat(previousCounter).as("the last backup holds the writer's commits").isGreaterThan(ROWS);
        assertThat(duringBackups.commits()).as("the writer's commits while the backups ran").isPositive();
        if (journalMode.equals("wal")) {
            // WAL readers never block the writer: it commits during every single backup
            assertThat(commitsDuring).as("commits during each backup").allMatch(n -> n > 0);
        }
    }

    private static Connection open(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    /** About 32 MB: ROWS items of PAYLOAD random bytes with an index, and a counter equal to the row count. */
    private static Path createDatabase(Path db, String journalMode) throws SQLException {
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=" + journalMode);
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, payload BLOB, tag TEXT)");
            s.execute("CREATE INDEX items_tag ON items(tag)");
            s.execute("CREATE TABLE counter(n INTEGER NOT NULL)");
            s.execute("BEGIN");
            s.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + ROWS + ") "
                    + "INSERT INTO items(payload, tag) SELECT randomblob(" + PAYLOAD + "), hex(randomblob(8)) FROM c");
            s.execute("INSERT INTO counter VALUES (" + ROWS + ")");
            s.execute("COMMIT");
        }
        return db;
    }

    /** Opens a backup without leaving anything beside it. */
    private static long queryLong(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toUri() + "?immutable=1");
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * Commits "insert one row, add one to the counter" in a loop on its own connection (busy_timeout 60 s, so a
     * writer held by a rollback-journal backup waits rather than fails), recording when each commit started and
     * ended.
     */
    private static final class Writer implements AutoCloseable {
        private static final int MAX_COMMITS = 2_000_000;

        private final Thread thread;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final long[] starts = new long[MAX_COMMITS];
        private final long[] ends = new long[MAX_COMMITS];
        private final AtomicLong count = new AtomicLong(); // published after both arrays are written
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        record Stats(long commits, long longestCommitNanos, long longestGapNanos, long medianCommitNanos) {
        }

        Writer(Path db) {
            thread = new Thread(() -> {
                try (Connection c = open(db); Statement s = c.createStatement();
                        PreparedStatement insert = c.prepareStatement(
                                "INSERT INTO items(payload, tag) VALUES (randomblob(200), 'w')")) {
                    s.execute("PRAGMA busy_timeout=60000");
                    s.execute("PRAGMA synchronous=NORMAL");
                    int n = 0;
                    while (!stop.get() && n < MAX_COMMITS) {
                        long start = System.nanoTime();
                        s.execute("BEGIN IMMEDIATE");
                        insert.executeUpdate();
                        s.execute("UPDATE counter SET n = n + 1");
                        s.execute("COMMIT");
                        starts[n] = start;
                        ends[n] = System.nanoTime();
                        count.set(++n);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "load-writer");
            thread.start();
        }

        long commits() {
            return count.get();
        }

        void awaitCommits(long n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count.get() < n && System.nanoTime() < deadline && failure.get() == null) {
                Thread.sleep(5);
            }
            assertThat(failure.get()).isNull();
            assertThat(count.get()).isGreaterThanOrEqualTo(n);
        }

        /** Commits that ended within [from, to]: how many, the longest, and the longest wait between two. */
        Stats stats(long from, long to) {
            int n = (int) count.get();
            List<Long> durations = new ArrayList<>();
            long longestGap = 0;
            long previousEnd = from;
            for (int i = 0; i < n; i++) {
                if (ends[i] < from || ends[i] > to) {
                    continue;
                }
                durations.add(ends[i] - starts[i]);
                longestGap = Math.max(longestGap, ends[i] - previousEnd);
                previousEnd = ends[i];
            }
            longestGap = Math.max(longestGap, to - previousEnd);
            durations.sort(null);
            long median = durations.isEmpty() ? 0 : durations.get(durations.size() / 2);
            long longest = durations.isEmpty() ? 0 : durations.get(durations.size() - 1);
            return new Stats(durations.size(), longest, longestGap, median);
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(thread.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }
}
