package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupInProgressException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.TableCount;
import dev.sqlitebackup.domain.model.DriftPolicy;
import dev.sqlitebackup.domain.model.OffsiteCopyFailedException;
import dev.sqlitebackup.domain.model.Pin;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunReport;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryBackupCodec;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryDatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryNotifier;
import dev.sqlitebackup.domain.testing.InMemoryRemoteBackupStore;
import dev.sqlitebackup.domain.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunBackupServiceTest {

    private static final Path DB = Path.of("/srv/app/app.db");

    private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
    private final InMemoryDatabaseSnapshotter database =
            new InMemoryDatabaseSnapshotter(repository.files(), DB);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-18T03:00:00Z"));
    private final InMemoryNotifier notifier = new InMemoryNotifier();
    private final RunBackupService service = new RunBackupService(database, repository, notifier, clock);

    private RunBackupUseCase.Command command(RetentionPolicy policy) {
        return RunBackupUseCase.Command.localBackup(DB, false, VerifyLevel.QUICK, policy, ZoneOffset.UTC,
                SnapshotProgress.NONE);
    }

    @Test
    void aRun_publishesAVerifiedCopyOfTheCurrentState_namedByItsStartTime() {
        database.commit();
        byte[] stateAtBackup = database.currentState();

        RunResult result = service.run(command(RetentionPolicy.DEFAULT));

        assertThat(result.backup().name()).isEqualTo(BackupName.at(clock.instant()));
        assertThat(repository.files().read(result.file())).contains(stateAtBackup);
        assertThat(repository.checkChecksum(result.backup().name()).status()).isEqualTo(ChecksumCheck.Status.MATCH);
        assertThat(result.source().path()).isEqualTo(Path.of("/srv/app/app.db"));
        assertThat(repository.scratchFiles()).isEmpty();
        assertThat(repository.isLocked()).as("the lock is released").isFalse();
    }

    @Test
    void twoRunsInOneSecond_bothSucceed_withDistinctBackups() {
        RunResult first = service.run(command(RetentionPolicy.DEFAULT));
        database.commit();
        RunResult second = service.run(command(RetentionPolicy.DEFAULT));

        assertThat(second.backup().name()).isNotEqualTo(first.backup().name());
        assertThat(repository.list()).hasSize(2);
    }

    @Test
    void retentionRuns_onlyAfterTheNewBackupIsFinal_andDeletesWhatThePolicyDrops() {
        for (int day = 10; day >= 1; day--) {
            repository.put(BackupName.at(clock.instant().minus(Duration.ofDays(day))), new byte[] {1}, true);
        }

        RunResult result = service.run(command(new RetentionPolicy(3, 0, 0, 0)));

        assertThat(result.retention().kept()).hasSize(3);
        assertThat(result.retention().deleted()).hasSize(8);
        assertThat(repository.list()).extracting(Backup::name).containsExactly(result.backup().name(),
                BackupName.at(clock.instant().minus(Duration.ofDays(1))),
                BackupName.at(clock.instant().minus(Duration.ofDays(2))));
    }

    @Test
    void aCopyThatFailsVerification_isNeverPublished_andNothingIsDeleted() {
        List<BackupName> before = seedTwentyOldBackups();
        database.corruptNextCopy();

        assertThatThrownBy(() -> service.run(command(new RetentionPolicy(1, 0, 0, 0))))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("failed verification")
                .hasMessageContaining("/srv/app/app.db");

        assertThat(repository.list()).extracting(Backup::name).containsExactlyElementsOf(before);
        assertThat(repository.scratchFiles()).as("the rejected copy is removed").isEmpty();
        assertThat(repository.isLocked()).isFalse();
    }

    @Test
    void aSnapshotThatFails_halfWay_leavesNoPartialFile_andDeletesNothing() {
        List<BackupName> before = seedTwentyOldBackups();
        database.failNextSnapshot(new BackupFailedException("backup of /srv/app/app.db failed: no space left"));

        assertThatThrownBy(() -> service.run(command(new RetentionPolicy(1, 0, 0, 0))))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining("no space left");

        assertThat(repository.list()).extracting(Backup::name).containsExactlyElementsOf(before);
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void aMissingDatabase_createsNothing_notEvenTheBackupFolder() {
        database.databaseMissing();

        assertThatThrownBy(() -> service.run(command(RetentionPolicy.DEFAULT)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");

        assertThat(repository.exists()).isFalse();
        assertThat(database.snapshotsTaken()).isZero();
    }

    @Test
    void aFirstRunWhoseCopyFailsVerification_removesTheFolderItCreated() {
        database.corruptNextCopy();

        assertThatThrownBy(() -> service.run(command(RetentionPolicy.DEFAULT)))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining("failed verification");

        assertThat(repository.exists()).as("no folder left behind").isFalse();
        assertThat(repository.scratchFiles()).isEmpty();
        assertThat(repository.isLocked()).isFalse();
        assertThat(service.run(command(RetentionPolicy.DEFAULT)).backup()).as("the next run starts afresh")
                .isNotNull();
        assertThat(repository.exists()).isTrue();
    }

    @Test
    void aFailedRun_inAFolderThatWasThere_leavesTheFolder() {
        repository.prepare();
        database.failNextSnapshot(new BackupFailedException("backup of /srv/app/app.db failed: no space left"));

        assertThatThrownBy(() -> service.run(command(RetentionPolicy.DEFAULT)))
                .isInstanceOf(BackupFailedException.class);

        assertThat(repository.exists()).isTrue();
    }

    @Test
    void anUnusableBackupFolder_failsBeforeAnySnapshot() {
        repository.makeUnusable();

        assertThatThrownBy(() -> service.run(command(RetentionPolicy.DEFAULT)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a directory");
        assertThat(database.snapshotsTaken()).isZero();
    }

    @Test
    @SuppressWarnings("try")
    void whileAnotherRunHoldsTheLock_aRunTakesNothing_andDeletesNothing() {
        List<BackupName> before = seedTwentyOldBackups();
        try (BackupFolderLock.Lock held = repository.folderLock().lock("backup of /srv/app/app.db")) {
            assertThatThrownBy(() -> service.run(command(new RetentionPolicy(1, 0, 0, 0))))
                    .isInstanceOf(BackupInProgressException.class)
                    .hasMessageContaining("another backup of /srv/app/app.db is running");
        }
        assertThat(database.snapshotsTaken()).isZero();
        assertThat(repository.list()).extracting(Backup::name).containsExactlyElementsOf(before);
    }

    @Test
    void leftoversOfACrashedRun_areSweptAtTheStartOfTheNext() {
        repository.leaveLeftover();
        repository.leaveLeftover();

        RunResult result = service.run(command(RetentionPolicy.DEFAULT));

        assertThat(result.leftoversSwept()).isEqualTo(2);
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void theReportedDuration_isTheBackupItself_notRetentionsDeletions() {
        for (int day = 10; day >= 1; day--) {
            repository.put(BackupName.at(clock.instant().minus(Duration.ofDays(day * 40L))), new byte[] {1}, true);
        }
        // every deletion takes a minute, the copy five seconds
        BackupRepository slowDeletes = (BackupRepository) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {BackupRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("delete")) {
                        clock.advance(Duration.ofMinutes(1));
                    }
                    try {
                        return method.invoke(repository, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        boolean[] copying = {false};
        RunBackupUseCase.Command cmd = RunBackupUseCase.Command.localBackup(DB, true, VerifyLevel.QUICK,
                new RetentionPolicy(1, 0, 0, 1), ZoneOffset.UTC, (written, total) -> {
                    if (!copying[0]) {
                        copying[0] = true;
                        clock.advance(Duration.ofSeconds(5));
                    }
                });

        RunResult result = new RunBackupService(database, slowDeletes, notifier, clock).run(cmd);

        assertThat(result.retention().deleted()).hasSize(10);
        assertThat(result.duration()).as("copy, check and publish; not the ten minutes of deletions")
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theRunReportsItsDuration_andProgress() {
        List<Long> progress = new ArrayList<>();
        RunBackupUseCase.Command cmd = RunBackupUseCase.Command.localBackup(DB, true, VerifyLevel.FULL, RetentionPolicy.DEFAULT,
                ZoneOffset.UTC, (written, total) -> progress.add(written));
        clock.advance(Duration.ZERO);

        RunResult result = service.run(cmd);

        assertThat(result.duration()).isEqualTo(Duration.ZERO);
        assertThat(progress).isNotEmpty();
        assertThat(result.startedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aGoodRun_isReportedAsSuccess_withItsResult() {
        RunResult result = service.run(command(RetentionPolicy.DEFAULT));

        assertThat(notifier.reports()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
            assertThat(r.databaseName()).isEqualTo("app.db");
            assertThat(r.result()).contains(result);
            assertThat(r.lastSuccessAt()).contains(result.backup().takenAt());
        });
    }

    @Test
    void aFailedRun_isReportedWithTheErrorAndTheLastGoodBackup_andStillFails() {
        List<BackupName> before = seedTwentyOldBackups();
        database.corruptNextCopy();

        assertThatThrownBy(() -> service.run(command(RetentionPolicy.DEFAULT)))
                .isInstanceOf(BackupFailedException.class);

        assertThat(notifier.reports()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(RunReport.Outcome.FAILED);
            assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("failed verification"));
            assertThat(r.lastSuccessAt()).contains(before.get(0).instant());
            assertThat(r.result()).isEmpty();
        });
    }

    @Test
    void aRunOfManyDatabases_leavesItsSuccessToTheSummary_butTellsItsFailureAtOnce() {
        RunResult result = service.run(command(RetentionPolicy.DEFAULT).withSuccessSummarised());

        assertThat(repository.find(result.backup().name())).isPresent();
        assertThat(notifier.reports()).isEmpty();

        database.corruptNextCopy();
        assertThatThrownBy(() -> service.run(command(RetentionPolicy.DEFAULT).withSuccessSummarised()))
                .isInstanceOf(BackupFailedException.class);
        assertThat(notifier.reports()).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(RunReport.Outcome.FAILED));
    }

    @Test
    void aCopyThatFailsADataAssertion_isNotPublished_andNothingIsDeleted_theFailureNamingIt() {
        List<BackupName> before = seedTwentyOldBackups();
        DataAssertion users = new DataAssertion("users", "SELECT count(*) FROM users",
                DataAssertion.Expectation.parse(">= 1"));
        DataAssertion fresh = new DataAssertion("fresh", "SELECT 1", DataAssertion.Expectation.parse("== 1"));
        database.answer("SELECT count(*) FROM users", 0);
        database.answer("SELECT 1", 1);

        assertThatThrownBy(() -> service.run(command(new RetentionPolicy(1, 0, 0, 0))
                .withAssertions(List.of(fresh, users))))
                .isInstanceOf(BackupFailedException.class)
                .hasMessage("backup of /srv/app/app.db failed data assertion users: 0, expected >= 1; the copy was "
                        + "not published and nothing was deleted");

        assertThat(repository.list()).extracting(Backup::name).containsExactlyElementsOf(before);
        assertThat(repository.scratchFiles()).as("the rejected copy is removed").isEmpty();
        assertThat(notifier.reports()).singleElement()
                .satisfies(r -> assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("users: 0")));
    }

    @Test
    void aCopyThatPassesItsDataAssertions_isPublished_afterTheyRanOnIt() {
        database.answer("SELECT count(*) FROM users", 3);
        DataAssertion users = new DataAssertion("users", "SELECT count(*) FROM users",
                DataAssertion.Expectation.parse(">= 1"));

        RunResult result = service.run(command(RetentionPolicy.DEFAULT).withAssertions(List.of(users)));

        assertThat(repository.find(result.backup().name())).isPresent();
        assertThat(database.evaluatedCopies()).singleElement().asString().contains(".sqlite-backup");
    }

    @Test
    void aTableThatShrankByMoreThanTheLimit_pinsThePreviousBackup_andTellsTheOwner_butTheRunSucceeds() {
        dev.sqlitebackup.domain.testing.InMemoryActivityLog log = new dev.sqlitebackup.domain.testing
                .InMemoryActivityLog();
        RunBackupService guarded = new RunBackupService(database, repository, notifier, clock).recordingTo(log)
                .withDriftGuard(new DriftPolicy(0.5, Duration.ofDays(90), 100));
        database.tablesHave(List.of(new TableCount("messages", 120_433, false), new TableCount("queue", 40, false),
                new TableCount("users", 500, false)));
        RunResult first = guarded.run(command(RetentionPolicy.DEFAULT));
        clock.advance(Duration.ofHours(1));
        database.tablesHave(List.of(new TableCount("messages", 12, false), new TableCount("queue", 0, false)));

        RunResult second = guarded.run(command(new RetentionPolicy(0, 0, 0, 1)));

        assertThat(repository.list()).extracting(Backup::name).containsExactly(second.backup().name(),
                first.backup().name());
        assertThat(repository.pins()).singleElement().satisfies(pin -> {
            assertThat(pin.backup()).isEqualTo(first.backup().name());
            assertThat(pin.until()).isEqualTo(clock.instant().plus(Duration.ofDays(90)));
            assertThat(pin.reason()).isEqualTo("table messages: 120,433 -> 12 rows; table users: gone (500 rows "
                    + "before)");
        });
        assertThat(second.retention().kept()).filteredOn(k -> k.name().equals(first.backup().name()))
                .singleElement().satisfies(k -> assertThat(k.reasons()).containsExactly(RetentionPolicy.PINNED));
        assertThat(notifier.driftAlerts()).singleElement().satisfies(a -> {
            assertThat(a.pinned()).isEqualTo(first.backup().name());
            assertThat(a.changes()).hasSize(2);
        });
        assertThat(log.lastSuccess()).hasValueSatisfying(r -> assertThat(r.tables())
                .containsExactly(new TableCount("messages", 12, false), new TableCount("queue", 0, false)));
    }

    @Test
    void tablesThatShrankLessThanTheLimit_orWereSmall_pinNothing() {
        dev.sqlitebackup.domain.testing.InMemoryActivityLog log = new dev.sqlitebackup.domain.testing
                .InMemoryActivityLog();
        RunBackupService guarded = new RunBackupService(database, repository, notifier, clock).recordingTo(log)
                .withDriftGuard(new DriftPolicy(0.5, Duration.ofDays(90), 100));
        database.tablesHave(List.of(new TableCount("messages", 1000, false), new TableCount("queue", 99, false)));
        guarded.run(command(RetentionPolicy.DEFAULT));
        clock.advance(Duration.ofHours(1));
        database.tablesHave(List.of(new TableCount("messages", 600, false), new TableCount("queue", 0, false)));

        guarded.run(command(RetentionPolicy.DEFAULT));

        assertThat(repository.pins()).isEmpty();
        assertThat(notifier.driftAlerts()).isEmpty();
    }

    /** A heartbeat that writes down what it was told. */
    private static final class RecordingHeartbeat implements dev.sqlitebackup.domain.port.out.Heartbeat {
        final List<String> pings = new ArrayList<>();

        @Override
        public boolean started() {
            pings.add("start");
            return true;
        }

        @Override
        public boolean ended(boolean succeeded, String summary) {
            pings.add((succeeded ? "ok: " : "fail: ") + summary);
            return false; // an unreachable monitor changes nothing
        }
    }

    @Test
    void theHeartbeat_isPingedWhenARunBeginsAndEnds_withItsOutcome_butNotForARunOfMany() {
        RecordingHeartbeat beat = new RecordingHeartbeat();
        RunBackupService beating = new RunBackupService(database, repository, notifier, clock).withHeartbeat(beat);

        RunResult result = beating.run(command(RetentionPolicy.DEFAULT));
        database.corruptNextCopy();
        assertThatThrownBy(() -> beating.run(command(RetentionPolicy.DEFAULT)))
                .isInstanceOf(BackupFailedException.class);
        beating.run(command(RetentionPolicy.DEFAULT).withSuccessSummarised());

        assertThat(beat.pings).hasSize(4);
        assertThat(beat.pings.get(0)).isEqualTo("start");
        assertThat(beat.pings.get(1)).startsWith("ok: app.db: backed up " + result.backup().name());
        assertThat(beat.pings.get(2)).isEqualTo("start");
        assertThat(beat.pings.get(3)).startsWith("fail: app.db: ").contains("failed verification");
    }

    @Test
    void aNotifierThatCannotDeliver_neverChangesTheRunsOutcome() {
        notifier.serverDown();

        RunResult result = service.run(command(RetentionPolicy.DEFAULT));

        assertThat(repository.find(result.backup().name())).isPresent();
        assertThat(notifier.reports()).hasSize(1);
    }

    @Test
    void aMissingDatabase_isReportedToo() {
        database.databaseMissing();

        assertThatThrownBy(() -> service.run(command(RetentionPolicy.DEFAULT)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(notifier.reports()).singleElement()
                .satisfies(r -> assertThat(r.lastSuccessAt()).isEmpty());
    }

    @Test
    void withAnOffsiteStore_theNewBackupIsUploaded_andTheRemotePolicyApplied_toTheToolsFilesOnly() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        String foreign = drive.putForeignFile("holiday-photos.zip", new byte[] {9});
        for (int day = 1; day <= 5; day++) {
            drive.putOwn(BackupName.at(clock.instant().minus(Duration.ofDays(day))), new byte[] {(byte) day});
        }
        RunBackupService withDrive = new RunBackupService(database, repository, Optional.of(drive), notifier, clock);

        RunResult result = withDrive.run(offsiteCommand(new RetentionPolicy(3, 0, 0, 0)));

        assertThat(result.remote()).hasValueSatisfying(r -> {
            assertThat(r.name()).isEqualTo(result.backup().name());
            assertThat(drive.content(r.id())).isEqualTo(repository.files().read(result.file()).orElseThrow());
        });
        assertThat(drive.list()).hasSize(3);
        assertThat(drive.list().get(0).name()).isEqualTo(result.backup().name());
        assertThat(drive.holds(foreign)).isTrue();
        assertThat(notifier.reports().get(0).offsiteLink()).isEqualTo(result.remote().orElseThrow().link());
    }

    @Test
    void aPinnedBackup_survivesRetentionThatWouldDeleteIt_hereAndOffsite_untilItsPinExpires() {
        List<BackupName> before = seedTwentyOldBackups();
        BackupName pinned = before.get(10);
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        for (BackupName name : before) {
            drive.putOwn(name, new byte[] {1});
        }
        repository.pin(new Pin(pinned, clock.instant().plus(Duration.ofDays(90)), "table messages shrank"));
        RunBackupService withDrive = new RunBackupService(database, repository, Optional.of(drive), notifier, clock);

        RunResult result = withDrive.run(offsiteCommand(new RetentionPolicy(3, 0, 0, 0)));

        assertThat(repository.list()).extracting(Backup::name).contains(pinned).hasSize(4);
        assertThat(result.retention().kept()).filteredOn(k -> k.name().equals(pinned)).singleElement()
                .satisfies(k -> assertThat(k.reasons()).containsExactly(RetentionPolicy.PINNED));
        assertThat(drive.list()).extracting(RemoteBackup::name).contains(pinned).hasSize(4);

        repository.unpin(pinned);
        withDrive.run(offsiteCommand(new RetentionPolicy(3, 0, 0, 0)));
        assertThat(repository.list()).extracting(Backup::name).doesNotContain(pinned);
        assertThat(drive.list()).extracting(RemoteBackup::name).doesNotContain(pinned);
    }

    @Test
    void aFailedUpload_keepsTheLocalBackupAndLocalRetention_andIsReportedAsLocalOnly() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        drive.failNextUploads(1, "HTTP 503 Service Unavailable");
        seedTwentyOldBackups();
        RunBackupService withDrive = new RunBackupService(database, repository, Optional.of(drive), notifier, clock);

        assertThatThrownBy(() -> withDrive.run(offsiteCommand(new RetentionPolicy(2, 0, 0, 0))))
                .isInstanceOf(OffsiteCopyFailedException.class)
                .hasMessage("local backup ok, Drive upload failed: HTTP 503 Service Unavailable")
                .satisfies(e -> assertThat(((OffsiteCopyFailedException) e).localResult().backup().name())
                        .isEqualTo(BackupName.at(clock.instant())));

        assertThat(repository.list()).as("local backup made, local retention applied").hasSize(2);
        assertThat(drive.list()).isEmpty();
        assertThat(notifier.reports()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(RunReport.Outcome.LOCAL_ONLY);
            assertThat(r.result()).isPresent();
            assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("local backup ok"));
        });
    }

    @Test
    void aCompressingFolder_publishesAZstdBackup_prunesAcrossForms_andTheStoreGetsThePlainDatabase() {
        InMemoryBackupRepository zstd = repository.compressing();
        for (int day = 10; day >= 1; day--) {
            repository.put(BackupName.at(clock.instant().minus(Duration.ofDays(day))), new byte[] {1}, true);
        }
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        database.commit();
        byte[] stateAtBackup = database.currentState();
        RunBackupService withDrive = new RunBackupService(database, zstd, Optional.of(drive), notifier, clock);

        RunResult result = withDrive.run(offsiteCommand(new RetentionPolicy(3, 0, 0, 0)));

        assertThat(result.backup().form()).isEqualTo(StoredForm.ZSTD);
        assertThat(result.file().getFileName()).hasToString(result.backup().name() + ".zst");
        assertThat(repository.files().read(result.file()).orElseThrow()).isNotEqualTo(stateAtBackup);
        assertThat(result.backup().recordedSha256()).contains(InMemoryRemoteBackupStore.sha256(stateAtBackup));
        assertThat(repository.list()).extracting(Backup::form)
                .containsExactly(StoredForm.ZSTD, StoredForm.PLAIN, StoredForm.PLAIN);
        assertThat(result.retention().deleted()).hasSize(8);
        assertThat(result.remote()).hasValueSatisfying(r -> {
            assertThat(drive.content(r.id())).as("the plain database, in the store's own form")
                    .isEqualTo(stateAtBackup);
            assertThat(r.sha256()).isEqualTo(result.backup().recordedSha256());
        });
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void theLocalAndTheRemotePolicy_areEachApplied_whereTheyBelong() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        seedTwentyOldBackups();
        for (int day = 1; day <= 20; day++) {
            drive.putOwn(BackupName.at(clock.instant().minus(Duration.ofDays(day))), new byte[] {(byte) day});
        }
        RunBackupService withDrive = new RunBackupService(database, repository, Optional.of(drive), notifier, clock);

        withDrive.run(RunBackupUseCase.Command.localBackup(DB, false, VerifyLevel.QUICK,
                new RetentionPolicy(2, 0, 0, 0), ZoneOffset.UTC, SnapshotProgress.NONE)
                .withOffsiteCopy(new RetentionPolicy(5, 0, 0, 0)));

        assertThat(repository.list()).hasSize(2);
        assertThat(drive.list()).hasSize(5);
    }

    @Test
    void aMixedFolder_oldPlainCopiesAndNewEncryptedOnes_isRotatedAsOneHistory_onePerTimestamp() {
        InMemoryBackupCodec owner = InMemoryBackupCodec.encryptedTo(StoredForm.ZSTD_AGE, "owner-key", "owner-key");
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files(), owner);
        List<BackupName> plain = new ArrayList<>();
        List<BackupName> encrypted = new ArrayList<>();
        for (int day = 1; day <= 400; day++) {
            BackupName name = BackupName.at(clock.instant().minus(Duration.ofDays(day)));
            byte[] content = {(byte) day, (byte) (day >> 8)};
            if (day > 5) {
                drive.putOwn(name, content); // copies made before this change
                plain.add(name);
            } else {
                drive.putOwn(name, StoredForm.ZSTD_AGE, owner.encode(content), InMemoryRemoteBackupStore.sha256(content));
                encrypted.add(name);
            }
        }
        // the day when forms changed has both: one backup, whatever its forms
        BackupName both = encrypted.get(encrypted.size() - 1);
        drive.putOwn(both, new byte[] {5, 0});
        RunBackupService withDrive = new RunBackupService(database, repository, Optional.of(drive), notifier, clock);

        RunResult result = withDrive.run(command(RetentionPolicy.DEFAULT).withOffsiteCopy(RetentionPolicy.DEFAULT));

        List<BackupName> all = new ArrayList<>(encrypted);
        all.addAll(plain);
        all.add(result.backup().name());
        List<BackupName> expected = RetentionPolicy.DEFAULT.plan(all, ZoneOffset.UTC, clock.instant()).kept()
                .stream().map(RetentionPlan.Keep::name).toList();
        assertThat(expected).as("7 daily, 4 weekly, 12 monthly over 400 days").hasSizeBetween(20, 24);
        assertThat(drive.list().stream().map(RemoteBackup::name).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(drive.list().stream().filter(r -> r.name().equals(both)).map(RemoteBackup::form))
                .as("both forms of the backup of the changeover day are one backup, kept together")
                .containsExactlyInAnyOrder(StoredForm.PLAIN, StoredForm.ZSTD_AGE);
        assertThat(result.remote().orElseThrow().form()).isEqualTo(StoredForm.ZSTD_AGE);
        assertThat(drive.list().stream().filter(r -> r.form() == StoredForm.PLAIN).count())
                .as("old plain copies keep counting for the weekly and monthly slots").isGreaterThan(12);
    }

    @Test
    void aLocalOnlyRun_neverTouchesTheOffsiteStore() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        RunBackupService withDrive = new RunBackupService(database, repository, Optional.of(drive), notifier, clock);

        RunResult result = withDrive.run(command(RetentionPolicy.DEFAULT));

        assertThat(result.remote()).isEmpty();
        assertThat(drive.uploadsAttempted()).isZero();
    }

    @Test
    void aFailedLocalBackup_isNeverUploaded() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        database.corruptNextCopy();
        RunBackupService withDrive = new RunBackupService(database, repository, Optional.of(drive), notifier, clock);

        assertThatThrownBy(() -> withDrive.run(offsiteCommand(RetentionPolicy.DEFAULT)))
                .isInstanceOf(BackupFailedException.class)
                .isNotInstanceOf(OffsiteCopyFailedException.class);
        assertThat(drive.uploadsAttempted()).isZero();
    }

    private RunBackupUseCase.Command offsiteCommand(RetentionPolicy policy) {
        return RunBackupUseCase.Command.localBackup(DB, false, VerifyLevel.QUICK, policy, ZoneOffset.UTC,
                SnapshotProgress.NONE).withOffsiteCopy(policy);
    }

    private List<BackupName> seedTwentyOldBackups() {
        List<BackupName> names = new ArrayList<>();
        for (int day = 1; day <= 20; day++) {
            BackupName name = BackupName.at(clock.instant().minus(Duration.ofDays(day)));
            repository.put(name, new byte[] {(byte) day}, true);
            names.add(name);
        }
        return names;
    }
}
