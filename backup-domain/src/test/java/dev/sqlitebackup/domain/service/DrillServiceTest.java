package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.port.in.DrillUseCase;
import dev.sqlitebackup.domain.testing.InMemoryActivityLog;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryDatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryNotifier;
import dev.sqlitebackup.domain.testing.InMemoryRemoteBackupStore;
import dev.sqlitebackup.domain.testing.InMemoryRestoreDestination;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrillServiceTest {

    private static final BackupName OLD = BackupName.at(Instant.parse("2026-11-20T03:00:00Z"));
    private static final BackupName NEW = BackupName.at(Instant.parse("2026-11-25T03:00:00Z"));
    private static final DataAssertion USERS = new DataAssertion("users", "SELECT count(*) FROM users",
            DataAssertion.Expectation.parse(">= 1"));

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);
    private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
    private final InMemoryDatabaseSnapshotter snapshotter =
            new InMemoryDatabaseSnapshotter(repository.files(), Path.of("/srv/app/app.db"));
    private final InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
    private final InMemoryActivityLog log = new InMemoryActivityLog();
    private final InMemoryNotifier notifier = new InMemoryNotifier();
    private final RestoreBackupService restore = new RestoreBackupService(repository, snapshotter,
            new InMemoryRestoreDestination(repository.files()), Optional.of(drive));
    private final DrillService drills = new DrillService("app", repository, restore, snapshotter, log, notifier,
            clock);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aGoodBackup_isProvenRestorable_recorded_andTheScratchCopyIsGone() {
        repository.prepare();
        repository.put(OLD, bytes("old"), true);
        repository.put(NEW, bytes("new"), true);
        snapshotter.answer(USERS.sql(), 3);

        DrillUseCase.Result result = drills.drill(new DrillUseCase.Command(false, List.of(USERS), RunTrigger.DRILL));

        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.backup()).hasValueSatisfying(b -> assertThat(b.name()).isEqualTo(NEW));
        assertThat(result.integrity()).hasValueSatisfying(i -> assertThat(i.ok()).isTrue());
        assertThat(result.assertions()).singleElement().satisfies(a -> assertThat(a.passed()).isTrue());
        assertThat(log.lastProven()).hasValueSatisfying(r -> {
            assertThat(r.trigger()).isEqualTo(RunTrigger.DRILL);
            assertThat(r.backup()).contains(NEW);
            assertThat(r.remoteId()).isEmpty();
        });
        assertThat(log.lastSuccess()).as("a drill is no backup").isEmpty();
        assertThat(repository.scratchFiles()).isEmpty();
        assertThat(repository.list()).hasSize(2);
        assertThat(notifier.drillFailures()).isEmpty();
    }

    @Test
    void aBackupCorruptedAfterItWasMade_failsTheDrill_namingWhy_andTellsTheOwner() {
        repository.prepare();
        repository.put(NEW, bytes("new"), true);
        repository.tamper(NEW);

        DrillUseCase.Result result = drills.drill(new DrillUseCase.Command(false, List.of(), RunTrigger.DRILL));

        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).hasValueSatisfying(p -> assertThat(p)
                .startsWith("restore drill of the latest local backup failed: ").contains("failed verification"));
        assertThat(log.recent(1)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).contains(RunRecord.Outcome.FAILED);
            assertThat(r.error()).isEqualTo(result.problem());
        });
        assertThat(log.lastProven()).isEmpty();
        assertThat(notifier.drillFailures()).singleElement().satisfies(f -> {
            assertThat(f.databaseName()).isEqualTo("app");
            assertThat(f.problem()).isEqualTo(result.problem().orElseThrow());
        });
        assertThat(repository.scratchFiles()).isEmpty();
        assertThat(repository.list()).as("a drill never deletes a backup, even a bad one").hasSize(1);
    }

    @Test
    void aFailingAssertion_failsTheDrill_namingIt() {
        repository.prepare();
        repository.put(NEW, bytes("new"), true);
        snapshotter.answer(USERS.sql(), 0);

        DrillUseCase.Result result = drills.drill(new DrillUseCase.Command(false, List.of(USERS), RunTrigger.DRILL));

        assertThat(result.problem()).hasValue("restore drill of the latest local backup (" + NEW + ") failed: data "
                + "assertion users: 0, expected >= 1");
    }

    @Test
    void aRemoteDrill_restoresTheOffsiteCopy_evenWithTheBackupHereToo() {
        repository.prepare();
        repository.put(NEW, bytes("new"), true);
        repository.tamper(NEW); // only a drill of the off-site copy can pass
        drive.putOwn(NEW, bytes("new"));

        DrillUseCase.Result result = drills.drill(new DrillUseCase.Command(true, List.of(), RunTrigger.DRILL));

        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.remote()).isTrue();
        assertThat(drills.drill(new DrillUseCase.Command(false, List.of(), RunTrigger.DRILL)).ok()).isFalse();
        assertThat(log.lastProven()).hasValueSatisfying(r -> assertThat(r.remoteId()).contains("remote"));
        assertThat(notifier.drillFailures()).hasSize(1);
    }

    @Test
    void aDrillWithNothingToRestore_failsAndSaysSo() {
        DrillUseCase.Result result = drills.drill(new DrillUseCase.Command(false, List.of(), RunTrigger.DRILL));

        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).hasValueSatisfying(p -> assertThat(p).contains("no backups"));
    }
}
