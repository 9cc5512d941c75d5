package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command takes: where the settings come from and the settings flags override. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file with settings, one KEY=value per line (the keys of the environment variables; "
                    + "an unknown key is an error).")
    Path configFile;

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

    /** The settings of this invocation; {@code extra} are further flag values by setting name. */
    public Configuration configuration(Map<String, String> env, Map<String, Configuration.Flag> extra) {
        Map<String, Configuration.Flag> flags = new LinkedHashMap<>();
        put(flags, Configuration.DATABASE_URL, "--database", database);
        put(flags, Configuration.BACKUP_DIR, "--backup-dir", backupDir);
        put(flags, Configuration.BACKUP_TIMEZONE, "--timezone", timezone);
        put(flags, Configuration.BACKUP_KEEP_DAILY, "--keep-daily", keepDaily);
        put(flags, Configuration.BACKUP_KEEP_WEEKLY, "--keep-weekly", keepWeekly);
        put(flags, Configuration.BACKUP_KEEP_MONTHLY, "--keep-monthly", keepMonthly);
        put(flags, Configuration.BACKUP_KEEP_LAST, "--keep-last", keepLast);
        flags.putAll(extra);
        return Configuration.load(env, Optional.ofNullable(configFile), flags);
    }

    public Configuration configuration(Map<String, String> env) {
        return configuration(env, Map.of());
    }

    private static void put(Map<String, Configuration.Flag> flags, String key, String flag, String value) {
        if (value != null) {
            flags.put(key, new Configuration.Flag(flag, value));
        }
    }
}
