package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.port.in.ListBackupsUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import java.util.List;

/** Lists the backup folder; a folder that does not exist yet simply holds no backups. */
public final class ListBackupsService implements ListBackupsUseCase {

    private final BackupRepository repository;

    public ListBackupsService(BackupRepository repository) {
        this.repository = repository;
    }

    @Override
    public List<Backup> list() {
        return repository.exists() ? repository.list() : List.of();
    }
}
