package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.BackupStatus;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.PruneBackupsUseCase;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.testing.InMemoryActivityLog;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryDatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryNotifier;
import dev.sqlitebackup.domain.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Backups named and runs recorded in the future (a clock that was ahead, a folder copied from another machine):
 * retention keeps them and plans the rest without them, status and history never count them, and no run fails.
 */
class FutureTimesTest {

    private static final Path DB = Path.of("/srv/app/app.db");
    private static final Instant NOW = Instant.parse("2026-08-18T03:00:00Z");
    private static final BackupName FROM_2099 = BackupName.at(Instant.parse("2099-01-01T00:00:00Z"));
    private static final RetentionPolicy KEEP_ONE = new RetentionPolicy(0, 0, 0, 1);

    private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
    private final InMemoryDatabaseSnapshotter database = new InMemoryDatabaseSnapshotter(repository.files(), DB);
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryActivityLog log = new InMemoryActivityLog();
    private final RunBackupService service =
            new RunBackupService(database, repository, new InMemoryNotifier(), clock).recordingTo(log);
    private final CheckStatusService status = new CheckStatusService(log, repository, clock);

    private RunBackupUseCase.Command keepOne() {
        return RunBackupUseCase.Command.localBackup(DB, false, VerifyLevel.QUICK, KEEP_ONE, ZoneOffset.UTC,
                SnapshotProgress.NONE);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void retention_keepsABackupNamedAfterNowAsFuture_andPlansTheRestAsIfItWereNotThere() {
        BackupName yesterday = BackupName.at(NOW.minus(Duration.ofDays(1)));
        BackupName today = BackupName.at(NOW.minus(Duration.ofMinutes(5)));
        BackupName inTenMinutes = BackupName.at(NOW.plus(Duration.ofMinutes(10)));

        RetentionPlan plan = KEEP_ONE.plan(List.of(yesterday, today, FROM_2099, inTenMinutes), ZoneOffset.UTC, NOW);

        assertThat(plan.decisions()).extracting(RetentionPlan.Decision::name)
                .containsExactly(FROM_2099, inTenMinutes, today, yesterday);
        assertThat(plan.kept()).extracting(RetentionPlan.Keep::name, RetentionPlan.Keep::reasons).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FROM_2099, List.of(RetentionPolicy.FUTURE)),
                org.assertj.core.groups.Tuple.tuple(inTenMinutes, List.of(RetentionPolicy.FUTURE)),
                org.assertj.core.groups.Tuple.tuple(today, List.of("last")));
        assertThat(plan.deleted()).containsExactly(yesterday);
    }

    @Test
    void aRunWithASmallPolicy_besideABackupNamedInTheFuture_succeeds_keepsIt_andPrunesTheOlderOnes() {
        repository.put(FROM_2099, bytes("from a clock far ahead"), true);
        BackupName older = BackupName.at(NOW.minus(Duration.ofDays(1)));
        repository.put(older, bytes("yesterday"), true);

        RunResult result = service.run(keepOne());

        assertThat(repository.list()).extracting(b -> b.name())
                .containsExactly(FROM_2099, result.backup().name());
        assertThat(result.retention().deleted()).containsExactly(older);
    }

    @Test
    void prune_keepsABackupNamedInTheFuture() {
        repository.put(FROM_2099, bytes("from a clock far ahead"), true);
        repository.put(BackupName.at(NOW.minus(Duration.ofDays(2))), bytes("older"), true);
        BackupName newest = BackupName.at(NOW.minus(Duration.ofDays(1)));
        repository.put(newest, bytes("newest"), true);

        new PruneBackupsService(repository, clock).prune(new PruneBackupsUseCase.Command(KEEP_ONE, ZoneOffset.UTC,
                false));

        assertThat(repository.list()).extracting(b -> b.name()).containsExactly(FROM_2099, newest);
    }

    @Test
    void status_withNoHistory_andOnlyABackupNamedInTheFuture_hasNoSuccess_andWarnsAboutIt() {
        repository.put(FROM_2099, bytes("from a clock far ahead"), true);

        BackupStatus s = status.status();

        assertThat(s.lastSuccessAt()).isEmpty();
        assertThat(s.freshWithin(Duration.ofHours(26), NOW)).isFalse();
        assertThat(s.futureBackups()).containsExactly(FROM_2099);
        assertThat(s.warnings()).singleElement().asString().contains(FROM_2099.value()).contains("future");
    }

    @Test
    void status_aBackupNamedInTheFuture_neverStandsInForTheNewestRealOne() {
        BackupName real = BackupName.at(NOW.minus(Duration.ofDays(3)));
        repository.put(real, bytes("real"), true);
        repository.put(FROM_2099, bytes("from a clock far ahead"), true);

        BackupStatus s = status.status();

        assertThat(s.lastSuccess()).contains(real);
        assertThat(s.age(NOW)).contains(Duration.ofDays(3));
        assertThat(s.backupCount()).isEqualTo(2);
    }

    @Test
    void status_aSuccessRecordedInTheFuture_neverHidesTheCurrentFailure() {
        service.run(keepOne());
        clock.set(NOW.plus(Duration.ofDays(2)));
        log.put(RunRecord.started(0, RunTrigger.MANUAL, Instant.parse("2099-01-01T00:00:00Z")).ended(
                Instant.parse("2099-01-01T00:00:05Z"), RunRecord.Outcome.SUCCESS, Optional.empty(), Optional.empty(),
                Optional.empty()));
        database.failNextSnapshot(new BackupFailedException("disk full"));
        assertThatThrownBy(() -> service.run(keepOne())).isInstanceOf(BackupFailedException.class);

        BackupStatus s = status.status();

        assertThat(s.lastRun()).get().satisfies(r -> assertThat(r.error()).contains("disk full"));
        assertThat(s.lastSuccessAt()).as("the real last success, two days ago").hasValueSatisfying(
                at -> assertThat(at).isBefore(NOW.plusSeconds(60)));
        assertThat(s.freshWithin(Duration.ofHours(26), clock.instant())).isFalse();
        assertThat(s.futureRuns()).singleElement().extracting(RunRecord::startedAt)
                .isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
        assertThat(s.warnings()).anySatisfy(w -> assertThat(w).contains("2099-01-01T00:00:00Z").contains("future"));
    }

    @Test
    void status_aSuccessLessThanAnHourAhead_countsAsJustNow_notAsANegativeAge() {
        repository.put(BackupName.at(NOW.plus(Duration.ofMinutes(20))), bytes("a clock a little ahead"), true);

        BackupStatus s = status.status();

        assertThat(s.age(NOW)).contains(Duration.ZERO);
        assertThat(s.freshWithin(Duration.ofHours(26), NOW)).isTrue();
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void history_runsDatedInTheFuture_comeAfterTheCurrentOnes_andNeverTakeTheirPlace() {
        RunRecord future = log.put(RunRecord.started(0, RunTrigger.SCHEDULED, Instant.parse("2099-01-01T00:00:00Z"))
                .ended(Instant.parse("2099-01-01T00:00:05Z"), RunRecord.Outcome.SUCCESS, Optional.empty(),
                        Optional.empty(), Optional.empty()));
        service.run(keepOne());
        database.failNextSnapshot(new BackupFailedException("disk full"));
        assertThatThrownBy(() -> service.run(keepOne())).isInstanceOf(BackupFailedException.class);

        List<RunRecord> one = new ShowHistoryService(log, clock).history(1);
        List<RunRecord> all = new ShowHistoryService(log, clock).history(20);

        assertThat(one).hasSize(2);
        assertThat(one.get(0).error()).contains("disk full");
        assertThat(one.get(1).id()).isEqualTo(future.id());
        assertThat(all).hasSize(3).last().extracting(RunRecord::id).isEqualTo(future.id());
        assertThat(all.get(1).succeeded()).isTrue();
    }
}
