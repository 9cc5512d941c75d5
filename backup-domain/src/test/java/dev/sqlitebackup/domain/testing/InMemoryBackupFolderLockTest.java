package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.port.out.BackupFolderLock;

class InMemoryBackupFolderLockTest extends BackupFolderLockContract {

    @Override
    protected BackupFolderLock newLocks() {
        return new InMemoryBackupFolderLock();
    }
}
