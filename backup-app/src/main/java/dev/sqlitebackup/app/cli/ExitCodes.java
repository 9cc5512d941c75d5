package dev.sqlitebackup.app.cli;

/** The documented exit codes. */
public final class ExitCodes {
    /** Done as asked. */
    public static final int OK = 0;
    /** The work failed (backup, verification, restore); nothing was deleted and no partial file is left. */
    public static final int FAILED = 1;
    /** Usage or configuration error: nothing was created, changed or deleted. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
