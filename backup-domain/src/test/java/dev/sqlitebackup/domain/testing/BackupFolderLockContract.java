package dev.sqlitebackup.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.BackupInProgressException;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BackupFolderLock} must do. Extended by the in-memory fake's test and by the real folder lock's
 * test, so the fake cannot drift from the real thing. (That a repository's lock refuses a folder of another database
 * is in {@link BackupRepositoryContract}.)
 */
public abstract class BackupFolderLockContract {

    protected BackupFolderLock locks;

    /** The locks of a backup folder that exists and that no one holds. */
    protected abstract BackupFolderLock newLocks();

    @BeforeEach
    void createLocks() {
        locks = newLocks();
    }

    @Test
    void lock_isExclusive_untilClosed() {
        BackupFolderLock.Lock lock = locks.lock("backup of test.db");

        assertThatThrownBy(() -> locks.lock("backup of test.db"))
                .isInstanceOf(BackupInProgressException.class)
                .hasMessageContaining("another backup of test.db is running");

        lock.close();
        locks.lock("backup of test.db").close();
    }

    @Test
    void lock_withAWait_getsTheLockOnceTheHolderReleasesIt() throws Exception {
        BackupFolderLock.Lock held = locks.lock("backup of test.db");
        CompletableFuture<BackupFolderLock.Lock> waiting = CompletableFuture.supplyAsync(
                () -> locks.lock("backup of test.db", Duration.ofSeconds(30)));
        Thread.sleep(300);
        assertThat(waiting).as("still waiting while the lock is held").isNotDone();

        held.close();

        waiting.get(30, TimeUnit.SECONDS).close();
    }

    @Test
    void lock_withAWait_givesUpWhenTheHolderKeepsIt() {
        BackupFolderLock.Lock held = locks.lock("backup of test.db");
        try {
            assertThatThrownBy(() -> locks.lock("backup of test.db", Duration.ofMillis(300)))
                    .isInstanceOf(BackupInProgressException.class)
                    .hasMessageContaining("another backup of test.db is running (pid ");
        } finally {
            held.close();
        }
    }

    @Test
    void daemonLock_isExclusive_andIndependentOfTheRunLock() {
        BackupFolderLock.Lock daemon = locks.lockDaemon("sqlite-backup daemon");

        assertThatThrownBy(() -> locks.lockDaemon("sqlite-backup daemon"))
                .isInstanceOf(BackupInProgressException.class)
                .hasMessageContaining("another sqlite-backup daemon is running");
        locks.lock("backup of test.db").close();

        daemon.close();
        locks.lockDaemon("sqlite-backup daemon").close();
    }
}
