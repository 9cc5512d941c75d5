package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.port.in.PruneBackupsUseCase;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import java.time.Clock;
import java.util.List;

/**
 * Applies retention to the backup folder on demand; a dry run only plans. A folder of hand-copied or older backups
 * needs nothing prepared: taking the lock makes what it needs.
 */
public final class PruneBackupsService implements PruneBackupsUseCase {

    private final BackupRepository repository;
    private final Clock clock;

    public PruneBackupsService(BackupRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
    public RetentionPlan prune(Command command) {
        if (!repository.exists()) {
            return new RetentionPlan(List.of());
        }
        if (command.dryRun()) {
            return plan(command);
        }
        try (BackupFolderLock.Lock lock = repository.folderLock().lock("prune of " + repository.describe())) {
            RetentionPlan plan = plan(command);
            plan.deleted().forEach(repository::delete);
            return plan;
        }
    }

    private RetentionPlan plan(Command command) {
        return command.retention().plan(repository.list().stream().map(Backup::name).toList(), command.zone(),
                clock.instant(), repository.pins());
    }
}
