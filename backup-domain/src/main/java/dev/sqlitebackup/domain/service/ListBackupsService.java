package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.port.in.ListBackupsUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import java.util.List;
import java.util.Optional;

/** Lists the backup folder (one that does not exist yet holds no backups) or the off-site store. */
public final class ListBackupsService implements ListBackupsUseCase {

    private final BackupRepository repository;
    private final Optional<RemoteBackupStore> offsite;

    public ListBackupsService(BackupRepository repository, Optional<RemoteBackupStore> offsite) {
        this.repository = repository;
        this.offsite = offsite;
    }

    public ListBackupsService(BackupRepository repository) {
        this(repository, Optional.empty());
    }

    @Override
    public List<Backup> list() {
        return repository.exists() ? repository.list() : List.of();
    }

    @Override
    public List<RemoteBackup> listRemote() {
        return offsite.orElseThrow(BackupSelection::noOffsiteStore).list();
    }
}
