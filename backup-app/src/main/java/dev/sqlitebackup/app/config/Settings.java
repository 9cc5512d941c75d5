package dev.sqlitebackup.app.config;

import dev.sqlitebackup.adapters.codec.AgeRecipient;
import dev.sqlitebackup.adapters.codec.CodecSettings;
import dev.sqlitebackup.adapters.drive.DriveSettings;
import dev.sqlitebackup.adapters.heartbeat.HeartbeatSettings;
import dev.sqlitebackup.adapters.ntfy.NtfySettings;
import dev.sqlitebackup.adapters.sqlite.PageCopy;
import dev.sqlitebackup.app.daemon.BackupSchedule;
import dev.sqlitebackup.app.metrics.MetricsAddress;
import dev.sqlitebackup.domain.model.RetryPlan;
import dev.sqlitebackup.domain.model.VerifyLevel;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every setting of sqlite-backup, in one place: its key, the flag that also sets it, its parser and its default.
 * Values come from the environment, overridden by a config file, overridden by flags ({@link Configuration}); the
 * adapters get typed settings records built from these, never keys.
 */
public final class Settings {

    public static final Setting<Path> DATABASE_URL =
            Setting.optional("DATABASE_URL", DatabaseUrl::parse).flag("--database");
    public static final Setting<Path> BACKUP_DIR =
            Setting.derived("BACKUP_DIR", Settings::absolutePath, Configuration::defaultBackupDir)
                    .flag("--backup-dir");
    public static final Setting<Integer> BACKUP_KEEP_DAILY =
            Setting.of("BACKUP_KEEP_DAILY", Settings::count, 7).flag("--keep-daily");
    public static final Setting<Integer> BACKUP_KEEP_WEEKLY =
            Setting.of("BACKUP_KEEP_WEEKLY", Settings::count, 4).flag("--keep-weekly");
    public static final Setting<Integer> BACKUP_KEEP_MONTHLY =
            Setting.of("BACKUP_KEEP_MONTHLY", Settings::count, 12).flag("--keep-monthly");
    public static final Setting<Integer> BACKUP_KEEP_LAST =
            Setting.of("BACKUP_KEEP_LAST", Settings::count, 7).flag("--keep-last");
    public static final Setting<ZoneId> BACKUP_TIMEZONE =
            Setting.derived("BACKUP_TIMEZONE", Settings::zone, c -> ZoneId.systemDefault()).flag("--timezone");
    public static final Setting<Boolean> BACKUP_VACUUM =
            Setting.of("BACKUP_VACUUM", Settings::bool, true).flag("--no-vacuum");
    /** How a page-for-page copy ({@code BACKUP_VACUUM=false}) is made: {@code raw} (default) or {@code api}. */
    public static final Setting<PageCopy> BACKUP_COPY = Setting.of("BACKUP_COPY", Settings::pageCopy, PageCopy.RAW);
    public static final Setting<VerifyLevel> BACKUP_VERIFY =
            Setting.of("BACKUP_VERIFY", Settings::verifyLevel, VerifyLevel.QUICK).flag("--verify");
    /** The expression as given, checked; {@link Configuration#schedule()} puts it in the zone. */
    public static final Setting<String> BACKUP_SCHEDULE =
            Setting.of("BACKUP_SCHEDULE", Settings::schedule, BackupSchedule.DEFAULT).flag("--schedule");
    public static final Setting<Integer> BACKUP_RETRY_ATTEMPTS =
            Setting.of("BACKUP_RETRY_ATTEMPTS", Settings::attempts, RetryPlan.DEFAULT.attempts());
    public static final Setting<Duration> BACKUP_RETRY_DELAY =
            Setting.of("BACKUP_RETRY_DELAY", Durations::parsePositive, RetryPlan.DEFAULT.firstDelay());
    public static final Setting<Duration> BACKUP_SHUTDOWN_GRACE =
            Setting.of("BACKUP_SHUTDOWN_GRACE", Settings::shutdownGrace, Duration.ofMinutes(10));
    /** How many databases one {@code run} (or the daemon) backs up at a time; default the number of cores. */
    public static final Setting<Integer> BACKUP_PARALLELISM = Setting.of("BACKUP_PARALLELISM", Settings::parallelism,
            Runtime.getRuntime().availableProcessors());
    /** When the daemon runs a restore drill: a schedule as BACKUP_SCHEDULE's, or {@code never}; default Sunday 04:00. */
    public static final Setting<String> DRILL_SCHEDULE = Setting.of("DRILL_SCHEDULE", Settings::drillSchedule,
            "0 0 4 ? * SUN");
    /** A YAML file of data assertions ({@code assertions:}: name, sql, expect) run on every copy before it is published. */
    public static final Setting<Path> ASSERTIONS_FILE = Setting.optional("ASSERTIONS_FILE", Settings::path);
    /** How much of a table may go between two backups before the earlier one is pinned: percent, default 50. */
    public static final Setting<Integer> DRIFT_MAX_SHRINK = Setting.of("DRIFT_MAX_SHRINK", Settings::percent, 50);
    /** How long a pinned backup is kept whatever retention says (drift guard, exec); default 90 days. */
    public static final Setting<Integer> DRIFT_PIN_DAYS = Setting.of("DRIFT_PIN_DAYS", Settings::pinDays, 90);
    public static final Setting<Path> BACKUP_STATE_DB = Setting.derived("BACKUP_STATE_DB", Settings::absolutePath,
            c -> c.backupDir().resolve(".sqlite-backup").resolve("state.db"));

