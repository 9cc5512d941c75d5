package dev.sqlitebackup.domain.model;

/**
 * The request cannot be carried out as given: a missing database, a backup folder that is a file, an unknown backup
 * name, a restore target that exists. Nothing was created, changed or deleted. The CLI exits 2.
 */
public class InvalidInputException extends DomainException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message, null);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
