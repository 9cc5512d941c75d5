package dev.sqlitebackup.app.config;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting: its key (the environment variable and the config file's key), the command-line flag that also sets
 * it if any, how its text is read, and its default. Every setting is one of {@link Settings#ALL}.
 *
 * @param <T> the type of its value
 */
public final class Setting<T> {

    /** Reads a setting's text (never blank, surrounding blanks removed). */
    @FunctionalInterface
    public interface Parser<T> {
        /** @throws IllegalArgumentException with the problem, worded to follow the setting's name */
        T parse(String text);
    }

    private final String key;
    private final Optional<String> flag;
    private final Parser<T> parser;
    private final Optional<Function<Configuration, T>> defaultValue;
    private final Optional<Setting<java.nio.file.Path>> file;

    private Setting(String key, Optional<String> flag, Parser<T> parser,
            Optional<Function<Configuration, T>> defaultValue, Optional<Setting<java.nio.file.Path>> file) {
        this.key = Objects.requireNonNull(key, "key");
        this.flag = Objects.requireNonNull(flag, "flag");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.file = Objects.requireNonNull(file, "file");
    }

    /** A setting without a default: unset means off, or missing (its reader says which). */
    static <T> Setting<T> optional(String key, Parser<T> parser) {
        return new Setting<>(key, Optional.empty(), parser, Optional.empty(), Optional.empty());
    }

    /** A setting whose default is a constant. */
    static <T> Setting<T> of(String key, Parser<T> parser, T defaultValue) {
        Objects.requireNonNull(defaultValue, "defaultValue");
        return new Setting<>(key, Optional.empty(), parser, Optional.of(c -> defaultValue), Optional.empty());
    }

    /** A setting whose default follows from other settings (a folder beside the database, the local policy). */
    static <T> Setting<T> derived(String key, Parser<T> parser, Function<Configuration, T> defaultValue) {
        return new Setting<>(key, Optional.empty(), parser, Optional.of(defaultValue), Optional.empty());
    }

    /** This setting, also set by the command-line flag {@code name}. */
    Setting<T> flag(String name) {
        return new Setting<>(key, Optional.of(name), parser, defaultValue, file);
    }

    /**
     * This secret, also given as the content of a file named by {@code fileSetting} ({@code KEY_FILE}), as container
     * secrets and systemd credentials provide it; giving both is an error.
     */
    Setting<T> fromFile(Setting<java.nio.file.Path> fileSetting) {
        return new Setting<>(key, flag, parser, defaultValue, Optional.of(fileSetting));
    }

    /** The {@code KEY_FILE} setting whose file holds this secret, if it has one. */
    public Optional<Setting<java.nio.file.Path>> file() {
        return file;
    }

    public String key() {
        return key;
    }

    /** The command-line flag that sets it, e.g. {@code --keep-daily}; empty for settings without one. */
    public Optional<String> flag() {
        return flag;
    }

    /** Whether it has a default; one without is off (or missing) when unset. */
    public boolean hasDefault() {
        return defaultValue.isPresent();
    }

    T parse(String text) {
        return parser.parse(text);
    }

    T defaultIn(Configuration configuration) {
        return defaultValue.orElseThrow(() -> new IllegalStateException(key + " has no default")).apply(configuration);
    }

    @Override
    public String toString() {
        return key;
    }
}
