package dev.sqlitebackup.app.config;

import static dev.sqlitebackup.app.config.Settings.BACKUP_DIR;
import static dev.sqlitebackup.app.config.Settings.BACKUP_KEEP_DAILY;
import static dev.sqlitebackup.app.config.Settings.BACKUP_KEEP_LAST;
import static dev.sqlitebackup.app.config.Settings.BACKUP_KEEP_MONTHLY;
import static dev.sqlitebackup.app.config.Settings.BACKUP_KEEP_WEEKLY;
import static dev.sqlitebackup.app.config.Settings.DATABASE_URL;
import static dev.sqlitebackup.app.config.Settings.DRIVE_ENABLED;
import static dev.sqlitebackup.app.config.Settings.DRIVE_KEEP_DAILY;
import static dev.sqlitebackup.app.config.Settings.DRIVE_KEEP_LAST;
import static dev.sqlitebackup.app.config.Settings.DRIVE_KEEP_MONTHLY;
import static dev.sqlitebackup.app.config.Settings.DRIVE_KEEP_WEEKLY;
import static dev.sqlitebackup.app.config.Settings.GOOGLE_DRIVE_CREDENTIALS;
import static dev.sqlitebackup.app.config.Settings.NTFY_PASSWORD;
import static dev.sqlitebackup.app.config.Settings.NTFY_TOKEN;
import static dev.sqlitebackup.app.config.Settings.NTFY_TOPIC;
import static dev.sqlitebackup.app.config.Settings.NTFY_USER;

