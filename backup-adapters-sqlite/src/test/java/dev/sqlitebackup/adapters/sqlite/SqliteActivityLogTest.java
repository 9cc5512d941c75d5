package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import dev.sqlitebackup.domain.testing.ActivityLogContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The state database on real SQLite files passes the same contract as the in-memory fake, and more. */
class SqliteActivityLogTest extends ActivityLogContract {

    @TempDir
    Path temp;

    private Path file;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(SqliteActivityLog.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Override
    protected ActivityLog newLog() {
        file = temp.resolve("backups").resolve(".sqlite-backup").resolve("state.db");
        return new SqliteActivityLog(file);
    }

    @Override
    protected ActivityLog sharedBy(DatabaseIdentity database) {
        return new SqliteActivityLog(file, Optional.of(database));
    }

    @Override
    protected void corrupt() {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, "this is not an SQLite database, just some text that got in the way\n".repeat(100)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readingAMissingStateDatabase_createsNothing() {
        assertThat(log.recent(5)).isEmpty();
        assertThat(log.lastSuccess()).isEmpty();
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void theFirstRecording_createsTheDatabaseOwnerOnly_inWalMode() throws Exception {
        log.start(RunTrigger.MANUAL, T0);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
        // made whole under a temporary name and linked: nothing of the making is left beside it
        try (Stream<Path> beside = Files.list(file.getParent())) {
            assertThat(beside.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("state.db", "state.db-wal", "state.db-shm");
        }
    }

    @Test
    void aNewStateDatabase_isMadeWithoutARollbackJournal_andAppearsWhole() throws Exception {
        Files.createDirectories(file.getParent());
        List<String> created = new ArrayList<>();
        try (WatchService watch = file.getFileSystem().newWatchService()) {
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            log.start(RunTrigger.MANUAL, T0);
            for (WatchKey key = watch.poll(1, TimeUnit.SECONDS); key != null; key = watch.poll(200,
                    TimeUnit.MILLISECONDS)) {
                key.pollEvents().forEach(e -> created.add(String.valueOf(e.context())));
                key.reset();
            }
        }

        // SQLite switching an empty file to WAL writes a rollback journal (a file and three fsyncs more per
        // folder's first run); the database made under another name is linked whole to its own
        assertThat(created).doesNotContain("state.db-journal").contains("state.db")
                .anyMatch(name -> name.startsWith(".state.db.new-"));
    }

    @Test
    void manyFirstRecordingsAtOnce_makeOneStateDatabase_holdingEveryRun() throws Exception {
        int runs = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < runs; i++) {
            Instant at = T0.plusSeconds(i);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    SqliteActivityLog own = new SqliteActivityLog(file); // as another process would
                    RunRecord started = own.start(RunTrigger.MANUAL, at);
                    own.finish(started.ended(at.plusMillis(500), RunRecord.Outcome.SUCCESS, Optional.empty(),
                            Optional.empty(), Optional.empty()));
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        SqliteActivityLog.awaitClosed();

        assertThat(failures).isEmpty();
        assertThat(logs.list).as("no warning: every run was recorded").isEmpty();
        assertThat(log.recent(100)).hasSize(runs);
        // nothing of the eight makings is left (a -wal may be: the last of connections closing at once removes it
        // only when it sees no other)
        try (Stream<Path> beside = Files.list(file.getParent())) {
            assertThat(beside.map(p -> p.getFileName().toString()))
                    .allMatch(name -> List.of("state.db", "state.db-wal", "state.db-shm").contains(name));
        }
    }

    @Test
    void aCorruptStateDatabase_warnsOnce_neverThrowsWhileRecording_andSaysWhatIsWrongWhenRead() {
        corrupt();

        RunRecord started = log.start(RunTrigger.SCHEDULED, T0);
        log.finish(started.ended(T0.plusSeconds(3), RunRecord.Outcome.SUCCESS, Optional.empty(), Optional.empty(),
                Optional.empty()));

        assertThat(started.id()).as("not stored").isZero();
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
            assertThat(e.getFormattedMessage()).contains("activity log " + file)
                    .contains("the run goes on without being recorded");
        });
        assertThatThrownBy(() -> log.recent(10)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("state database " + file + " cannot be read");
    }

    @Test
    void twoLogsOnOneFile_seeEachOthersRuns_asTwoProcessesWould() {
        SqliteActivityLog other = new SqliteActivityLog(file);
        RunRecord mine = log.start(RunTrigger.SCHEDULED, T0);
        RunRecord theirs = other.start(RunTrigger.MANUAL, T0.plusSeconds(1));

        assertThat(other.recent(10)).extracting(RunRecord::id).containsExactly(theirs.id(), mine.id());
        assertThat(mine.id()).isNotEqualTo(theirs.id());
    }

    @Test
    void aRun_opensTheStateDatabaseOnce_keptFromItsStartToItsEnd_thenClosed() throws Exception {
        Path wal = file.resolveSibling("state.db-wal");
        RunRecord started = log.start(RunTrigger.MANUAL, T0);

        // SQLite removes the -wal when the last connection closes: while it is there, the run's connection is open
        assertThat(wal).as("kept open between the run's start and end").exists();
        assertThat(log.lastSuccess()).isEmpty();
        log.finish(started.ended(T0.plusSeconds(2), RunRecord.Outcome.SUCCESS, Optional.empty(), Optional.empty(),
                Optional.empty()));

        SqliteActivityLog.awaitClosed(); // closed on another thread, not holding up the next backup
        assertThat(wal).as("closed at the run's end").doesNotExist();
        assertThat(log.lastSuccess()).map(RunRecord::id).contains(started.id());
    }

    @Test
    void aRunEndedOnAnotherThread_closesItsConnection_andAnotherThreadReadsMeanwhile() throws Exception {
        RunRecord started = log.start(RunTrigger.SCHEDULED, T0);

        List<RunRecord> seenElsewhere = new ArrayList<>();
        Thread other = new Thread(() -> {
            seenElsewhere.addAll(log.recent(5));
            log.finish(started.ended(T0.plusSeconds(1), RunRecord.Outcome.FAILED, Optional.empty(),
                    Optional.empty(), Optional.of("boom")));
        });
        other.start();
        other.join();

        assertThat(seenElsewhere).extracting(RunRecord::id).containsExactly(started.id());
        SqliteActivityLog.awaitClosed();
        assertThat(file.resolveSibling("state.db-wal")).doesNotExist();
        assertThat(log.recent(5)).singleElement().satisfies(r -> assertThat(r.error()).contains("boom"));
    }

    @Test
    void aRunThatNeverEnded_isClosedWhenItsThreadStartsTheNext() throws Exception {
        log.start(RunTrigger.SCHEDULED, T0); // its end never comes (the thread died in between, say)
        RunRecord next = log.start(RunTrigger.RETRY, T0.plusSeconds(60));
        log.finish(next.ended(T0.plusSeconds(61), RunRecord.Outcome.SUCCESS, Optional.empty(), Optional.empty(),
                Optional.empty()));

        SqliteActivityLog.awaitClosed();
        assertThat(file.resolveSibling("state.db-wal")).as("no connection left open").doesNotExist();
        assertThat(log.recent(5)).hasSize(2);
    }

    @Test
    void timesSurviveTheRoundTrip_toTheMillisecond() {
        Instant precise = Instant.parse("2026-08-18T03:00:00.123456789Z");
        log.start(RunTrigger.RETRY, precise);

        assertThat(log.recent(1).get(0).startedAt()).isEqualTo(Instant.parse("2026-08-18T03:00:00.123Z"));
    }

    @Test
    void aStateDatabaseFromBeforeRunsHadADatabase_getsTheColumn_andItsOldRunsCountForAnyDatabase() throws Exception {
        Files.createDirectories(file.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, "
                    + "started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT, backup_name TEXT, size_bytes INTEGER, "
                    + "remote_id TEXT, error TEXT)");
            s.execute("INSERT INTO runs (trigger, started_at, ended_at, outcome, backup_name) VALUES ('scheduled', "
                    + "'2026-08-17T03:00:00.000Z', '2026-08-17T03:00:02.000Z', 'success', "
                    + "'backup-2026-08-17-030000.db')");
        }
        DatabaseIdentity app = new DatabaseIdentity(Path.of("/srv/app/app.db"));
        DatabaseIdentity users = new DatabaseIdentity(Path.of("/srv/app/users.db"));
        SqliteActivityLog appLog = new SqliteActivityLog(file, Optional.of(app));
        assertThat(appLog.recent(10)).as("read before the first write: no column yet").hasSize(1);

        RunRecord started = appLog.start(RunTrigger.MANUAL, T0);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT database FROM runs WHERE id = " + started.id())) {
            assertThat(rs.getString(1)).isEqualTo("/srv/app/app.db");
        }
        assertThat(appLog.recent(10)).hasSize(2);
        assertThat(new SqliteActivityLog(file, Optional.of(users)).recent(10)).as("only the run from before")
                .singleElement().satisfies(r -> assertThat(r.startedAt())
                        .isEqualTo(Instant.parse("2026-08-17T03:00:00Z")));
    }

    @Test
    void aStateDatabaseOfTodaysSchema_getsTheNameColumn_itsRowsStillShow_andEachNameSeesOnlyItsOwn()
            throws Exception {
        // the schema and a row as the version before names wrote them
        Files.createDirectories(file.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, "
                    + "started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT, backup_name TEXT, size_bytes INTEGER, "
                    + "remote_id TEXT, error TEXT, database TEXT)");
            s.execute("INSERT INTO runs (trigger, started_at, ended_at, outcome, backup_name, database) VALUES "
                    + "('scheduled', '2026-08-17T03:00:00.000Z', '2026-08-17T03:00:02.000Z', 'success', "
                    + "'backup-2026-08-17-030000.db', '/srv/app/app.db')");
        }
        DatabaseIdentity app = new DatabaseIdentity(Path.of("/srv/app/app.db"));
        DatabaseIdentity jobs = new DatabaseIdentity(Path.of("/srv/app/jobs.db"));
        SqliteActivityLog appLog = new SqliteActivityLog(file, Optional.of(app), Optional.of("app"));
        assertThat(appLog.recent(10)).as("read before the first write: no column yet").hasSize(1);

        RunRecord appRun = appLog.start(RunTrigger.MANUAL, T0);
        SqliteActivityLog jobsLog = new SqliteActivityLog(file, Optional.of(jobs), Optional.of("jobs"));
        jobsLog.start(RunTrigger.MANUAL, T0.plusSeconds(1));
        // a run refused for its settings, before its database was known: only its name tells whose it is
        new SqliteActivityLog(file, Optional.empty(), Optional.of("jobs")).finish(RunRecord.started(0,
                RunTrigger.MANUAL, T0.plusSeconds(2)).ended(T0.plusSeconds(2), RunRecord.Outcome.FAILED,
                Optional.empty(), Optional.empty(), Optional.of("BACKUP_KEEP_DAILY must be at least 0")));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT database_name FROM runs WHERE id = " + appRun.id())) {
            assertThat(rs.getString(1)).isEqualTo("app");
        }
        assertThat(appLog.recent(10)).as("its own run and the upgraded installation's row")
                .extracting(RunRecord::startedAt).containsExactly(T0, Instant.parse("2026-08-17T03:00:00Z"));
        assertThat(jobsLog.recent(10)).extracting(RunRecord::startedAt)
                .containsExactly(T0.plusSeconds(2), T0.plusSeconds(1));
        assertThat(appLog.lastSuccess()).get().satisfies(r -> assertThat(r.startedAt())
                .isEqualTo(Instant.parse("2026-08-17T03:00:00Z")));
    }

    @Test
    void tableCounts_roundTrip_oddNamesAndEstimatesIncluded() {
        java.util.List<dev.sqlitebackup.domain.model.TableCount> tables = java.util.List.of(
                new dev.sqlitebackup.domain.model.TableCount("messages", 120_433, false),
                new dev.sqlitebackup.domain.model.TableCount("odd = & name~", 2, false),
                new dev.sqlitebackup.domain.model.TableCount("big", 12_000_000, true));

        assertThat(SqliteActivityLog.decode(SqliteActivityLog.encode(tables))).isEqualTo(tables);
        assertThat(SqliteActivityLog.encode(java.util.List.of())).isNull();
        assertThat(SqliteActivityLog.decode("messages=12&broken&x=notanumber")).containsExactly(
                new dev.sqlitebackup.domain.model.TableCount("messages", 12, false));
    }
}
