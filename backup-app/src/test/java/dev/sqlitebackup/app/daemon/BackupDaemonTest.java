package dev.sqlitebackup.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.adapters.filesystem.FilesystemBackupRepository;
import dev.sqlitebackup.adapters.sqlite.SqliteActivityLog;
import dev.sqlitebackup.adapters.sqlite.SqliteSnapshotter;
import dev.sqlitebackup.app.Main;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RetryPlan;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.port.out.Notifier;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import dev.sqlitebackup.domain.service.CheckStatusService;
import dev.sqlitebackup.domain.service.HoldDaemonLockService;
import dev.sqlitebackup.domain.service.RunBackupService;
import dev.sqlitebackup.domain.testing.InMemoryActivityLog;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryDatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryRemoteBackupStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon in this JVM, on Quartz: fast schedules, short retry delays, real backup folders and state databases
 * where the lock and the files matter, in-memory fakes where only the order of events does. Waits are generous and
 * the assertions are about order and counts; the only times asserted are lower bounds a slow machine cannot break.
 */
class BackupDaemonTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String NEVER_SOON = "0 0 3 1 1 ? 2099"; // its last fire is "never": no catch-up owed
    private static final String DAILY = BackupSchedule.DEFAULT;

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private BackupDaemon daemon;

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    // --- real folder, real state database -------------------------------------------------------------------

    private Path db;
    private Path dir;
    private SqliteActivityLog log;

    private BackupDaemon realDaemon(String schedule, ScriptedSnapshotter snapshotter, RetryPlan retries,
            Duration grace) throws SQLException {
        db = home.resolve("app.db");
        if (!Files.exists(db)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
                s.execute("INSERT INTO notes (body) VALUES ('one'), ('two')");
            }
        }
        dir = home.resolve("backups");
        log = new SqliteActivityLog(dir.resolve(".sqlite-backup").resolve("state.db"));
        FilesystemBackupRepository repository = new FilesystemBackupRepository(dir);
        RunBackupService service = new RunBackupService(snapshotter, repository, Notifier.OFF, Clock.systemUTC())
                .recordingTo(log);
        return daemon(service, new CheckStatusService(log, repository, Clock.systemUTC()), repository, schedule, retries, grace);
    }

    private BackupDaemon daemon(RunBackupUseCase service, CheckStatusService status, BackupRepository repository,
            String schedule, RetryPlan retries, Duration grace) {
        RunBackupUseCase.Command backup = RunBackupUseCase.Command.localBackup(
                db == null ? Path.of("/srv/app/app.db") : db, false, VerifyLevel.QUICK, RetentionPolicy.DEFAULT,
                ZoneOffset.UTC, SnapshotProgress.NONE).withOffsiteCopy(RetentionPolicy.DEFAULT);
        DaemonSettings settings = new DaemonSettings(BackupSchedule.parse(schedule, ZoneOffset.UTC), retries, grace,
                backup, dir == null ? Path.of("/in-memory/backups") : dir);
        daemon = new BackupDaemon(service, status, settings, new HoldDaemonLockService(repository),
                new PrintWriter(out, true), new PrintWriter(err, true), Clock.systemUTC());
        return daemon;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void sleepUntil(Instant instant) throws InterruptedException {
        long millis;
        while ((millis = Duration.between(Instant.now(), instant).toMillis()) > 0) {
            Thread.sleep(millis);
        }
    }

    private static long finished(ActivityLog log, RunTrigger trigger) {
        return log.recent(1000).stream().filter(r -> r.trigger() == trigger && r.outcome().isPresent()).count();
    }

    private List<Path> backupFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("backup-.*\\.db")).sorted().toList();
        }
    }

    private List<Path> scratchFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(".sqlite-backup"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("tmp-")).toList();
        }
    }

    @Test
    void aFastSchedule_backsUpOnSchedule_recordsEveryRun_andStopsCleanly() throws Exception {
        BackupDaemon d = realDaemon("* * * * * ?", new ScriptedSnapshotter(new SqliteSnapshotter()),
                RetryPlan.DEFAULT, Duration.ofMinutes(1));
        d.start();

        await("two scheduled backups", () -> finished(log, RunTrigger.SCHEDULED) >= 2);
        assertThat(d.stop()).isTrue();

        List<RunRecord> runs = log.recent(1000);
        assertThat(runs).allSatisfy(r -> assertThat(r.outcome()).contains(RunRecord.Outcome.SUCCESS));
        assertThat(runs.get(runs.size() - 1).trigger()).as("an empty history owes a catch-up first")
                .isEqualTo(RunTrigger.CATCH_UP);
        assertThat(backupFiles()).hasSize(runs.size());
        assertThat(runs).extracting(r -> dir.resolve(r.backup().orElseThrow().value()))
                .containsExactlyInAnyOrderElementsOf(backupFiles());
        assertThat(out.toString()).contains("sqlite-backup daemon started: database " + db)
                .contains("schedule '* * * * * ?' in Z").contains("next run at").contains("scheduled backup ok")
                .contains("sqlite-backup daemon stopped");

        int afterStop = runs.size();
        // past the schedule's next fire time (and a little): a run that came then would be in the history
        Instant wouldFire = BackupSchedule.parse("* * * * * ?", ZoneOffset.UTC).nextAfter(Instant.now())
                .orElseThrow();
        sleepUntil(wouldFire.plusMillis(500));
        assertThat(log.recent(1000)).as("no run after the stop").hasSize(afterStop);
    }

    @Test
    void aStopDuringASlowBackup_letsItFinish_andStartsNothingNew() throws Exception {
        ScriptedSnapshotter slow = new ScriptedSnapshotter(new SqliteSnapshotter()).holdUntilReleased();
        BackupDaemon d = realDaemon(DAILY, slow, RetryPlan.DEFAULT, Duration.ofMinutes(1));
        d.start();
        assertThat(slow.started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(d::stop);
        await("the daemon to begin stopping", () -> out.toString().contains("stopping: no new backup starts"));
        assertThat(stopped).as("waits for the running backup").isNotDone();
        slow.release();

        assertThat(stopped.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("finished within the grace").isTrue();
        assertThat(log.recent(10)).singleElement().satisfies(r -> {
            assertThat(r.trigger()).isEqualTo(RunTrigger.CATCH_UP);
            assertThat(r.outcome()).contains(RunRecord.Outcome.SUCCESS);
        });
        assertThat(backupFiles()).hasSize(1);
        assertThat(scratchFiles()).isEmpty();
    }

    @Test
    void aBackupSlowerThanTheGrace_isAbandoned() throws Exception {
        ScriptedSnapshotter slow = new ScriptedSnapshotter(new SqliteSnapshotter()).holdUntilReleased();
        BackupDaemon d = realDaemon(DAILY, slow, RetryPlan.DEFAULT, Duration.ofMillis(200));
        d.start();
        assertThat(slow.started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(d.stop()).isFalse();

        assertThat(err.toString()).contains("did not finish within BACKUP_SHUTDOWN_GRACE");
        assertThat(backupFiles()).as("nothing half-done under a backup name").isEmpty();
        // let the abandoned backup end before the folder is removed: it finishes as any run would
        slow.release();
        await("the abandoned backup to finish", () -> log.recent(10).stream().anyMatch(r -> r.outcome().isPresent()));
        assertThat(backupFiles()).hasSize(1);
    }

    @Test
    void aManualRunDuringADaemonRun_getsTheLockMessage_orWaitsForIt() throws Exception {
        ScriptedSnapshotter slow = new ScriptedSnapshotter(new SqliteSnapshotter()).holdUntilReleased();
        realDaemon(DAILY, slow, RetryPlan.DEFAULT, Duration.ofMinutes(1)).start();
        assertThat(slow.started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        Cli busy = cli("run", "--database", db.toString(), "--backup-dir", dir.toString());

        assertThat(busy.exit).as(busy.err).isEqualTo(1);
        assertThat(busy.err.strip()).isEqualTo("sqlite-backup: another backup of " + db.toRealPath()
                + " is running (pid " + ProcessHandle.current().pid() + ")");

        CompletableFuture<Cli> patient = CompletableFuture.supplyAsync(
                () -> cli("run", "--wait", "2m", "--database", db.toString(), "--backup-dir", dir.toString()));
        slow.release();

        Cli waited = patient.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(waited.exit).as(waited.err).isZero();
        List<RunRecord> runs = log.recent(10);
        assertThat(runs).extracting(RunRecord::trigger)
                .containsExactly(RunTrigger.MANUAL, RunTrigger.MANUAL, RunTrigger.CATCH_UP);
        assertThat(runs).extracting(r -> r.outcome().orElseThrow()).containsExactly(RunRecord.Outcome.SUCCESS,
                RunRecord.Outcome.FAILED, RunRecord.Outcome.SUCCESS);
        assertThat(runs.get(1).error()).hasValueSatisfying(e -> assertThat(e).contains("another backup of"));
    }

    @Test
    void aSecondDaemonForTheSameFolder_refusesToStart() throws Exception {
        realDaemon(NEVER_SOON, new ScriptedSnapshotter(new SqliteSnapshotter()), RetryPlan.DEFAULT,
                Duration.ofMinutes(1)).start();

        Cli second = cli("daemon", "--database", db.toString(), "--backup-dir", dir.toString());

        assertThat(second.exit).as(second.err).isEqualTo(1);
        assertThat(second.err.lines().toList()).singleElement().asString()
                .startsWith("sqlite-backup: another sqlite-backup daemon for " + dir + " is running (pid ");
    }

    @Test
    void anInvalidScheduleOrZone_isExit2_beforeAnythingIsCreated() {
        Path fresh = home.resolve("fresh");
        Cli badCron = cli("daemon", "--database", home.resolve("app.db").toString(), "--backup-dir",
                fresh.toString(), "--schedule", "0 0 25 * * ?");
        Cli badZone = cli("daemon", "--database", home.resolve("app.db").toString(), "--backup-dir",
                fresh.toString(), "--timezone", "Mars/Olympus");

        assertThat(badCron.exit).isEqualTo(2);
        assertThat(badCron.err.lines().toList()).singleElement().asString()
                .startsWith("sqlite-backup: BACKUP_SCHEDULE (--schedule) '0 0 25 * * ?' is not a usable schedule");
        assertThat(badZone.exit).isEqualTo(2);
        assertThat(badZone.err.lines().toList()).singleElement().asString()
                .startsWith("sqlite-backup: BACKUP_TIMEZONE (--timezone) is not a known time zone");
        assertThat(fresh).doesNotExist();
    }

    private record Cli(int exit, String out, String err) {
    }

    private static Cli cli(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.execute(args, Map.of(), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), false);
        return new Cli(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    // --- in-memory fakes: the order of runs and retries ---------------------------------------------------------

    private final InMemoryBackupRepository memory = new InMemoryBackupRepository();
    private final InMemoryActivityLog memoryLog = new InMemoryActivityLog();

    private BackupDaemon fakeDaemon(DatabaseSnapshotter snapshotter, Optional<RemoteBackupStore> drive,
            String schedule, RetryPlan retries) {
        RunBackupService service = new RunBackupService(snapshotter, memory, drive, Notifier.OFF, Clock.systemUTC())
                .recordingTo(memoryLog);
        return daemon(service, new CheckStatusService(memoryLog, memory, Clock.systemUTC()), memory, schedule, retries,
                Duration.ofMinutes(1));
    }

    private InMemoryDatabaseSnapshotter memoryDatabase() {
        return new InMemoryDatabaseSnapshotter(memory.files(), Path.of("/srv/app/app.db"));
    }

    @Test
    void aRunThatFailsTwice_isRetriedWithGrowingDelays_andThenSucceeds() throws Exception {
        ScriptedSnapshotter flaky = new ScriptedSnapshotter(memoryDatabase()).failNext(2);
        fakeDaemon(flaky, Optional.empty(), DAILY, new RetryPlan(3, Duration.ofMillis(300))).start();

        await("three attempts", () -> memoryLog.all().stream().filter(r -> r.outcome().isPresent()).count() == 3);

        List<RunRecord> runs = memoryLog.all();
        assertThat(runs).extracting(RunRecord::trigger)
                .containsExactly(RunTrigger.CATCH_UP, RunTrigger.RETRY, RunTrigger.RETRY);
        assertThat(runs).extracting(r -> r.outcome().orElseThrow()).containsExactly(RunRecord.Outcome.FAILED,
                RunRecord.Outcome.FAILED, RunRecord.Outcome.SUCCESS);
        Duration firstWait = Duration.between(runs.get(0).endedAt().orElseThrow(), runs.get(1).startedAt());
        Duration secondWait = Duration.between(runs.get(1).endedAt().orElseThrow(), runs.get(2).startedAt());
        assertThat(firstWait).isGreaterThanOrEqualTo(Duration.ofMillis(300 - 20));
        assertThat(secondWait).isGreaterThanOrEqualTo(Duration.ofMillis(600 - 20));
        assertThat(err.toString()).contains("attempt 2 of 3").contains("attempt 3 of 3");
        assertThat(memory.list()).hasSize(1);
    }

    @Test
    void whenOnlyTheUploadFailed_theRetryUploadsThatSameBackup_andTakesNoNewOne() throws Exception {
        InMemoryDatabaseSnapshotter database = memoryDatabase();
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(memory.files());
        drive.failNextUploads(1, "HTTP 503 Service Unavailable");
        fakeDaemon(database, Optional.of(drive), DAILY, new RetryPlan(3, Duration.ofMillis(100))).start();

        await("the retried upload", () -> memoryLog.all().stream().anyMatch(RunRecord::succeeded));

        List<RunRecord> runs = memoryLog.all();
        assertThat(runs).extracting(r -> r.outcome().orElseThrow())
                .containsExactly(RunRecord.Outcome.LOCAL_ONLY, RunRecord.Outcome.SUCCESS);
        assertThat(runs.get(1).backup()).isEqualTo(runs.get(0).backup());
        assertThat(runs.get(1).remoteId()).isPresent();
        assertThat(database.snapshotsTaken()).isEqualTo(1);
        assertThat(memory.list()).hasSize(1);
        assertThat(drive.uploadsAttempted()).isEqualTo(2);
        assertThat(err.toString()).contains("only the off-site copy of " + runs.get(0).backup().orElseThrow());
    }

    @Test
    void whatTheUserMustFix_isNotRetried() throws Exception {
        InMemoryDatabaseSnapshotter database = memoryDatabase();
        database.databaseMissing();
        memory.prepare(); // the folder exists, so the failed run is recorded
        fakeDaemon(database, Optional.empty(), DAILY, new RetryPlan(3, Duration.ofMillis(100))).start();

        // the decision is made, and said, before the failed run's job ends: after the message no retry can come
        await("the decision not to retry", () -> err.toString().contains("not retried"));

        assertThat(memoryLog.all()).hasSize(1);
        assertThat(memoryLog.all().get(0).outcome()).contains(RunRecord.Outcome.FAILED);
    }

    @Test
    void noCatchUp_whenTheLastSuccessCoversTheLastFireTime() throws Exception {
        Instant lastFire = BackupSchedule.parse(DAILY, ZoneOffset.UTC).lastAtOrBefore(Instant.now()).orElseThrow();
        memoryLog.put(RunRecord.started(0, RunTrigger.SCHEDULED, lastFire).ended(lastFire.plusSeconds(30),
                RunRecord.Outcome.SUCCESS, Optional.empty(), Optional.empty(), Optional.empty()));
        fakeDaemon(memoryDatabase(), Optional.empty(), DAILY, RetryPlan.DEFAULT).start();

        Thread.sleep(1_000);

        assertThat(memoryLog.all()).hasSize(1);
        assertThat(out.toString()).doesNotContain("catching up");
    }

    @Test
    void onTheDayTheScheduledTimeFallsIntoTheSpringGap_theDaemonRunsOnce_whenTheGapEnds() throws Exception {
        ZoneId newYork = ZoneId.of("America/New_York");
        // the morning clocks jump from 02:00 to 03:00 EDT (07:00Z): 02:30 does not exist that day
        Clock morning = Clock.fixed(Instant.parse("2026-03-08T06:00:00Z"), newYork);
        Instant yesterday = Instant.parse("2026-03-07T07:30:00Z");
        memoryLog.put(RunRecord.started(0, RunTrigger.SCHEDULED, yesterday).ended(yesterday.plusSeconds(30),
                RunRecord.Outcome.SUCCESS, Optional.empty(), Optional.empty(), Optional.empty()));
        RunBackupService service = new RunBackupService(memoryDatabase(), memory, Optional.empty(), Notifier.OFF,
                morning).recordingTo(memoryLog);
        RunBackupUseCase.Command backup = RunBackupUseCase.Command.localBackup(Path.of("/srv/app/app.db"), false,
                VerifyLevel.QUICK, RetentionPolicy.DEFAULT, newYork, SnapshotProgress.NONE);
        DaemonSettings settings = new DaemonSettings(BackupSchedule.parse("0 30 2 * * ?", newYork), RetryPlan.DEFAULT,
                Duration.ofMinutes(1), backup, Path.of("/in-memory/backups"));
        daemon = new BackupDaemon(service, new CheckStatusService(memoryLog, memory, morning), settings,
                new HoldDaemonLockService(memory), new PrintWriter(out, true), new PrintWriter(err, true), morning);

        daemon.start();

        assertThat(out.toString()).contains("next run at 2026-03-08 03:00:00 -04:00").doesNotContain("catching up");
        // its time is past on the real clock, so Quartz fires it at once
        await("the run moved out of the gap", () -> finished(memoryLog, RunTrigger.SCHEDULED) == 2);
        Thread.sleep(1_000);
        assertThat(memoryLog.all()).extracting(RunRecord::trigger).as("once that day, and nothing else")
                .containsExactly(RunTrigger.SCHEDULED, RunTrigger.SCHEDULED);
        assertThat(daemon.nextScheduledRun()).contains(Instant.parse("2026-03-08T07:00:00Z"));
    }
}
