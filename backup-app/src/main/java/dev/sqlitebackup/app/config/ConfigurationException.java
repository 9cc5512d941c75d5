package dev.sqlitebackup.app.config;

/**
 * The settings cannot be read or are incomplete (no database given, a config file that cannot be read); a bad value
 * of one setting is the subclass {@link InvalidSettingException}. The CLI exits 2.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
