package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.port.in.HoldDaemonLockUseCase;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.port.out.BackupRepository;

/** Takes the daemon lock of a backup folder, named for the daemon so a second one is told who holds it. */
public final class HoldDaemonLockService implements HoldDaemonLockUseCase {

    private final BackupRepository repository;

    public HoldDaemonLockService(BackupRepository repository) {
        this.repository = repository;
    }

    @Override
    public DaemonLock hold() {
        repository.prepare();
        BackupFolderLock.Lock lock = repository.folderLock()
                .lockDaemon("sqlite-backup daemon for " + repository.describe());
        return lock::close;
    }
}
