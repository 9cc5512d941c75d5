package dev.sqlitebackup.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ActivityLog} must do. Extended by the in-memory fake's test and by the SQLite adapter's test, so
 * the fake cannot drift from the real thing.
 */
public abstract class ActivityLogContract {

    protected static final Instant T0 = Instant.parse("2026-08-18T03:00:00Z");

    protected ActivityLog log;

    /** A log that has recorded nothing yet (its file need not exist). */
    protected abstract ActivityLog newLog();

    /**
     * The log of {@code database}'s runs over the same storage as {@link #newLog()}'s, as a second installation
     * given the same state database would open it.
     */
    protected abstract ActivityLog sharedBy(DatabaseIdentity database);

    /** Makes the log unusable from now on, as a corrupt state database is. */
    protected abstract void corrupt();

    @BeforeEach
    void createLog() {
        log = newLog();
    }

    private static Backup backup(Instant at, long size) {
        return new Backup(BackupName.at(at), size, Optional.of("ab".repeat(32)));
    }

    @Test
    void anEmptyLog_hasNoRuns_andNoSuccess() {
        assertThat(log.recent(10)).isEmpty();
        assertThat(log.lastSuccess()).isEmpty();
    }

    @Test
    void aRunIsVisibleWhileRunning_andWithEverythingOnceEnded() {
        RunRecord started = log.start(RunTrigger.SCHEDULED, T0);

        assertThat(started.id()).isPositive();
        assertThat(log.recent(10)).singleElement().satisfies(r -> {
            assertThat(r.trigger()).isEqualTo(RunTrigger.SCHEDULED);
            assertThat(r.startedAt()).isEqualTo(T0);
            assertThat(r.outcome()).isEmpty();
            assertThat(r.endedAt()).isEmpty();
        });

        RunRecord ended = started.ended(T0.plusSeconds(5), RunRecord.Outcome.SUCCESS,
                Optional.of(backup(T0, 4096)), Optional.of("drive-id-1"), Optional.empty());
        log.finish(ended);

        assertThat(log.recent(10)).containsExactly(ended);
        assertThat(log.lastSuccess()).contains(ended);
        assertThat(ended.backup()).contains(BackupName.at(T0));
        assertThat(ended.sizeBytes()).isEqualTo(OptionalLong.of(4096));
    }

    @Test
    void failuresKeepTheirError_andAreNoSuccess() {
        RunRecord started = log.start(RunTrigger.MANUAL, T0);
        log.finish(started.ended(T0.plusSeconds(1), RunRecord.Outcome.FAILED, Optional.empty(), Optional.empty(),
                Optional.of("database /srv/app.db does not exist")));
        RunRecord localOnly = log.start(RunTrigger.RETRY, T0.plusSeconds(60));
        log.finish(localOnly.ended(T0.plusSeconds(70), RunRecord.Outcome.LOCAL_ONLY, Optional.of(backup(T0, 1)),
                Optional.empty(), Optional.of("local backup ok, Drive upload failed: HTTP 503")));

        List<RunRecord> recent = log.recent(10);
        assertThat(recent).extracting(RunRecord::trigger).containsExactly(RunTrigger.RETRY, RunTrigger.MANUAL);
        assertThat(recent.get(0).outcome()).contains(RunRecord.Outcome.LOCAL_ONLY);
        assertThat(recent.get(1).error()).contains("database /srv/app.db does not exist");
        assertThat(log.lastSuccess()).isEmpty();
    }