    public static final Setting<Path> GOOGLE_DRIVE_CREDENTIALS =
            Setting.optional("GOOGLE_DRIVE_CREDENTIALS", Settings::path);
    /** Unset: Drive is on when {@link #GOOGLE_DRIVE_CREDENTIALS} is set. */
    public static final Setting<Boolean> DRIVE_ENABLED =
            Setting.of("DRIVE_ENABLED", Settings::bool, true).flag("--no-drive");
    public static final Setting<String> DRIVE_FOLDER =
            Setting.of("DRIVE_FOLDER", text -> text, DriveSettings.DEFAULT_FOLDER);
    public static final Setting<String> DRIVE_PARENT_ID = Setting.optional("DRIVE_PARENT_ID", text -> {
        DriveSettings.parentIdProblem(text).ifPresent(Settings::fail);
        return text;
    });
    public static final Setting<URI> DRIVE_ROOT_URL = Setting.optional("DRIVE_ROOT_URL", text -> {
        URI url = url(text);
        DriveSettings.rootUrlProblem(url).ifPresent(Settings::fail);
        return url;
    });
    /** A size: the upload chunk in MiB. */
    public static final Setting<Integer> DRIVE_CHUNK_MB =
            Setting.of("DRIVE_CHUNK_MB", Settings::chunkMb, DriveSettings.DEFAULT_CHUNK_MB);
    public static final Setting<Integer> DRIVE_KEEP_DAILY =
            Setting.derived("DRIVE_KEEP_DAILY", Settings::count, c -> c.get(BACKUP_KEEP_DAILY));
    public static final Setting<Integer> DRIVE_KEEP_WEEKLY =
            Setting.derived("DRIVE_KEEP_WEEKLY", Settings::count, c -> c.get(BACKUP_KEEP_WEEKLY));
    public static final Setting<Integer> DRIVE_KEEP_MONTHLY =
            Setting.derived("DRIVE_KEEP_MONTHLY", Settings::count, c -> c.get(BACKUP_KEEP_MONTHLY));
    public static final Setting<Integer> DRIVE_KEEP_LAST =
            Setting.derived("DRIVE_KEEP_LAST", Settings::count, c -> c.get(BACKUP_KEEP_LAST));

