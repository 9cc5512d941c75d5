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

    /**
     * A key of a YAML config file, e.g. {@code databases[1].keep.daily} on line 12 (databases counted from 0), so
     * that a bad value reads {@code config file /etc/sb.yml line 12, key databases[1].keep.daily: must be ...}.
     */
    record YamlKey(Path file, int line, String yamlKey) implements SettingSource {
        public YamlKey {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(yamlKey, "yamlKey");
        }

        @Override
        public String describe(String key) {
            return "config file " + file + " line " + line + ", key " + yamlKey + ":";
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
