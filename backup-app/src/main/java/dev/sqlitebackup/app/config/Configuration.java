package dev.sqlitebackup.app.config;

import dev.sqlitebackup.app.daemon.BackupSchedule;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RetryPlan;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of one invocation: environment variables, overridden by an optional config file ({@code KEY=value},
 * the same keys), overridden by command-line flags. Every value is checked where it is read, with an error naming the
 * setting.
 */
public final class Configuration {

    public static final String DATABASE_URL = "DATABASE_URL";
    public static final String BACKUP_DIR = "BACKUP_DIR";
    public static final String BACKUP_KEEP_DAILY = "BACKUP_KEEP_DAILY";
    public static final String BACKUP_KEEP_WEEKLY = "BACKUP_KEEP_WEEKLY";
    public static final String BACKUP_KEEP_MONTHLY = "BACKUP_KEEP_MONTHLY";
    public static final String BACKUP_KEEP_LAST = "BACKUP_KEEP_LAST";
    public static final String BACKUP_TIMEZONE = "BACKUP_TIMEZONE";
    public static final String BACKUP_VACUUM = "BACKUP_VACUUM";
    public static final String BACKUP_VERIFY = "BACKUP_VERIFY";
    public static final String BACKUP_SCHEDULE = "BACKUP_SCHEDULE";
    public static final String BACKUP_RETRY_ATTEMPTS = "BACKUP_RETRY_ATTEMPTS";
    public static final String BACKUP_RETRY_DELAY = "BACKUP_RETRY_DELAY";
    public static final String BACKUP_SHUTDOWN_GRACE = "BACKUP_SHUTDOWN_GRACE";
    public static final String BACKUP_STATE_DB = "BACKUP_STATE_DB";

    public static final String DRIVE_KEEP_DAILY = "DRIVE_KEEP_DAILY";
    public static final String DRIVE_KEEP_WEEKLY = "DRIVE_KEEP_WEEKLY";
    public static final String DRIVE_KEEP_MONTHLY = "DRIVE_KEEP_MONTHLY";
    public static final String DRIVE_KEEP_LAST = "DRIVE_KEEP_LAST";
    public static final String DRIVE_ENABLED = "DRIVE_ENABLED";

    /**
     * Every setting this version reads, here and in the adapters (DriveSettings, NtfySettings): a config file naming
     * any other key is refused, since a mistyped key would silently not apply.
     */
    public static final Set<String> KNOWN_KEYS = Collections.unmodifiableSortedSet(new TreeSet<>(List.of(
            DATABASE_URL, BACKUP_DIR, BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY, BACKUP_KEEP_MONTHLY, BACKUP_KEEP_LAST,
            BACKUP_TIMEZONE, BACKUP_VACUUM, BACKUP_VERIFY, BACKUP_SCHEDULE, BACKUP_RETRY_ATTEMPTS,
            BACKUP_RETRY_DELAY, BACKUP_SHUTDOWN_GRACE, BACKUP_STATE_DB,
            DRIVE_KEEP_DAILY, DRIVE_KEEP_WEEKLY, DRIVE_KEEP_MONTHLY, DRIVE_KEEP_LAST, DRIVE_ENABLED,
            "GOOGLE_DRIVE_CREDENTIALS", "DRIVE_FOLDER", "DRIVE_PARENT_ID", "DRIVE_ROOT_URL", "DRIVE_CHUNK_MB",
            "NTFY_URL", "NTFY_TOPIC", "NTFY_TOKEN", "NTFY_USER", "NTFY_PASSWORD", "NTFY_NOTIFY")));

    /**
     * Environment variables with these prefixes are taken for this tool's; one that is not a known key gets a
     * warning (other programs' variables, DATABASE_URL's neighbours included, are none of its business).
     */
    public static final List<String> OWN_PREFIXES = List.of("BACKUP_", "DRIVE_", "NTFY_", "GOOGLE_DRIVE_");

    /** The longest {@code BACKUP_SHUTDOWN_GRACE}: systemd and people give up on a stop long before a day. */
    static final Duration LONGEST_SHUTDOWN_GRACE = Duration.ofDays(1);

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private Configuration(Map<String, String> values, Map<String, String> origins) {
        this.values = Map.copyOf(values);
        this.origins = Map.copyOf(origins);
    }