    /**
     * Whether local backups are stored as zstd frames ({@code .db.zst}, at zstd's default level): {@code none}
     * (default) or {@code zstd}.
     */
    public static final Setting<Boolean> LOCAL_COMPRESSION =
            Setting.of("LOCAL_COMPRESSION", Settings::compression, false);
    /** Whether off-site copies are zstd frames: {@code zstd} (default) or {@code none}. */
    public static final Setting<Boolean> OFFSITE_COMPRESSION =
            Setting.of("OFFSITE_COMPRESSION", Settings::compression, true);
    public static final Setting<Integer> OFFSITE_ZSTD_LEVEL =
            Setting.of("OFFSITE_ZSTD_LEVEL", Settings::zstdLevel, CodecSettings.DEFAULT_LEVEL);
    /** The public keys off-site copies are encrypted to: {@code age1…}, comma separated. */
    public static final Setting<List<AgeRecipient>> AGE_RECIPIENTS = Setting.optional("AGE_RECIPIENTS", Settings::recipients);
    /** A file of public keys in age's {@code -R} format. */
    public static final Setting<Path> AGE_RECIPIENTS_FILE = Setting.optional("AGE_RECIPIENTS_FILE", Settings::path);
    /** An {@code age-keygen} identity file: needed only to read encrypted copies back. */
    public static final Setting<Path> AGE_IDENTITY_FILE = Setting.optional("AGE_IDENTITY_FILE", Settings::path);

    public static final Setting<URI> NTFY_URL = Setting.of("NTFY_URL", Settings::ntfyServer,
            NtfySettings.DEFAULT_SERVER);
    /** Unset: notifications are off. */
    public static final Setting<String> NTFY_TOPIC = Setting.optional("NTFY_TOPIC", text -> {
        NtfySettings.topicProblem(text).ifPresent(Settings::fail);
        return text;
    });
    public static final Setting<Path> NTFY_TOKEN_FILE = Setting.optional("NTFY_TOKEN_FILE", Settings::path);
    public static final Setting<String> NTFY_TOKEN = Setting.optional("NTFY_TOKEN", text -> {
        NtfySettings.tokenProblem(text).ifPresent(Settings::fail);
        return text;
    }).fromFile(NTFY_TOKEN_FILE);
    public static final Setting<String> NTFY_USER = Setting.optional("NTFY_USER", text -> {
        NtfySettings.userProblem(text).ifPresent(Settings::fail);
        return text;
    });
    public static final Setting<Path> NTFY_PASSWORD_FILE = Setting.optional("NTFY_PASSWORD_FILE", Settings::path);
    public static final Setting<String> NTFY_PASSWORD = Setting.optional("NTFY_PASSWORD", text -> text)
            .fromFile(NTFY_PASSWORD_FILE);
    /** Whether only failures are sent: {@code all} (default) or {@code failure}. */
    public static final Setting<Boolean> NTFY_NOTIFY = Setting.of("NTFY_NOTIFY", Settings::failuresOnly, false);

    public static final Setting<Path> HEARTBEAT_URL_FILE = Setting.optional("HEARTBEAT_URL_FILE", Settings::path);
    /** A dead man's switch pinged after every run (healthchecks.io's convention); its path is a secret. */
    public static final Setting<URI> HEARTBEAT_URL = Setting.optional("HEARTBEAT_URL", Settings::heartbeatUrl)
            .fromFile(HEARTBEAT_URL_FILE);
    /** Whether a run's start is pinged ({@code URL/start}); default true. */
    public static final Setting<Boolean> HEARTBEAT_START = Setting.of("HEARTBEAT_START", Settings::bool, true);
    public static final Setting<Path> HEARTBEAT_FAIL_URL_FILE =
            Setting.optional("HEARTBEAT_FAIL_URL_FILE", Settings::path);
    /** Where a failure is pinged instead of {@code HEARTBEAT_URL/fail}, for monitors with other conventions. */
    public static final Setting<URI> HEARTBEAT_FAIL_URL = Setting.optional("HEARTBEAT_FAIL_URL",
            Settings::heartbeatUrl).fromFile(HEARTBEAT_FAIL_URL_FILE);
    public static final Setting<Path> HEARTBEAT_START_URL_FILE =
            Setting.optional("HEARTBEAT_START_URL_FILE", Settings::path);
    /** Where a start is pinged instead of {@code HEARTBEAT_URL/start}. */
    public static final Setting<URI> HEARTBEAT_START_URL = Setting.optional("HEARTBEAT_START_URL",
            Settings::heartbeatUrl).fromFile(HEARTBEAT_START_URL_FILE);

    /** Where the daemon serves Prometheus metrics ({@code [host:]port}); unset: nothing listens. */
    public static final Setting<MetricsAddress> METRICS_ADDRESS =
            Setting.optional("METRICS_ADDRESS", MetricsAddress::parse);
    /** The file {@code run} writes its metrics to at its end, for node_exporter's textfile collector. */
    public static final Setting<Path> METRICS_TEXTFILE = Setting.optional("METRICS_TEXTFILE", Settings::absolutePath);

