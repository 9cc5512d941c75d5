package dev.sqlitebackup.adapters.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.BackupInProgressException;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.testing.BackupFolderLockContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemBackupFolderLockTest extends BackupFolderLockContract {

    @TempDir
    Path temp;

    private Path folder;

    @Override
    protected BackupFolderLock newLocks() {
        try {
            folder = Files.createDirectories(temp.resolve("backups"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return new FilesystemBackupFolderLock(folder);
    }

    @Test
    void lock_recordsPidAndOwner() throws Exception {
        BackupFolderLock.Lock lock = locks.lock("backup of test.db");
        try {
            assertThat(folder.resolve(".sqlite-backup/lock"))
                    .hasContent(ProcessHandle.current().pid() + "\nbackup of test.db\n");
        } finally {
            lock.close();
        }
    }

    @Test
    void lock_heldByAnotherProcess_namesItsPid_andALockLeftByAKilledProcessNeverBlocks() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process holder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), folder.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> locks.lock("backup of test.db"))
                    .isInstanceOf(BackupInProgressException.class)
                    .hasMessage("another backup of other.db is running (pid " + holder.pid() + ")");
            assertThatThrownBy(() -> locks.lock("prune of " + folder))
                    .as("the loser names what holds the lock, not what it wanted to do itself")
                    .isInstanceOf(BackupInProgressException.class)
                    .hasMessage("another backup of other.db is running (pid " + holder.pid() + ")");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        // the killed process's lock died with it, though its lock file is still there
        assertThat(folder.resolve(".sqlite-backup/lock")).content().startsWith(holder.pid() + "\n");
        locks.lock("backup of test.db").close();
    }

    @Test
    void lock_closeTwice_isHarmless_andTheLockCanBeTakenAgain() {
        BackupFolderLock.Lock lock = locks.lock("backup of test.db");
        lock.close();
        lock.close();
        BackupFolderLock.Lock again = locks.lock("backup of test.db");
        assertThatThrownBy(() -> new FilesystemBackupFolderLock(folder).lock("backup of test.db"))
                .as("a second lock object on the same folder in this JVM")
                .isInstanceOf(BackupInProgressException.class);
        again.close();
    }
}
