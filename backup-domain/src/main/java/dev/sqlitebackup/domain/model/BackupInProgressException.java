package dev.sqlitebackup.domain.model;

/** Another process holds the backup folder's lock: only one backup runs at a time per folder. */
public class BackupInProgressException extends BackupFailedException {
    private static final long serialVersionUID = 1L;

    public BackupInProgressException(String message) {
        super(message);
    }
}