    /**
     * @param env       the process environment
     * @param file      an optional config file ({@code --config})
     * @param flags     values given as command-line flags, by setting name, with the flag for messages
     */
    public static Configuration load(Map<String, String> env, Optional<Path> file, Map<String, Flag> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            values.put(k, v);
            origins.put(k, k);
        });
        file.ifPresent(f -> readFile(f).forEach((k, v) -> {
            values.put(k, v);
            origins.put(k, k + " in " + f);
        }));
        flags.forEach((k, flag) -> {
            values.put(k, flag.value());
            origins.put(k, k + " (" + flag.name() + ")");
        });
        return new Configuration(values, origins);
    }

    /** A value given on the command line for a setting, and the flag's name for error messages. */
    public record Flag(String name, String value) {
    }

    /**
     * Reads a config file: one {@code KEY=value} per line, blank lines and lines starting with {@code #} or
     * {@code !} ignored, the value taken literally up to the end of the line (no escapes, so Windows paths stay as
     * written) with surrounding blanks removed. A UTF-8 byte-order mark and Windows line ends are accepted. A line
     * that is not {@code KEY=value}, or a key this version does not read, is an error naming file, line and key.
     */
    private static Map<String, String> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigurationException("config file " + file + " cannot be read: " + FileProblems.cause(e));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // Notepad's byte-order mark: not part of the first key
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                continue;
            }
            String where = "config file " + file + " line " + (i + 1);
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                // the line itself is not repeated: it may be a password on a line of its own
                throw new ConfigurationException(where + " is not KEY=value");
            }
            String key = trimmed.substring(0, eq).strip();
            if (!KNOWN_KEYS.contains(key)) {
                throw new ConfigurationException(where + ": unknown setting '" + key + "' (did you mean "
                        + nearestKnownKey(key) + "?)");
            }
            map.put(key, trimmed.substring(eq + 1).strip());
        }
        return map;
    }

    /**
     * A warning for each environment variable that looks like one of this tool's settings ({@link #OWN_PREFIXES})
     * but is none: most likely a typo that would otherwise be silently ignored.
     */
    public static List<String> environmentWarnings(Map<String, String> env) {
        return env.keySet().stream()
                .filter(k -> OWN_PREFIXES.stream().anyMatch(k::startsWith))
                .filter(k -> !KNOWN_KEYS.contains(k))
                .sorted()
                .map(k -> "environment variable " + k + " is not a setting of sqlite-backup and is ignored (did you "
                        + "mean " + nearestKnownKey(k) + "?)")
                .toList();
    }

    /** The known key with the fewest single-character edits from {@code key}. */
    static String nearestKnownKey(String key) {
        String upper = key.toUpperCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : KNOWN_KEYS) {
            int d = editDistance(upper, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** All values, for adapters that read their own settings. */
    public Map<String, String> asMap() {
        return values;
    }

    /** Where a value came from, e.g. {@code BACKUP_KEEP_DAILY (--keep-daily)}, for error messages. */
    public String origin(String key) {
        return origins.getOrDefault(key, key);
    }

    public Optional<Path> databaseIfSet() {
        return get(DATABASE_URL).map(v -> DatabaseUrl.parse(origin(DATABASE_URL), v));
    }

    public Path database() {
        return databaseIfSet().orElseThrow(() -> new ConfigurationException(
                "no database given: set DATABASE_URL or pass --database PATH"));
    }

    /**
     * The database's identity, the one its backup folder records: the real path of the database's folder (symlinks
     * resolved, so two spellings of one folder are one database) and the file's name as given (a database that is a
     * symlink is known by its link, also once the file is lost and is being restored). Empty without DATABASE_URL.
     */
    public Optional<DatabaseIdentity> databaseIdentity() {
        return databaseIfSet().map(db -> {
            Path absolute = db.toAbsolutePath().normalize();
            Path parent = absolute.getParent();
            Path resolved = absolute;
            if (parent != null && absolute.getFileName() != null) {
                try {
                    resolved = parent.toRealPath().resolve(absolute.getFileName());
                } catch (IOException | SecurityException missingFolder) {
                    resolved = absolute; // a folder that does not exist (yet) has no symlinks to resolve
                }
            }
            try {
                return new DatabaseIdentity(resolved);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(origin(DATABASE_URL) + " '" + db + "' cannot name a database: "
                        + e.getMessage());
            }
        });
    }

    /**
     * {@code BACKUP_DIR}, or {@code backups/<database file name>} beside the database file: one folder per database,
     * also for two databases in one folder.
     */
    public Path backupDir() {
        Optional<Path> dir = get(BACKUP_DIR).map(v -> {
            try {
                return Path.of(v);
            } catch (java.nio.file.InvalidPathException e) {
                throw new ConfigurationException(origin(BACKUP_DIR) + " '" + v + "' is not a valid path");
            }
        });
        if (dir.isPresent()) {
            return dir.get().toAbsolutePath().normalize();
        }
        Path db = databaseIfSet().orElseThrow(() -> new ConfigurationException(
                "no backup folder given: set BACKUP_DIR or DATABASE_URL (backups go beside the database), "
                        + "or pass --backup-dir DIR"));
        Path absolute = db.toAbsolutePath().normalize();
        if (absolute.getFileName() == null) {
            throw new ConfigurationException(origin(DATABASE_URL) + " '" + db + "' names no database file");
        }
        return absolute.getParent().resolve("backups").resolve(absolute.getFileName());
    }

    /**
     * Where backups went by default before each database had a folder of its own ({@code backups} beside the
     * database), when BACKUP_DIR is not set: an upgraded installation's backups may still be there.
     */
    public Optional<Path> formerDefaultBackupDir() {
        if (get(BACKUP_DIR).isPresent()) {
            return Optional.empty();
        }
        return databaseIfSet().map(db -> db.toAbsolutePath().normalize().getParent())
                .map(parent -> parent.resolve("backups"));
    }

    public RetentionPolicy retention() {
        int daily = count(BACKUP_KEEP_DAILY, 7);
        int weekly = count(BACKUP_KEEP_WEEKLY, 4);
        int monthly = count(BACKUP_KEEP_MONTHLY, 12);
        int last = count(BACKUP_KEEP_LAST, 7);
        return policy("BACKUP_KEEP_", daily, weekly, monthly, last);
    }

    /** The policy for the off-site copies: {@code DRIVE_KEEP_*}, each defaulting to its local value. */
    public RetentionPolicy remoteRetention() {
        RetentionPolicy local = retention();
        return policy("DRIVE_KEEP_", count(DRIVE_KEEP_DAILY, local.keepDaily()),
                count(DRIVE_KEEP_WEEKLY, local.keepWeekly()), count(DRIVE_KEEP_MONTHLY, local.keepMonthly()),
                count(DRIVE_KEEP_LAST, local.keepLast()));
    }

    private static RetentionPolicy policy(String prefix, int daily, int weekly, int monthly, int last) {
        if (daily == 0 && weekly == 0 && monthly == 0 && last == 0) {
            throw new ConfigurationException(prefix + "DAILY, " + prefix + "WEEKLY, " + prefix + "MONTHLY and "
                    + prefix + "LAST are all 0: such a policy would delete every backup");
        }
        return new RetentionPolicy(daily, weekly, monthly, last);
    }

    /** A whole number of 0 or more. */
    public int count(String key, int defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(origin(key) + " must be a whole number, got '" + raw.get() + "'");
        }
        if (n < 0) {
            throw new ConfigurationException(origin(key) + " must not be negative, got " + n);
        }
        return n;
    }

    /** {@code BACKUP_TIMEZONE}, default the system zone. */
    public ZoneId zone() {
        Optional<String> raw = get(BACKUP_TIMEZONE);
        if (raw.isEmpty()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(raw.get());
        } catch (DateTimeException e) {
            throw new ConfigurationException(origin(BACKUP_TIMEZONE) + " is not a known time zone: '" + raw.get()
                    + "' (use a name like Europe/Berlin or UTC)");
        }
    }

    public boolean flag(String key, boolean defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigurationException(origin(key) + " must be true or false, got '" + raw.get()
                    + "'");
        };
    }

    /**
     * One backup as these settings describe it (database, compaction, verification, both retention policies, zone,
     * whether to copy off-site); every setting it needs is checked here, so a bad one fails before any work.
     */
    public RunBackupUseCase.Command backupCommand(SnapshotProgress progress) {
        RunBackupUseCase.Command local = RunBackupUseCase.Command.localBackup(database(), flag(BACKUP_VACUUM, true),
                verifyLevel(), retention(), zone(), progress);
        boolean offsite = flag(DRIVE_ENABLED, true);
        RetentionPolicy remoteRetention = remoteRetention(); // checked also when off, as every setting is
        return offsite ? local.withOffsiteCopy(remoteRetention) : local;
    }

    /** {@code BACKUP_VERIFY}: quick (default) or full. */
    public VerifyLevel verifyLevel() {
        String raw = get(BACKUP_VERIFY).orElse("quick").toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "quick" -> VerifyLevel.QUICK;
            case "full" -> VerifyLevel.FULL;
            default -> throw new ConfigurationException(origin(BACKUP_VERIFY) + " must be quick or full, got '"
                    + get(BACKUP_VERIFY).orElse("") + "'");
        };
    }

    /** {@code BACKUP_SCHEDULE} (Quartz cron, or a standard 5-field cron line; default daily 03:00) in the zone. */
    public BackupSchedule schedule() {
        String raw = get(BACKUP_SCHEDULE).orElse(BackupSchedule.DEFAULT);
        ZoneId zone = zone();
        try {
            return BackupSchedule.parse(raw, zone);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(origin(BACKUP_SCHEDULE) + " '" + raw + "' is not a usable schedule: "
                    + e.getMessage());
        }
    }

    /** {@code BACKUP_RETRY_ATTEMPTS} (default 3, in all) and {@code BACKUP_RETRY_DELAY} (default 1 minute). */
    public RetryPlan retryPlan() {
        int attempts = count(BACKUP_RETRY_ATTEMPTS, RetryPlan.DEFAULT.attempts());
        if (attempts < 1) {
            throw new ConfigurationException(origin(BACKUP_RETRY_ATTEMPTS) + " must be at least 1 (the run itself), "
                    + "got " + attempts);
        }
        return new RetryPlan(attempts, positiveDuration(BACKUP_RETRY_DELAY, RetryPlan.DEFAULT.firstDelay()));
    }

    /** {@code BACKUP_SHUTDOWN_GRACE}: how long a stopping daemon lets a running backup finish; default 10 minutes. */
    public Duration shutdownGrace() {
        Duration grace = positiveDuration(BACKUP_SHUTDOWN_GRACE, Duration.ofMinutes(10));
        if (grace.compareTo(LONGEST_SHUTDOWN_GRACE) > 0) {
            throw new ConfigurationException(origin(BACKUP_SHUTDOWN_GRACE) + " must be at most 24h, got '"
                    + get(BACKUP_SHUTDOWN_GRACE).orElse("") + "'");
        }
        return grace;
    }

    /** {@code BACKUP_STATE_DB}, default {@code .sqlite-backup/state.db} in the backup folder. */
    public Path stateDb() {
        Optional<String> raw = get(BACKUP_STATE_DB);
        if (raw.isEmpty()) {
            return backupDir().resolve(".sqlite-backup").resolve("state.db");
        }
        try {
            return Path.of(raw.get()).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigurationException(origin(BACKUP_STATE_DB) + " '" + raw.get() + "' is not a valid path");
        }
    }

    /** A duration setting ({@code 90m}, {@code 26h}, {@code 2d}, {@code PT26H} ...) greater than zero. */
    public Duration positiveDuration(String key, Duration defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Duration d;
        try {
            d = Durations.parse(raw.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(origin(key) + " " + e.getMessage());
        }
        if (d.isNegative() || d.isZero()) {
            throw new ConfigurationException(origin(key) + " must be longer than zero, got '" + raw.get() + "'");
        }
        return d;
    }
}
