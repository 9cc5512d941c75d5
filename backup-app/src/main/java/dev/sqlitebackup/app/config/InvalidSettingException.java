package dev.sqlitebackup.app.config;

import java.util.List;

/**
 * A setting has a value that cannot be used, or settings that do not go together: the message names each setting
 * and where its value came from (the environment, the config file, a flag). The CLI exits 2.
 */
public final class InvalidSettingException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    private final List<String> keys;

    /** {@code problem} follows the setting's name: "must not be negative, got -1". */
    public InvalidSettingException(String key, SettingSource source, String problem) {
        super(source.describe(key) + " " + problem);
        this.keys = List.of(key);
    }

    /** Settings that are each fine but not together; {@code message} names them. */
    public InvalidSettingException(List<String> keys, String message) {
        super(message);
        this.keys = List.copyOf(keys);
    }

    /** The keys of the settings at fault. */
    public List<String> keys() {
        return keys;
    }
}
