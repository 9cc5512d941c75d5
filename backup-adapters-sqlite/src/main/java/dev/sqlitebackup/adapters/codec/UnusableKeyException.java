package dev.sqlitebackup.adapters.codec;

/**
 * A recipient, recipients file or identity file that cannot be used. The message is one line that says where (the
 * file and line, or the item of a list) and why, and never holds a private key: a secret pasted in the wrong place
 * is named as a secret, not repeated.
 */
public class UnusableKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnusableKeyException(String message) {
        super(message);
    }
}