    /** Every setting this version reads. */
    public static final List<Setting<?>> ALL = List.of(DATABASE_URL, BACKUP_DIR, BACKUP_KEEP_DAILY,
            BACKUP_KEEP_WEEKLY, BACKUP_KEEP_MONTHLY, BACKUP_KEEP_LAST, BACKUP_TIMEZONE, BACKUP_VACUUM, BACKUP_COPY, BACKUP_VERIFY,
            BACKUP_SCHEDULE, BACKUP_RETRY_ATTEMPTS, BACKUP_RETRY_DELAY, BACKUP_SHUTDOWN_GRACE, BACKUP_PARALLELISM, DRIFT_MAX_SHRINK, DRIFT_PIN_DAYS, ASSERTIONS_FILE, DRILL_SCHEDULE,
            BACKUP_STATE_DB,
            GOOGLE_DRIVE_CREDENTIALS, DRIVE_ENABLED, DRIVE_FOLDER, DRIVE_PARENT_ID, DRIVE_ROOT_URL, DRIVE_CHUNK_MB,
            DRIVE_KEEP_DAILY, DRIVE_KEEP_WEEKLY, DRIVE_KEEP_MONTHLY, DRIVE_KEEP_LAST,
            LOCAL_COMPRESSION, OFFSITE_COMPRESSION, OFFSITE_ZSTD_LEVEL, AGE_RECIPIENTS, AGE_RECIPIENTS_FILE, AGE_IDENTITY_FILE,
            NTFY_URL, NTFY_TOPIC, NTFY_TOKEN, NTFY_TOKEN_FILE, NTFY_USER, NTFY_PASSWORD, NTFY_PASSWORD_FILE, NTFY_NOTIFY,
            HEARTBEAT_URL, HEARTBEAT_URL_FILE, HEARTBEAT_START, HEARTBEAT_FAIL_URL, HEARTBEAT_FAIL_URL_FILE,
            HEARTBEAT_START_URL, HEARTBEAT_START_URL_FILE, METRICS_ADDRESS, METRICS_TEXTFILE);

    /**
     * The keys of {@link #ALL}: a config file naming any other key is refused, since a mistyped key would silently
     * not apply.
     */
    public static final Set<String> KNOWN_KEYS = Collections.unmodifiableSortedSet(
            new TreeSet<>(ALL.stream().map(Setting::key).toList()));

    /**
     * Environment variables with these prefixes are taken for this tool's; one that is not a known key gets a
     * warning (other programs' variables, DATABASE_URL's neighbours included, are none of its business).
     */
    public static final List<String> OWN_PREFIXES = List.of("BACKUP_", "DRIVE_", "NTFY_", "GOOGLE_DRIVE_", "OFFSITE_",
            "AGE_", "DRIFT_", "ASSERTIONS_", "HEARTBEAT_", "DRILL_");

    /** The longest {@code BACKUP_SHUTDOWN_GRACE}: systemd and people give up on a stop long before a day. */
    static final Duration LONGEST_SHUTDOWN_GRACE = Duration.ofDays(1);

    private Settings() {
    }

    /**
     * A warning for each environment variable that looks like one of this tool's settings ({@link #OWN_PREFIXES})
     * but is none: most likely a typo that would otherwise be silently ignored.
     */
    public static List<String> environmentWarnings(java.util.Map<String, String> env) {
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
        return nearest(key.toUpperCase(Locale.ROOT), KNOWN_KEYS);
    }

