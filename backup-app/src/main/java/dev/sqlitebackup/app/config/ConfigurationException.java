package dev.sqlitebackup.app.config;

/** A setting is missing or has a value that cannot be used; the message names the setting. The CLI exits 2. */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
