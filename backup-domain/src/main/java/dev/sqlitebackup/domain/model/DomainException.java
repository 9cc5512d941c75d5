package dev.sqlitebackup.domain.model;

/** An error the user can cause or must act on; its message is one line fit to print as it is. */
public abstract class DomainException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected DomainException(String message, Throwable cause) {
        super(message, cause);
    }
}
