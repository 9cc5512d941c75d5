package dev.sqlitebackup.domain.port.out;

import java.time.Duration;

/**
 * Out-port: the two locks of one backup folder, the run lock (one run or prune at a time) and the daemon lock (one
 * daemon at a time), each exclusive across processes and released on close or when the process dies. A lock handed
 * out by a {@link BackupRepository} built for a database refuses, with a
 * {@link dev.sqlitebackup.domain.model.ForeignBackupFolderException} and before it writes anything, a folder that
 * records another database.
 */
public interface BackupFolderLock {

    /**
     * Takes the folder's exclusive lock: one run at a time per folder, across processes. Released on close, and by
     * the operating system when the process dies.
     *
     * @param owner who wants it, for the message the losing process prints
     * @throws dev.sqlitebackup.domain.model.BackupInProgressException when another process holds it
     */
    default Lock lock(String owner) {
        return lock(owner, Duration.ZERO);
    }

    /**
     * Takes the folder's exclusive lock, waiting up to {@code wait} for a run that holds it to finish. Needs no
     * {@link BackupRepository#prepare()}: in an existing folder without scratch space (hand-copied or older backups),
     * it makes what the lock needs.
     *
     * @throws dev.sqlitebackup.domain.model.BackupInProgressException when another run still holds it after the wait
     */
    Lock lock(String owner, Duration wait);

    /**
     * Takes the folder's daemon lock, separate from the run lock and held for a daemon's whole life: one daemon
     * per folder, across processes. Released on close and when the process dies. Call after
     * {@link BackupRepository#prepare()}.
     *
     * @throws dev.sqlitebackup.domain.model.BackupInProgressException when another daemon holds it
     */
    Lock lockDaemon(String owner);

    /** A held lock; closing it never throws. */
    interface Lock extends AutoCloseable {
        @Override
        void close();
    }
}