    /** The one of {@code candidates} with the fewest single-character edits from {@code key}. */
    static String nearest(String key, java.util.Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : candidates) {
            int d = editDistance(key, known);
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

    // ---- parsers: each throws IllegalArgumentException with a problem worded to follow the setting's name ----

    private static void fail(String problem) {
        throw new IllegalArgumentException(problem);
    }

    /** A whole number of 0 or more. */
    static int count(String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, got '" + text + "'");
        }
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative, got " + n);
        }
        return n;
    }

    private static int attempts(String text) {
        int n = count(text);
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1 (the run itself), got " + n);
        }
        return n;
    }

    /** A ping URL; a problem never repeats it (its path is the secret that lets anyone ping the check). */
    private static URI heartbeatUrl(String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL (" + e.getReason() + ")");
        }
        HeartbeatSettings.urlProblem(url).ifPresent(Settings::fail);
        return url;
    }

    private static int percent(String text) {
        String number = text.endsWith("%") ? text.substring(0, text.length() - 1).strip() : text;
        int n = count(number);
        if (n < 1 || n > 99) {
            throw new IllegalArgumentException("must be a percentage from 1 to 99, got '" + text + "'");
        }
        return n;
    }

    private static int pinDays(String text) {
        int n = count(text);
        if (n < 1 || n > 36_500) {
            throw new IllegalArgumentException("must be from 1 to 36500 days, got " + n);
        }
        return n;
    }

    private static int parallelism(String text) {
        int n = count(text);
        if (n < 1 || n > 256) {
            throw new IllegalArgumentException("must be from 1 to 256, got " + n);
        }
        return n;
    }

    private static int chunkMb(String text) {
        int mb;
        try {
            mb = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            mb = -1;
        }
        if (mb < 1 || mb > DriveSettings.MAX_CHUNK_MB) {
            throw new IllegalArgumentException("must be a whole number of MiB from 1 to " + DriveSettings.MAX_CHUNK_MB
                    + ", got '" + text + "'");
        }
        return mb;
    }

    static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + text + "'");
        };
    }

    private static boolean compression(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "zstd" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException("must be 'zstd' or 'none', got '" + text + "'");
        };
    }

    private static int zstdLevel(String text) {
        int level;
        try {
            level = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            level = 0;
        }
        if (level < CodecSettings.MIN_LEVEL || level > CodecSettings.MAX_LEVEL) {
            throw new IllegalArgumentException("must be a zstd level from " + CodecSettings.MIN_LEVEL + " to "
                    + CodecSettings.MAX_LEVEL + ", got '" + text + "'");
        }
        return level;
    }

    /** One or more age public keys, comma separated. */
    private static List<AgeRecipient> recipients(String text) {
        return AgeRecipient.parseList(text);
    }

    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a path: '" + text + "'");
        }
    }

    private static boolean failuresOnly(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "all" -> false;
            case "failure" -> true;
            default -> throw new IllegalArgumentException("must be 'all' or 'failure', was '" + text + "'");
        };
    }

    private static ZoneId zone(String text) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("is not a known time zone: '" + text
                    + "' (use a name like Europe/Berlin or UTC)");
        }
    }

    private static PageCopy pageCopy(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "raw" -> PageCopy.RAW;
            case "api" -> PageCopy.API;
            default -> throw new IllegalArgumentException("must be 'raw' or 'api', got '" + text + "'");
        };
    }

    private static VerifyLevel verifyLevel(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "quick" -> VerifyLevel.QUICK;
            case "full" -> VerifyLevel.FULL;
            default -> throw new IllegalArgumentException("must be quick or full, got '" + text + "'");
        };
    }

    /** A usable cron expression; whether it is does not depend on the zone it is read in. */
    private static String schedule(String text) {
        try {
            BackupSchedule.parse(text, ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a usable schedule: " + e.getMessage());
        }
        return text;
    }

    private static String drillSchedule(String text) {
        return text.equalsIgnoreCase("never") ? "never" : schedule(text);
    }

    private static Duration shutdownGrace(String text) {
        Duration grace = Durations.parsePositive(text);
        if (grace.compareTo(LONGEST_SHUTDOWN_GRACE) > 0) {
            throw new IllegalArgumentException("must be at most 24h, got '" + text + "'");
        }
        return grace;
    }

    private static Path absolutePath(String text) {
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid path");
        }
    }

    private static URI url(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL: '" + text + "'");
        }
    }

    private static URI ntfyServer(String text) {
        URI server = url(text);
        NtfySettings.serverProblem(server).ifPresent(problem -> fail(server.getRawUserInfo() == null ? problem
                : problem + "; use " + NTFY_TOKEN.key() + " or " + NTFY_USER.key() + " and " + NTFY_PASSWORD.key()));
        return server;
    }
}
