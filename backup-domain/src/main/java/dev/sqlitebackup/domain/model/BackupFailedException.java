package dev.sqlitebackup.domain.model;

/**
 * The work itself failed: the database could not be read or is corrupt, a copy failed verification, the disk is
 * full. Existing backups are untouched and partial files are removed. The CLI exits 1.
 */
public class BackupFailedException extends DomainException {
    private static final long serialVersionUID = 1L;

    public BackupFailedException(String message) {
        super(message, null);
    }

    public BackupFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
