package dev.sqlitebackup.domain.model;

/**
 * The off-site copies were asked for and no off-site store is configured. The message says what is missing; the
 * caller knows which of its settings configures one, and adds that. The CLI exits 2.
 */
public class NoOffsiteStoreException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public NoOffsiteStoreException() {
        super("no off-site store is configured");
    }
}
