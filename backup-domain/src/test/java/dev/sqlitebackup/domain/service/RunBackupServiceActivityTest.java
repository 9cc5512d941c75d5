package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupInProgressException;
import dev.sqlitebackup.domain.model.BackupStatus;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.OffsiteCopyFailedException;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunReport;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryActivityLog;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryDatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryNotifier;
import dev.sqlitebackup.domain.testing.InMemoryRemoteBackupStore;
import dev.sqlitebackup.domain.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every run lands in the activity log; a broken log never costs a backup; a retry can redo only the upload. */
class RunBackupServiceActivityTest {

    private static final Path DB = Path.of("/srv/app/app.db");

    private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
    private final InMemoryDatabaseSnapshotter database = new InMemoryDatabaseSnapshotter(repository.files(), DB);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-18T03:00:00Z"));
    private final InMemoryNotifier notifier = new InMemoryNotifier();
    private final InMemoryActivityLog log = new InMemoryActivityLog();
    private final InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
    private final RunBackupService service =
            new RunBackupService(database, repository, Optional.of(drive), notifier, clock).recordingTo(log);

    private RunBackupUseCase.Command command() {
        return RunBackupUseCase.Command.localBackup(DB, false, VerifyLevel.QUICK, RetentionPolicy.DEFAULT,
                ZoneOffset.UTC, SnapshotProgress.NONE).withOffsiteCopy(RetentionPolicy.DEFAULT);
    }

    @Test
    void aManualRun_isRecordedWithItsBackup_sizeAndOffsiteId() {
        RunResult result = service.run(command());

        assertThat(log.all()).singleElement().satisfies(r -> {
            assertThat(r.trigger()).as("the convenience constructors mean a manual run").isEqualTo(RunTrigger.MANUAL);
            assertThat(r.outcome()).contains(RunRecord.Outcome.SUCCESS);
            assertThat(r.startedAt()).isEqualTo(clock.instant());
            assertThat(r.backup()).contains(result.backup().name());
            assertThat(r.sizeBytes()).isEqualTo(OptionalLong.of(result.backup().sizeBytes()));
            assertThat(r.remoteId()).isEqualTo(result.remote().map(remote -> remote.id()));
            assertThat(r.error()).isEmpty();
        });
    }

    @Test
    void theTriggerOfTheCommand_isRecorded() {
        service.run(command().triggeredBy(RunTrigger.SCHEDULED));
        service.run(command().triggeredBy(RunTrigger.CATCH_UP));

        assertThat(log.all()).extracting(RunRecord::trigger)
                .containsExactlyInAnyOrder(RunTrigger.SCHEDULED, RunTrigger.CATCH_UP);
    }