import dev.sqlitebackup.adapters.codec.AgeIdentity;
import dev.sqlitebackup.adapters.codec.AgeRecipient;
import dev.sqlitebackup.adapters.codec.CodecSettings;
import dev.sqlitebackup.adapters.drive.DriveSettings;
import dev.sqlitebackup.adapters.heartbeat.HeartbeatSettings;
import dev.sqlitebackup.adapters.ntfy.NtfySettings;
import dev.sqlitebackup.adapters.sqlite.PageCopy;
import dev.sqlitebackup.app.daemon.BackupSchedule;
import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.DriftPolicy;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RetryPlan;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of one invocation: environment variables, overridden by an optional config file ({@code KEY=value},
 * the same keys), overridden by command-line flags. Each value is read by its {@link Setting}'s parser when asked
 * for, and a bad one is an {@link InvalidSettingException} naming the setting and where its value came from; the
 * typed records the adapters take ({@link #drive()}, {@link #ntfy(Clock)}) are built here.
 */
public final class Configuration {

    private static final Logger LOG = LoggerFactory.getLogger(Configuration.class);

    /** A value given for a setting, and where it came from. */
    record Given(String text, SettingSource source) {
    }

    private final Map<String, Given> values;
    private final Optional<String> databaseName;
    /** The {@code assertions:} list of the database's entry (or of defaults:) in a YAML config. */
    private final List<DataAssertion> inlineAssertions;

    private Configuration(Map<String, Given> values, Optional<String> databaseName,
            List<DataAssertion> inlineAssertions) {
        this.values = Map.copyOf(values);
        this.databaseName = databaseName;
        this.inlineAssertions = List.copyOf(inlineAssertions);
    }

    /** These settings with the {@code assertions:} list of a YAML config's entry. */
    Configuration withInlineAssertions(List<DataAssertion> assertions) {
        return new Configuration(values, databaseName, assertions);
    }

    /**
     * The data assertions run on every copy: those of {@code ASSERTIONS_FILE}, then those of the YAML config's
     * {@code assertions:}, read and checked now (an unsafe query is refused before anything runs).
     *
     * @throws ConfigurationException naming the file, line and key of a bad one
     */
    public List<DataAssertion> assertions() {
        List<DataAssertion> all = new ArrayList<>();
        given(Settings.ASSERTIONS_FILE).ifPresent(file -> all.addAll(AssertionsFile.read(file)));
        for (DataAssertion inline : inlineAssertions) {
            if (all.stream().anyMatch(a -> a.name().equals(inline.name()))) {
                throw new ConfigurationException("assertion '" + inline.name() + "' is in " + origin(
                        Settings.ASSERTIONS_FILE) + " and in the config file's assertions: give each name once");
            }
            all.add(inline);
        }
        return List.copyOf(all);
    }

    /**
     * These settings as those of the database named {@code name} in a config file of many databases: its Drive
     * copies go to a subfolder of that name, and its history rows carry it.
     */
    public Configuration named(String name) {
        return new Configuration(values, Optional.of(name), inlineAssertions);
    }

    /** The database's name in a config file of many databases; empty for the one database of the environment. */
    public Optional<String> databaseName() {
        return databaseName;
    }

    /**
     * @param env       the process environment
     * @param file      an optional config file ({@code --config})
     * @param flags     values given as command-line flags, by setting key, with the flag for messages
     */
    public static Configuration load(Map<String, String> env, Optional<Path> file, Map<String, Flag> flags) {
        Map<String, Given> values = new LinkedHashMap<>();
        SettingSource environment = new SettingSource.Environment();
        env.forEach((k, v) -> values.put(k, new Given(v, environment)));
        file.ifPresent(f -> {
            SettingSource configFile = new SettingSource.ConfigFile(f);
            ConfigFile.read(f).forEach((k, v) -> values.put(k, new Given(v, configFile)));
        });
        return withFlags(values, flags);
    }

    /**
     * The settings of one database of a YAML config file: {@code values} by setting key, each with the file, line and
     * YAML key it came from (the environment is not read: it comes in only through {@code ${VAR}} in the file),
     * overridden by command-line flags.
     */
    static Configuration fromYaml(Map<String, Given> values, Map<String, Flag> flags) {
        return withFlags(new LinkedHashMap<>(values), flags);
    }

    private static Configuration withFlags(Map<String, Given> values, Map<String, Flag> flags) {
        flags.forEach((k, flag) -> {
            if (!Settings.KNOWN_KEYS.contains(k)) {
                throw new IllegalArgumentException("no setting " + k + " for " + flag.name());
            }
            values.put(k, new Given(flag.value(), new SettingSource.Flag(flag.name())));
        });
        return new Configuration(values, Optional.empty(), List.of());
    }

    /** A value given on the command line for a setting, and the flag's name for error messages. */
    public record Flag(String name, String value) {

        /** {@code value} for {@code setting}, given by the flag the setting names. */
        public static Flag of(Setting<?> setting, String value) {
            return new Flag(setting.flag().orElseThrow(() -> new IllegalArgumentException(
                    setting.key() + " has no flag")), value);
        }
    }

    /**
     * The setting's value as given (blank counts as unset), read by its parser; empty when not given. A secret with a
     * {@code KEY_FILE} setting may be given as that file's content instead (surrounding blanks and line ends
     * removed), never both.
     */
    public <T> Optional<T> given(Setting<T> setting) {
        Given given = values.get(setting.key());
        if (setting.file().isPresent()) {
            Setting<Path> fileSetting = setting.file().get();
            Optional<Path> file = given(fileSetting);
            if (file.isPresent()) {
                if (given != null && !given.text().isBlank()) {
                    throw new InvalidSettingException(List.of(setting.key(), fileSetting.key()), "set "
                            + withoutColon(origin(setting)) + " or " + withoutColon(origin(fileSetting))
                            + ", not both");
                }
                given = new Given(SecretFiles.read(file.get(), fileSetting.key(), source(fileSetting)),
                        source(fileSetting));
            }
        }
        if (given == null || given.text().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(setting.parse(given.text().strip()));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting.key(), given.source(), e.getMessage());
        }
    }

    /** The setting's value as given, or its default. */
    public <T> T get(Setting<T> setting) {
        Optional<T> given = given(setting);
        return given.isPresent() ? given.get() : setting.defaultIn(this);
    }

    /** Where a value came from, e.g. {@code BACKUP_KEEP_DAILY (--keep-daily)}, for messages. */
    String origin(Setting<?> setting) {
        Given given = values.get(setting.key());
        return given == null ? setting.key() : given.source().describe(setting.key());
    }

    private static String withoutColon(String origin) {
        return origin.endsWith(":") ? origin.substring(0, origin.length() - 1) : origin;
    }

    private SettingSource source(Setting<?> setting) {
        Given given = values.get(setting.key());
        return given == null ? new SettingSource.Environment() : given.source();
    }

    /** The values as given, for tests of the config file. */
    Map<String, String> asMap() {
        Map<String, String> texts = new LinkedHashMap<>();
        values.forEach((k, v) -> texts.put(k, v.text()));
        return texts;
    }

    public Optional<Path> databaseIfSet() {
        return given(DATABASE_URL);
    }

    public Path database() {
        return databaseIfSet().orElseThrow(() -> new ConfigurationException("no database given: set " + DATABASE_URL
                + " or pass " + DATABASE_URL.flag().orElseThrow() + " PATH"));
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
                throw new InvalidSettingException(DATABASE_URL.key(), source(DATABASE_URL),
                        "'" + db + "' cannot name a database: " + e.getMessage());
            }
        });
    }

    /**
     * {@code BACKUP_DIR}, or {@code backups/<database file name>} beside the database file: one folder per database,
     * also for two databases in one folder.
     */
    public Path backupDir() {
        return get(BACKUP_DIR);
    }

    /** The default of {@code BACKUP_DIR}. */
    Path defaultBackupDir() {
        Path db = databaseIfSet().orElseThrow(() -> new ConfigurationException("no backup folder given: set "
                + BACKUP_DIR + " or " + DATABASE_URL + " (backups go beside the database), or pass "
                + BACKUP_DIR.flag().orElseThrow() + " DIR"));
        Path absolute = db.toAbsolutePath().normalize();
        if (absolute.getFileName() == null) {
            throw new InvalidSettingException(DATABASE_URL.key(), source(DATABASE_URL),
                    "'" + db + "' names no database file");
        }
        return absolute.getParent().resolve("backups").resolve(absolute.getFileName());
    }

    /**
     * Where backups went by default before each database had a folder of its own ({@code backups} beside the
     * database), when BACKUP_DIR is not set: an upgraded installation's backups may still be there.
     */
    public Optional<Path> formerDefaultBackupDir() {
        if (given(BACKUP_DIR).isPresent()) {
            return Optional.empty();
        }
        return databaseIfSet().map(db -> db.toAbsolutePath().normalize().getParent())
                .map(parent -> parent.resolve("backups"));
    }

    public RetentionPolicy retention() {
        return policy(List.of(BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY, BACKUP_KEEP_MONTHLY, BACKUP_KEEP_LAST));
    }

    /** The policy for the off-site copies: {@code DRIVE_KEEP_*}, each defaulting to its local value. */
    public RetentionPolicy remoteRetention() {
        retention(); // a bad local policy is reported as such, not as the remote one it is the default of
        return policy(List.of(DRIVE_KEEP_DAILY, DRIVE_KEEP_WEEKLY, DRIVE_KEEP_MONTHLY, DRIVE_KEEP_LAST));
    }

    /** The policy of the four counts daily, weekly, monthly, last. */
    private RetentionPolicy policy(List<Setting<Integer>> counts) {
        int daily = get(counts.get(0));
        int weekly = get(counts.get(1));
        int monthly = get(counts.get(2));
        int last = get(counts.get(3));
        try {
            return new RetentionPolicy(daily, weekly, monthly, last);
        } catch (InvalidInputException keepsNothing) {
            // the counts' parser lets no negative one through: what the policy refuses is all of them 0
            throw new InvalidSettingException(counts.stream().map(Setting::key).toList(),
                    counts.get(0) + ", " + counts.get(1) + ", " + counts.get(2) + " and " + counts.get(3)
                            + " are all 0: such a policy would delete every backup");
        }
    }

    /** {@code BACKUP_TIMEZONE}, default the system zone. */
    public ZoneId zone() {
        return get(Settings.BACKUP_TIMEZONE);
    }

    /**
     * One backup as these settings describe it (database, compaction, verification, both retention policies, zone,
     * whether to copy off-site); every setting it needs is checked here, so a bad one fails before any work.
     */
    public RunBackupUseCase.Command backupCommand(SnapshotProgress progress) {
        RunBackupUseCase.Command local = RunBackupUseCase.Command.localBackup(database(), get(Settings.BACKUP_VACUUM),
                verifyLevel(), retention(), zone(), progress);
        boolean offsite = get(DRIVE_ENABLED);
        RetentionPolicy remoteRetention = remoteRetention(); // checked also when off, as every setting is
        List<DataAssertion> checks = assertions();
        return (offsite ? local.withOffsiteCopy(remoteRetention) : local).withAssertions(checks);
    }

    /** {@code BACKUP_VERIFY}: quick (default) or full. */
    /** How page-for-page copies are made ({@code BACKUP_COPY}): raw, or with SQLite's online backup API. */
    public PageCopy pageCopy() {
        return get(Settings.BACKUP_COPY);
    }

    public VerifyLevel verifyLevel() {
        return get(Settings.BACKUP_VERIFY);
    }

    /** {@code BACKUP_SCHEDULE} (Quartz cron, or a standard 5-field cron line; default daily 03:00) in the zone. */
    public BackupSchedule schedule() {
        ZoneId zone = zone();
        return BackupSchedule.parse(get(Settings.BACKUP_SCHEDULE), zone);
    }

    /** The drift guard: {@code DRIFT_MAX_SHRINK} percent, pins for {@code DRIFT_PIN_DAYS}. */
    public DriftPolicy driftPolicy() {
        return new DriftPolicy(get(Settings.DRIFT_MAX_SHRINK) / 100.0, Duration.ofDays(get(Settings.DRIFT_PIN_DAYS)),
                DriftPolicy.DEFAULT_MIN_ROWS);
    }

    /** {@code DRILL_SCHEDULE} in the zone; empty for {@code never}. */
    public Optional<BackupSchedule> drillSchedule() {
        String given = get(Settings.DRILL_SCHEDULE);
        return given.equals("never") ? Optional.empty() : Optional.of(BackupSchedule.parse(given, zone()));
    }

    /** {@code BACKUP_RETRY_ATTEMPTS} (default 3, in all) and {@code BACKUP_RETRY_DELAY} (default 1 minute). */
    public RetryPlan retryPlan() {
        return new RetryPlan(get(Settings.BACKUP_RETRY_ATTEMPTS), get(Settings.BACKUP_RETRY_DELAY));
    }

    /** {@code BACKUP_SHUTDOWN_GRACE}: how long a stopping daemon lets a running backup finish; default 10 minutes. */
    public Duration shutdownGrace() {
        return get(Settings.BACKUP_SHUTDOWN_GRACE);
    }

    /** {@code BACKUP_STATE_DB}, default {@code .sqlite-backup/state.db} in the backup folder. */
    public Path stateDb() {
        return get(Settings.BACKUP_STATE_DB);
    }

    /**
     * Google Drive, when {@code GOOGLE_DRIVE_CREDENTIALS} is set and {@code DRIVE_ENABLED} is not false; empty when
     * off-site copies are off. The credentials file is checked now (exists, is JSON of a known type), so that a bad
     * one stops the run before any work, with a warning when it is readable by group or others.
     */
    public Optional<DriveSettings> drive() {
        Optional<Boolean> enabled = given(DRIVE_ENABLED);
        if (enabled.isPresent() && !enabled.get()) {
            return Optional.empty();
        }
        Optional<Path> credentials = given(GOOGLE_DRIVE_CREDENTIALS);
        if (credentials.isEmpty()) {
            if (enabled.isPresent()) {
                throw new InvalidSettingException(List.of(DRIVE_ENABLED.key(), GOOGLE_DRIVE_CREDENTIALS.key()),
                        origin(DRIVE_ENABLED) + " is true but " + GOOGLE_DRIVE_CREDENTIALS
                                + " is not set (run drive-auth to make a credentials file)");
            }
            return Optional.empty();
        }
        DriveSettings defaults = DriveSettings.defaults(credentials.get());
        try {
            defaults.checkCredentials(); // fail now, not at the first upload
        } catch (InvalidInputException e) {
            throw new InvalidSettingException(GOOGLE_DRIVE_CREDENTIALS.key(), source(GOOGLE_DRIVE_CREDENTIALS),
                    e.getMessage());
        }
        return Optional.of(new DriveSettings(credentials.get(), get(Settings.DRIVE_FOLDER),
                given(Settings.DRIVE_PARENT_ID), given(Settings.DRIVE_ROOT_URL),
                get(Settings.DRIVE_CHUNK_MB) * 1024 * 1024, defaults.retryAttempts(), defaults.initialBackoff(),
                defaults.connectTimeout(), defaults.readTimeout()));
    }

    /**
     * How local backups are stored: plain, or zstd frames ({@code LOCAL_COMPRESSION}) at zstd's default level; read
     * back in either form (compressed local backups are never encrypted, so no key is involved).
     */
    public CodecSettings localCodec() {
        return new CodecSettings(get(Settings.LOCAL_COMPRESSION), CodecSettings.DEFAULT_LEVEL, List.of(), List.of());
    }

    /**
     * How off-site copies are stored and read back: {@code OFFSITE_COMPRESSION}, {@code OFFSITE_ZSTD_LEVEL}, the
     * public keys of {@code AGE_RECIPIENTS} and {@code AGE_RECIPIENTS_FILE}, and the private keys of
     * {@code AGE_IDENTITY_FILE}. The key files are read now, so that a bad one stops the command before any work;
     * an identity file that group or others can read gets a warning.
     */
    public CodecSettings offsiteCodec() {
        List<AgeRecipient> recipients = new ArrayList<>(given(Settings.AGE_RECIPIENTS).orElse(List.of()));
        given(Settings.AGE_RECIPIENTS_FILE).ifPresent(file -> recipients.addAll(
                keyFile(Settings.AGE_RECIPIENTS_FILE, () -> AgeRecipient.readFile(file))));
        List<AgeIdentity> identities = given(Settings.AGE_IDENTITY_FILE).map(file -> {
            List<AgeIdentity> read = keyFile(Settings.AGE_IDENTITY_FILE, () -> AgeIdentity.readFile(file));
            if (AgeIdentity.readableByOthers(file)) {
                LOG.warn("{} {} is readable by group or others; it holds private keys: chmod 600 it",
                        Settings.AGE_IDENTITY_FILE.key(), file);
            }
            return read;
        }).orElse(List.of());
        return new CodecSettings(get(Settings.OFFSITE_COMPRESSION), get(Settings.OFFSITE_ZSTD_LEVEL), recipients,
                identities);
    }

    private <T> List<T> keyFile(Setting<?> setting, Supplier<List<T>> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException unusable) {
            throw new InvalidSettingException(setting.key(), source(setting), unusable.getMessage());
        }
    }

    /**
     * What every run and {@code status} say while Drive copies are made without {@code AGE_RECIPIENTS} (or
     * {@code AGE_RECIPIENTS_FILE}): a third party can read them. Empty when Drive is off or copies are encrypted.
     */
    public Optional<String> unencryptedOffsiteWarning() {
        boolean driveOn = given(GOOGLE_DRIVE_CREDENTIALS).isPresent() && given(DRIVE_ENABLED).orElse(true);
        boolean encrypted = given(Settings.AGE_RECIPIENTS).isPresent()
                || given(Settings.AGE_RECIPIENTS_FILE).isPresent();
        return driveOn && !encrypted
                ? Optional.of("Drive copies are not encrypted: set " + Settings.AGE_RECIPIENTS.key())
                : Optional.empty();
    }

    /**
     * The heartbeat (a dead man's switch such as healthchecks.io), when {@code HEARTBEAT_URL} (or its file) is set;
     * empty when off. The fail and start URLs default to {@code /fail} and {@code /start} after its path.
     */
    public Optional<HeartbeatSettings> heartbeat() {
        Optional<URI> url = given(Settings.HEARTBEAT_URL);
        Optional<URI> fail = given(Settings.HEARTBEAT_FAIL_URL);
        Optional<URI> start = given(Settings.HEARTBEAT_START_URL);
        boolean pingStart = get(Settings.HEARTBEAT_START);
        if (url.isEmpty()) {
            if (fail.isPresent() || start.isPresent()) {
                throw new InvalidSettingException(List.of(Settings.HEARTBEAT_URL.key()), (fail.isPresent()
                        ? withoutColon(origin(Settings.HEARTBEAT_FAIL_URL)) : withoutColon(origin(
                        Settings.HEARTBEAT_START_URL))) + " is set but " + Settings.HEARTBEAT_URL + " is not");
            }
            return Optional.empty();
        }
        return Optional.of(new HeartbeatSettings(url.get(), fail, start, pingStart,
                HeartbeatSettings.DEFAULT_MAX_ATTEMPTS, HeartbeatSettings.DEFAULT_TIME_LIMIT,
                HeartbeatSettings.DEFAULT_INITIAL_BACKOFF));
    }

    /**
     * ntfy, when {@code NTFY_TOPIC} is set; empty when notifications are off. Times are shown in {@link #zone()}.
     *
     * @param clock the time notifications tell
     */
    public Optional<NtfySettings> ntfy(Clock clock) {
        Optional<String> topic = given(NTFY_TOPIC);
        if (topic.isEmpty()) {
            return Optional.empty();
        }
        URI server = get(Settings.NTFY_URL);
        boolean failuresOnly = get(Settings.NTFY_NOTIFY);
        Optional<String> token = given(NTFY_TOKEN);
        Optional<String> user = given(NTFY_USER);
        Optional<String> password = given(NTFY_PASSWORD);
        if (token.isPresent() && (user.isPresent() || password.isPresent())) {
            throw new InvalidSettingException(List.of(NTFY_TOKEN.key(), NTFY_USER.key(), NTFY_PASSWORD.key()),
                    "set either " + NTFY_TOKEN + " or " + NTFY_USER + " and " + NTFY_PASSWORD + ", not both");
        }
        if (user.isPresent() != password.isPresent()) {
            throw new InvalidSettingException(List.of(NTFY_USER.key(), NTFY_PASSWORD.key()), user.isPresent()
                    ? origin(NTFY_USER) + " is set but " + NTFY_PASSWORD + " is not"
                    : origin(NTFY_PASSWORD) + " is set but " + NTFY_USER + " is not");
        }
        return Optional.of(new NtfySettings(server, topic.get(), token, user, password, failuresOnly,
                NtfySettings.DEFAULT_CONNECT_TIMEOUT, NtfySettings.DEFAULT_READ_TIMEOUT,
                NtfySettings.DEFAULT_MAX_ATTEMPTS, NtfySettings.DEFAULT_INITIAL_BACKOFF, clock.withZone(zone())));
    }
}
