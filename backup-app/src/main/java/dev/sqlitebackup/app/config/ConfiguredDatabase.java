package dev.sqlitebackup.app.config;

import java.util.Objects;

/**
 * One database of an installation: the name it is known by ({@code --db NAME}, its backup folder, its Drive
 * subfolder, its history rows) and its settings, every per-database setting already resolved for it.
 */
public record ConfiguredDatabase(String name, Configuration configuration) {

    public ConfiguredDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(configuration, "configuration");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a database name must not be blank");
        }
    }
}