    @Test
    void aFailedRun_isRecordedWithItsError() {
        service.run(command());
        database.failNextSnapshot(new BackupFailedException("could not copy: no space left on device"));

        assertThatThrownBy(() -> service.run(command())).isInstanceOf(BackupFailedException.class);

        assertThat(log.recent(1)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).contains(RunRecord.Outcome.FAILED);
            assertThat(r.error()).contains("could not copy: no space left on device");
            assertThat(r.backup()).isEmpty();
        });
    }

    @Test
    void aRunThatFindsTheLockTaken_isRecordedAsFailed() {
        service.run(command());
        try (BackupFolderLock.Lock held = repository.folderLock().lock("backup of /srv/app/app.db")) {
            assertThatThrownBy(() -> service.run(command())).isInstanceOf(BackupInProgressException.class);
            assertThat(held).isNotNull();
        }

        assertThat(log.recent(1).get(0).error()).hasValueSatisfying(e -> assertThat(e).contains("another backup"));
    }

    @Test
    void aMissingDatabaseOnTheFirstRun_createsNoFolder_andSoRecordsNothing() {
        database.databaseMissing();

        assertThatThrownBy(() -> service.run(command())).isInstanceOf(InvalidInputException.class);

        assertThat(repository.exists()).isFalse();
        assertThat(log.all()).isEmpty();
    }

    @Test
    void aFirstRunThatFailsBeforePublishing_removesItsFolder_andSoRecordsNothing() {
        database.corruptNextCopy();

        assertThatThrownBy(() -> service.run(command())).isInstanceOf(BackupFailedException.class);

        assertThat(repository.exists()).isFalse();
        assertThat(log.all()).as("the log lives in the folder: a record would bring it back").isEmpty();
        assertThat(notifier.reports()).as("the owner is still told").extracting(RunReport::outcome)
                .containsExactly(RunReport.Outcome.FAILED);
    }

    @Test
    void aRunWhoseFolderCannotBePrepared_isNotRecorded() {
        repository.prepare();
        repository.makeUnusable();

        assertThatThrownBy(() -> service.run(command())).isInstanceOf(InvalidInputException.class);

        assertThat(log.all()).as("the log would live in the unusable folder").isEmpty();
    }

    @Test
    void aFailedRun_inAFolderThatWasThere_isRecorded() {
        repository.prepare();
        database.corruptNextCopy();

        assertThatThrownBy(() -> service.run(command())).isInstanceOf(BackupFailedException.class);

        assertThat(log.all()).singleElement().satisfies(r ->
                assertThat(r.outcome()).contains(RunRecord.Outcome.FAILED));
    }

    @Test
    void aBrokenActivityLog_neverCostsABackup() {
        log.breakIt();

        RunResult result = service.run(command());

        assertThat(repository.list()).extracting(b -> b.name()).containsExactly(result.backup().name());
        assertThat(log.warnings()).isNotEmpty();
        assertThat(notifier.reports()).extracting(RunReport::outcome).containsExactly(RunReport.Outcome.SUCCESS);
    }

    @Test
    void anOffsiteFailure_isRecordedLocalOnly_andTheRetryUploadsThatSameBackup_withoutANewSnapshot() {
        drive.failNextUploads(1, "HTTP 503 Service Unavailable");
        OffsiteCopyFailedException failure = org.junit.jupiter.api.Assertions.assertThrows(
                OffsiteCopyFailedException.class, () -> service.run(command().triggeredBy(RunTrigger.SCHEDULED)));
        int snapshots = database.snapshotsTaken();
        clock.advance(Duration.ofMinutes(1));

        RunResult retried = service.copyOffsite(new RunBackupUseCase.OffsiteCommand(failure.localResult(),
                RetentionPolicy.DEFAULT, ZoneOffset.UTC, RunTrigger.RETRY, Duration.ZERO));

        assertThat(database.snapshotsTaken()).as("no new snapshot").isEqualTo(snapshots);
        assertThat(repository.list()).hasSize(1);
        assertThat(retried.backup()).isEqualTo(failure.localResult().backup());
        assertThat(retried.remote()).isPresent();
        assertThat(drive.holds(retried.remote().get().id())).isTrue();
        List<RunRecord> runs = log.all();
        assertThat(runs).extracting(RunRecord::trigger).containsExactly(RunTrigger.SCHEDULED, RunTrigger.RETRY);
        assertThat(runs).extracting(r -> r.outcome().orElseThrow())
                .containsExactly(RunRecord.Outcome.LOCAL_ONLY, RunRecord.Outcome.SUCCESS);
        assertThat(runs.get(0).backup()).isEqualTo(runs.get(1).backup());
        assertThat(runs.get(1).remoteId()).contains(retried.remote().get().id());
        assertThat(notifier.reports()).extracting(RunReport::outcome)
                .containsExactly(RunReport.Outcome.LOCAL_ONLY, RunReport.Outcome.SUCCESS);
    }

    @Test
    void aRetriedUploadThatFailsAgain_staysLocalOnly_withTheSameLocalBackup() {
        drive.failNextUploads(2, "HTTP 503 Service Unavailable");
        OffsiteCopyFailedException first = org.junit.jupiter.api.Assertions.assertThrows(
                OffsiteCopyFailedException.class, () -> service.run(command()));

        OffsiteCopyFailedException again = org.junit.jupiter.api.Assertions.assertThrows(
                OffsiteCopyFailedException.class, () -> service.copyOffsite(new RunBackupUseCase.OffsiteCommand(
                        first.localResult(), RetentionPolicy.DEFAULT, ZoneOffset.UTC, RunTrigger.RETRY,
                        Duration.ZERO)));

        assertThat(again.localResult().backup()).isEqualTo(first.localResult().backup());
        assertThat(log.recent(1).get(0).outcome()).contains(RunRecord.Outcome.LOCAL_ONLY);
    }

    @Test
    void aRetriedUpload_ofABackupThatIsGone_failsAsTheUsersProblem_notRetried() {
        drive.failNextUploads(1, "HTTP 503 Service Unavailable");
        OffsiteCopyFailedException failure = org.junit.jupiter.api.Assertions.assertThrows(
                OffsiteCopyFailedException.class, () -> service.run(command()));
        repository.delete(failure.localResult().backup().name());

        assertThatThrownBy(() -> service.copyOffsite(new RunBackupUseCase.OffsiteCommand(failure.localResult(),
                RetentionPolicy.DEFAULT, ZoneOffset.UTC, RunTrigger.RETRY, Duration.ZERO)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is no longer in");
        assertThat(drive.uploadsAttempted()).isEqualTo(1);
    }

    @Test
    void aRunWithALockWait_waitsForTheRunningBackup_insteadOfFailing() throws Exception {
        service.run(command());
        BackupFolderLock.Lock held = repository.folderLock().lock("backup of /srv/app/app.db");
        CompletableFuture<RunResult> waiting = CompletableFuture.supplyAsync(
                () -> service.run(command().waitingForLock(Duration.ofSeconds(30))));
        Thread.sleep(200);
        assertThat(waiting).isNotDone();

        held.close();

        assertThat(waiting.get(30, TimeUnit.SECONDS).backup()).isNotNull();
        assertThat(repository.list()).hasSize(2);
    }

    @Test
    void aRunThatWaitedForTheFolder_isRecordedFromWhenItTookIt_toWhenItLetGo_soRunsOfOneFolderNeverOverlap()
            throws Exception {
        service.run(command());
        clock.advance(Duration.ofMinutes(1));
        BackupFolderLock.Lock held = repository.folderLock().lock("backup of /srv/app/app.db");
        CompletableFuture<RunResult> waiting = CompletableFuture.supplyAsync(
                () -> service.run(command().waitingForLock(Duration.ofSeconds(30))));
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        clock.advance(Duration.ofSeconds(40)); // the other run still works, then lets go
        Instant letGo = clock.instant();
        held.close();
        waiting.get(30, TimeUnit.SECONDS);

        assertThat(log.recent(1)).singleElement().satisfies(r -> {
            assertThat(r.startedAt()).as("not while it queued behind the other run").isEqualTo(letGo);
            assertThat(r.outcome()).contains(RunRecord.Outcome.SUCCESS);
        });
    }

    @Test
    void aRunsEnd_isWhenItLetGoOfTheFolder_notWhenItsEndWasWritten() {
        repository.whenLockReleased(() -> clock.advance(Duration.ofSeconds(5))); // the next run takes it meanwhile
        Instant taken = clock.instant();

        service.run(command());

        assertThat(log.recent(1)).singleElement().satisfies(r -> {
            assertThat(r.startedAt()).isEqualTo(taken);
            assertThat(r.endedAt()).as("the next run of the folder may start from here").contains(taken);
        });
    }

    @Test
    void status_putsTheLogAndTheFolderTogether() {
        service.run(command());
        clock.advance(Duration.ofHours(1));
        database.failNextSnapshot(new BackupFailedException("disk full"));
        assertThatThrownBy(() -> service.run(command().triggeredBy(RunTrigger.SCHEDULED)))
                .isInstanceOf(BackupFailedException.class);

        BackupStatus status = new CheckStatusService(log, repository, clock).status();

        assertThat(status.lastSuccessAt()).contains(Instant.parse("2026-08-18T03:00:00Z"));
        assertThat(status.lastRun()).get().extracting(RunRecord::trigger).isEqualTo(RunTrigger.SCHEDULED);
        assertThat(status.backupCount()).isEqualTo(1);
        assertThat(status.totalBytes()).isEqualTo(repository.list().get(0).sizeBytes());
        assertThat(status.freshWithin(Duration.ofHours(26), clock.instant())).isTrue();
        assertThat(status.freshWithin(Duration.ofMinutes(59), clock.instant())).isFalse();
    }

    @Test
    void status_withABrokenLog_fallsBackToTheNewestBackup_andSaysWhy() {
        service.run(command());
        log.breakIt();

        BackupStatus status = new CheckStatusService(log, repository, clock).status();

        assertThat(status.lastSuccess()).contains(repository.list().get(0).name());
        assertThat(status.logProblem()).hasValueSatisfying(p -> assertThat(p).contains("cannot be read"));
    }

    @Test
    void status_withNoBackupAtAll_isNeverFresh() {
        BackupStatus status = new CheckStatusService(log, repository, clock).status();

        assertThat(status.lastSuccessAt()).isEmpty();
        assertThat(status.backupCount()).isZero();
        assertThat(status.freshWithin(Duration.ofDays(3650), clock.instant())).isFalse();
    }
}
