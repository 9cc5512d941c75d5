package dev.sqlitebackup.app.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The databases one invocation is about, and the settings shared by all of them. Either one database, from the
 * environment and an optional {@code KEY=value} config file (as before there were many), or the databases of a YAML
 * config file ({@code --config FILE.yml} or {@code SQLITE_BACKUP_CONFIG}), globs expanded when it is loaded. Flags
 * given on the command line override every database's settings.
 */
public final class Installation {

    /** The environment variable naming the config file when {@code --config} is not given. */
    public static final String CONFIG_ENV = "SQLITE_BACKUP_CONFIG";

    private final List<ConfiguredDatabase> databases;
    private final Optional<Path> file;
    private final int parallelism;
    private final List<String> warnings;
    private final List<String> gone;

    private Installation(List<ConfiguredDatabase> databases, Optional<Path> file, int parallelism,
            List<String> warnings, List<String> gone) {
        this.databases = List.copyOf(databases);
        this.file = file;
        this.parallelism = parallelism;
        this.warnings = List.copyOf(warnings);
        this.gone = List.copyOf(gone);
    }

    /**
     * @param env   the process environment
     * @param file  the config file given by {@code --config}, if any ({@code SQLITE_BACKUP_CONFIG} otherwise); one
     *              whose name ends in {@code .yml} or {@code .yaml} (any case) is a YAML file of many databases
     *              ({@link YamlConfigFile}), any other a {@code KEY=value} file
     * @param flags values given as command-line flags, by setting key
     */
    public static Installation load(Map<String, String> env, Optional<Path> file, Map<String, Configuration.Flag> flags) {
        Optional<Path> config = file.or(() -> Optional.ofNullable(env.get(CONFIG_ENV)).filter(s -> !s.isBlank())
                .map(Path::of));
        if (config.isPresent() && YamlConfigFile.isYaml(config.get())) {
            return YamlConfigFile.load(config.get(), env, flags);
        }
        Configuration single = Configuration.load(env, config, flags);
        return of(List.of(new ConfiguredDatabase(singleName(single), single)), config,
                single.get(Settings.BACKUP_PARALLELISM), List.of(), List.of());
    }

    /**
     * An installation of the given databases; names must be unique.
     *
     * @param gone the names of databases a glob matched before whose source is gone (their backups are kept)
     */
    public static Installation of(List<ConfiguredDatabase> databases, Optional<Path> file, int parallelism,
            List<String> warnings, List<String> gone) {
        List<String> seen = new ArrayList<>();
        for (ConfiguredDatabase db : databases) {
            if (seen.contains(db.name())) {
                throw new ConfigurationException("two databases are named '" + db.name() + "'"
                        + file.map(f -> " in config file " + f).orElse(""));
            }
            seen.add(db.name());
        }
        return new Installation(databases, file, parallelism, warnings, gone);
    }

    /**
     * The name of the one database of a configuration without a list: its file's name, or "default" without one (or
     * with a DATABASE_URL that cannot be read: the command reports that itself, and {@code run} records it in the
     * history of the backup folder, which it could not if loading failed here).
     */
    public static String singleName(Configuration single) {
        try {
            return single.databaseIfSet().map(Path::getFileName).map(Path::toString).orElse("default");
        } catch (ConfigurationException unreadable) {
            return "default";
        }
    }

    /** Every database, in the config file's order (a glob's matches in path order). */
    public List<ConfiguredDatabase> databases() {
        return databases;
    }

    /** Whether there is more than one database (a command about one backup then needs {@code --db}). */
    public boolean many() {
        return databases.size() > 1;
    }

    /** {@code BACKUP_PARALLELISM}: how many databases are backed up at a time. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * {@code METRICS_ADDRESS}: where the daemon serves {@code /metrics}; empty: nothing listens. Installation-wide (the
     * YAML file's top-level {@code metrics: address:}, which every database's settings carry).
     */
    public Optional<dev.sqlitebackup.app.metrics.MetricsAddress> metricsAddress() {
        return databases.isEmpty() ? Optional.empty()
                : databases.get(0).configuration().given(Settings.METRICS_ADDRESS);
    }

    /** {@code METRICS_TEXTFILE}: the file {@code run} writes its metrics to at its end; installation-wide too. */
    public Optional<Path> metricsTextfile() {
        return databases.isEmpty() ? Optional.empty()
                : databases.get(0).configuration().given(Settings.METRICS_TEXTFILE);
    }

    /** What loading found worth a warning, e.g. a database a glob matched before and matches no more. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The names of the databases a glob matched before (a backup folder's record says so) whose source is gone, for
     * a command over the databases {@code selected} by name (every one when empty): their backups are kept, each run
     * warns and its summary names them. A selection by name is about those databases only, and names none gone.
     */
    public List<String> gone(List<String> selected) {
        return selected.isEmpty() ? gone : List.of();
    }

    /**
     * The databases named (every one when {@code names} is empty), in the config's order; none when the config's
     * globs match nothing (the daemon waits for one to appear).
     *
     * @throws ConfigurationException when a name is not a configured database's
     */
    public List<ConfiguredDatabase> select(List<String> names) {
        if (names.isEmpty()) {
            return databases;
        }
        for (String name : names) {
            if (databases.stream().noneMatch(db -> db.name().equals(name))) {
                throw new ConfigurationException("no database named '" + name + "'" + where() + " (known: "
                        + known() + ")");
            }
        }
        return databases.stream().filter(db -> names.contains(db.name())).toList();
    }

    /**
     * The databases a command over many is about: those named (every one when {@code names} is empty).
     *
     * @param command the command's name, for the message
     * @throws ConfigurationException when a name is not a configured database's, or there is no database at all (a
     *         glob with a typo must not make a run of nothing, or a status that is all right about nothing)
     */
    public List<ConfiguredDatabase> select(String command, List<String> names) {
        requireAny(command);
        return select(names);
    }

    private void requireAny(String command) {
        if (databases.isEmpty()) {
            throw new ConfigurationException(command + ": " + config() + " has no database (its globs match no "
                    + "file)");
        }
    }

    /**
     * The one database a command about one backup folder is for: the one named, or the only one.
     *
     * @param command the command's name, for the message
     * @throws ConfigurationException when there are several and none or more than one is named
     */
    public ConfiguredDatabase one(String command, List<String> names) {
        if (names.size() > 1) {
            throw new ConfigurationException(command + " is about one database: pass --db once (got "
                    + String.join(", ", names) + ")");
        }
        requireAny(command);
        if (names.isEmpty() && many()) {
            throw new ConfigurationException(command + ": " + config() + " has " + databases.size()
                    + " databases: pass --db NAME (one of " + known() + ")");
        }
        return select(names).get(0);
    }

    private String config() {
        return file.map(f -> "config file " + f).orElse("the config");
    }

    private String where() {
        return file.map(f -> " in config file " + f).orElse("");
    }

    private String known() {
        int shown = 10;
        String names = databases.stream().limit(shown).map(ConfiguredDatabase::name)
                .collect(Collectors.joining(", "));
        return databases.size() > shown ? names + String.format(Locale.ROOT, " and %d more", databases.size() - shown)
                : names;
    }
}
