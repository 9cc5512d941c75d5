package dev.sqlitebackup.domain.model;

/**
 * A backup folder holds the backups of one database, and this one records another: nothing in it is read, changed
 * or deleted for this database, and no backup of it goes there. The CLI exits 2.
 */
public class ForeignBackupFolderException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param folder   the backup folder, for the message
     * @param owner    the database the folder records
     * @param database the database the command is for
     * @param record   where the folder records its database: deleting it lets the next run adopt the folder
     */
    public ForeignBackupFolderException(String folder, DatabaseIdentity owner, DatabaseIdentity database,
            String record) {
        super("backup dir " + folder + " belongs to database " + owner + ", not " + database
                + " (give each database its own backup dir; if the database moved, delete " + record
                + " and the next run adopts the folder)");
    }
}
