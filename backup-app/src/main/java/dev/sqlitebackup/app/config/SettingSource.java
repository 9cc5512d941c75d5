package dev.sqlitebackup.app.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where the value of a setting came from; a message about a bad value names it with its source. */
public sealed interface SettingSource {

    /** The setting as messages name it given from here, e.g. {@code BACKUP_KEEP_DAILY (--keep-daily)}. */
    String describe(String key);

    /** The process environment: the setting's key is the variable's name. */
    record Environment() implements SettingSource {
        @Override
        public String describe(String key) {
            return key;
        }
    }

    /** A line of the config file given with {@code --config}. */
    record ConfigFile(Path file) implements SettingSource {
        public ConfigFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String describe(String key) {
            return key + " in " + file;
        }
    }

    /** A command-line flag. */
    record Flag(String name) implements SettingSource {
        public Flag {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String describe(String key) {
            return key + " (" + name + ")";
        }
    }
}
