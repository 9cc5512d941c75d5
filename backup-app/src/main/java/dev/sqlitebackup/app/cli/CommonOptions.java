package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfiguredDatabase;
import dev.sqlitebackup.app.config.Installation;
import dev.sqlitebackup.app.config.Setting;
import dev.sqlitebackup.app.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command takes: where the settings come from and the settings flags override. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file: FILE.yml or FILE.yaml lists databases (docs/configuration.md); any other "
                    + "name has one KEY=value per line (the keys of the environment variables; an unknown key is an "
                    + "error). Default: SQLITE_BACKUP_CONFIG.")
    Path configFile;

    @Option(names = "--db", paramLabel = "NAME",
            description = "The database of the config file this is about (repeatable where a command takes several); "
                    + "required when the config has more than one and the command is about one backup folder.")
    List<String> databaseNames = new ArrayList<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--database", paramLabel = "PATH|URL", description = "The live database (DATABASE_URL).")
    String database;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "Folder of backups (BACKUP_DIR); default: 'backups/<database file name>' beside the "
                    + "database.")
    String backupDir;

    @Option(names = "--timezone", paramLabel = "ZONE",
            description = "Zone for days, weeks and months of retention (BACKUP_TIMEZONE); default: the system's.")
    String timezone;

    @Option(names = "--keep-daily", paramLabel = "N", description = "BACKUP_KEEP_DAILY, default 7.")
    String keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "BACKUP_KEEP_WEEKLY, default 4.")
    String keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "BACKUP_KEEP_MONTHLY, default 12.")
    String keepMonthly;

    @Option(names = "--keep-last", paramLabel = "N", description = "BACKUP_KEEP_LAST, default 7.")
    String keepLast;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging, and stack traces for errors.")
    boolean verbose;

    static final String LOG_FORMAT = "Log lines (stderr, and the daemon's own lines) as plain text (default; "
            + "without its own timestamp under journald) or one JSON object per line (logback's JSON encoder).";

    // Read by Main before the command line is parsed (it configures logging); declared so every command takes it.
    @Option(names = "--log-format", paramLabel = "plain|json", description = LOG_FORMAT)
    String logFormat;

    /**
     * The settings of the one database this invocation is about ({@code --db NAME}, or the only one); {@code extra}
     * are further flag values by setting name.
     */
    public Configuration configuration(Map<String, String> env, Map<String, Configuration.Flag> extra) {
        return installation(env, extra).one(commandName(), databaseNames).configuration();
    }

    /** The databases a command over many is about: those named by {@code --db}, every one when none is named. */
    public List<ConfiguredDatabase> selected(Map<String, String> env) {
        return installation(env, Map.of()).select(commandName(), databaseNames);
    }

    /** The databases named by {@code --db}, every one when none is named. */
    public List<String> databaseNames() {
        return List.copyOf(databaseNames);
    }

    /** The command's name, for messages after "sqlite-backup: ": {@code run}. */
    String commandName() {
        return command == null ? "sqlite-backup" : command.name();
    }

    /** Every database of this invocation; {@code extra} are further flag values by setting name. */
    public Installation installation(Map<String, String> env, Map<String, Configuration.Flag> extra) {
        Map<String, Configuration.Flag> flags = new LinkedHashMap<>();
        put(flags, Settings.DATABASE_URL, database);
        put(flags, Settings.BACKUP_DIR, backupDir);
        put(flags, Settings.BACKUP_TIMEZONE, timezone);
        put(flags, Settings.BACKUP_KEEP_DAILY, keepDaily);
        put(flags, Settings.BACKUP_KEEP_WEEKLY, keepWeekly);
        put(flags, Settings.BACKUP_KEEP_MONTHLY, keepMonthly);
        put(flags, Settings.BACKUP_KEEP_LAST, keepLast);
        flags.putAll(extra);
        Installation installation = Installation.load(env, Optional.ofNullable(configFile), flags);
        if (command != null && command.commandLine() != null && !installation.warnings().isEmpty()) {
            // every command loads its databases here: what loading found (a vanished database, an environment
            // variable a YAML file does not apply) is said once, before the command's own output
            PrintWriter err = command.commandLine().getErr();
            installation.warnings().forEach(w -> err.println("sqlite-backup: warning: " + w));
            err.flush();
        }
        return installation;
    }

    public Configuration configuration(Map<String, String> env) {
        return configuration(env, Map.of());
    }

    /** {@code value}, when given, as the flag of {@code setting}: read and checked by the setting's parser. */
    static void put(Map<String, Configuration.Flag> flags, Setting<?> setting, String value) {
        if (value != null) {
            flags.put(setting.key(), Configuration.Flag.of(setting, value));
        }
    }
}
