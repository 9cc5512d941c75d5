package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupInProgressException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.port.in.PruneBackupsUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.MutableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PruneBackupsServiceTest {

    private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-18T09:00:00Z"));
    private final PruneBackupsService service = new PruneBackupsService(repository, clock);

    @BeforeEach
    void tenDailyBackups() {
        for (int day = 1; day <= 10; day++) {
            repository.put(BackupName.at(Instant.parse("2026-08-18T03:00:00Z").minusSeconds(86_400L * day)),
                    new byte[] {1}, true);
        }
    }

    @Test
    void dryRun_plansWithReasons_andDeletesNothing() {
        RetentionPlan plan = service.prune(
                new PruneBackupsUseCase.Command(new RetentionPolicy(3, 0, 0, 0), ZoneOffset.UTC, true));

        assertThat(plan.kept()).hasSize(3).allSatisfy(k -> assertThat(k.reasons()).containsExactly("daily"));
        assertThat(plan.deleted()).hasSize(7);
        assertThat(repository.list()).hasSize(10);
    }

    @Test
    void prune_deletesExactlyWhatThePlanSays() {
        RetentionPlan plan = service.prune(
                new PruneBackupsUseCase.Command(new RetentionPolicy(3, 0, 0, 0), ZoneOffset.UTC, false));

        assertThat(repository.list()).extracting(Backup::name)
                .containsExactlyElementsOf(plan.kept().stream().map(RetentionPlan.Keep::name).toList());
    }

    @Test
    @SuppressWarnings("try")
    void prune_waitsForNoOne_butNeverRunsBesideABackup() {
        try (BackupFolderLock.Lock held = repository.folderLock().lock("backup of app.db")) {
            assertThatThrownBy(() -> service.prune(
                    new PruneBackupsUseCase.Command(new RetentionPolicy(1, 0, 0, 0), ZoneOffset.UTC, false)))
                    .isInstanceOf(BackupInProgressException.class);
        }
        assertThat(repository.list()).hasSize(10);
    }

    @Test
    void aFolderThatDoesNotExist_hasNothingToPrune() {
        PruneBackupsService empty = new PruneBackupsService(new InMemoryBackupRepository(), clock);

        assertThat(empty.prune(new PruneBackupsUseCase.Command(RetentionPolicy.DEFAULT, ZoneOffset.UTC, false))
                .decisions()).isEmpty();
    }
}
