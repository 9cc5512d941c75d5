package dev.sqlitebackup.domain.port.in;

/** In-port: a daemon's claim on its backup folder, so that one daemon at a time schedules the folder's backups. */
@FunctionalInterface
public interface HoldDaemonLockUseCase {

    /**
     * Prepares the backup folder and takes its daemon lock, held until the returned lock is closed.
     *
     * @throws dev.sqlitebackup.domain.model.BackupInProgressException when another daemon holds it
     */
    DaemonLock hold();

    /** The daemon lock while held; closing it, which never throws, lets the next daemon take it. */
    interface DaemonLock extends AutoCloseable {
        @Override
        void close();
    }
}
