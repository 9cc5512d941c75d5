package dev.sqlitebackup.adapters.filesystem;

import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.testing.BackupFolderLockContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FilesystemBackupFolderLockTest extends BackupFolderLockContract {

    @TempDir
    Path temp;

    @Override
    protected BackupFolderLock newLocks() {
        try {
            return new FilesystemBackupFolderLock(Files.createDirectories(temp.resolve("backups")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