    @Test
    void recent_isNewestStartFirst_andLimited() {
        for (int i = 0; i < 5; i++) {
            RunRecord r = log.start(RunTrigger.SCHEDULED, T0.plus(Duration.ofDays(i)));
            log.finish(r.ended(T0.plus(Duration.ofDays(i)).plusSeconds(3), RunRecord.Outcome.SUCCESS,
                    Optional.of(backup(T0.plus(Duration.ofDays(i)), 10)), Optional.empty(), Optional.empty()));
        }

        assertThat(log.recent(3)).extracting(RunRecord::startedAt).containsExactly(
                T0.plus(Duration.ofDays(4)), T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(2)));
        assertThat(log.lastSuccess()).get().extracting(RunRecord::startedAt).isEqualTo(T0.plus(Duration.ofDays(4)));
    }

    @Test
    void aRunWhoseStartWasNotStored_isStoredWholeAtItsEnd() {
        RunRecord unstored = RunRecord.started(0, RunTrigger.CATCH_UP, T0);
        log.finish(unstored.ended(T0.plusSeconds(2), RunRecord.Outcome.SUCCESS, Optional.of(backup(T0, 7)),
                Optional.empty(), Optional.empty()));

        assertThat(log.recent(10)).singleElement().satisfies(r -> {
            assertThat(r.id()).isPositive();
            assertThat(r.trigger()).isEqualTo(RunTrigger.CATCH_UP);
            assertThat(r.succeeded()).isTrue();
        });
    }

    @Test
    void aBrokenLog_neverFailsARecording_butSaysSoWhenRead() {
        log.recent(1); // whatever the log needs to exist, it has
        corrupt();

        RunRecord started = log.start(RunTrigger.SCHEDULED, T0);
        log.finish(started.ended(T0.plusSeconds(1), RunRecord.Outcome.SUCCESS, Optional.of(backup(T0, 1)),
                Optional.empty(), Optional.empty()));

        assertThatThrownBy(() -> log.recent(10)).isInstanceOf(BackupFailedException.class);
    }

    private static final DatabaseIdentity APP = new DatabaseIdentity(Path.of("/srv/app/app.db"));
    private static final DatabaseIdentity USERS = new DatabaseIdentity(Path.of("/srv/app/users.db"));

    private static RunRecord succeeded(ActivityLog in, Instant at) {
        RunRecord started = in.start(RunTrigger.SCHEDULED, at);
        RunRecord ended = started.ended(at.plusSeconds(2), RunRecord.Outcome.SUCCESS, Optional.of(backup(at, 10)),
                Optional.empty(), Optional.empty());
        in.finish(ended);
        return ended;
    }

    @Test
    void twoDatabasesSharingOneLog_neverSeeEachOthersRuns() {
        ActivityLog app = sharedBy(APP);
        ActivityLog users = sharedBy(USERS);
        RunRecord appSuccess = succeeded(app, T0);
        RunRecord usersSuccess = succeeded(users, T0.plusSeconds(3_600));
        RunRecord usersFailure = users.start(RunTrigger.MANUAL, T0.plusSeconds(7_200));
        users.finish(usersFailure.ended(T0.plusSeconds(7_201), RunRecord.Outcome.FAILED, Optional.empty(),
                Optional.empty(), Optional.of("disk full")));

        assertThat(app.recent(10)).containsExactly(appSuccess);
        assertThat(app.lastSuccess()).contains(appSuccess);
        assertThat(users.recent(10)).extracting(RunRecord::startedAt)
                .containsExactly(T0.plusSeconds(7_200), T0.plusSeconds(3_600));
        assertThat(users.lastSuccess()).contains(usersSuccess);
        assertThat(log.recent(10)).as("the log of no database has every run").hasSize(3);
    }

    @Test
    void runsRecordedWithoutADatabase_countForEveryDatabase() {
        RunRecord before = succeeded(log, T0);

        assertThat(sharedBy(APP).recent(10)).containsExactly(before);
        assertThat(sharedBy(USERS).lastSuccess()).contains(before);
    }

    @Test
    void aDrill_isNeverTheLastSuccessfulBackup_butIsTheLastProvenRestore() {
        RunRecord backup = log.start(RunTrigger.SCHEDULED, T0);
        RunRecord backedUp = backup.ended(T0.plusSeconds(5), RunRecord.Outcome.SUCCESS,
                Optional.of(backup(T0, 1)), Optional.empty(), Optional.empty());
        log.finish(backedUp);
        RunRecord drill = log.start(RunTrigger.DRILL, T0.plusSeconds(60));
        RunRecord proven = drill.ended(T0.plusSeconds(62), RunRecord.Outcome.SUCCESS,
                Optional.of(backup(T0, 1)), Optional.empty(), Optional.empty());
        log.finish(proven);
        RunRecord failedDrill = log.start(RunTrigger.DRILL, T0.plusSeconds(120));
        log.finish(failedDrill.ended(T0.plusSeconds(121), RunRecord.Outcome.FAILED, Optional.of(backup(T0, 1)),
                Optional.empty(), Optional.of("integrity_check: page 3 is never used")));

        assertThat(log.lastSuccess()).contains(backedUp);
        assertThat(log.lastProven()).contains(proven);
        assertThat(log.recent(3)).extracting(r -> r.trigger().label()).containsExactly("drill", "drill", "scheduled");
    }
}
