package dev.sqlitebackup.domain.model;

/**
 * An encrypted copy could not be read back: no private key at hand opens it (none was given, or not the one it was
 * encrypted to). Nothing was restored or changed. The CLI exits 1 and names the setting that holds the keys.
 */
public class NoMatchingIdentityException extends BackupFailedException {
    private static final long serialVersionUID = 1L;

    private final String storedName;

    public NoMatchingIdentityException(String storedName) {
        super("no identity matches " + storedName);
        this.storedName = storedName;
    }

    /** The stored copy that could not be opened, e.g. {@code backup-2026-11-26-030000.db.zst.age}. */
    public String storedName() {
        return storedName;
    }
}
