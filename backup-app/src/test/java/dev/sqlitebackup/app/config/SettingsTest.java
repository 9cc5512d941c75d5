package dev.sqlitebackup.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.adapters.drive.DriveSettings;
import dev.sqlitebackup.adapters.ntfy.NtfySettings;
import dev.sqlitebackup.adapters.sqlite.PageCopy;
import dev.sqlitebackup.domain.model.VerifyLevel;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting: its default, the order of its sources (environment, then the config file, then a flag, each
 * overriding the one before), and its parser's errors, which name the key and where its value came from. In-process:
 * {@link Configuration} and {@link Settings} as the commands use them.
 */
class SettingsTest {

    /** Public keys made by age-keygen. */
    private static final String KEY_1 = "age1jyxz9eutqep3jk3ha2hdth8zue642y38wx9k05rlnddewqhwcfks4tvjv8";
    private static final String KEY_2 = "age1t0flv09jvnzqy8l4n6dj4ch9mydqvrg3k4p2yjhh5rngh9y2y5xq82a6lh";
    private static final String KEY_3 = "age1rzlgrveh30tllct8f920vkt63lxvfsze82vl8sv9ztr5r5h4aa0s3t636p";
    private static final String KEY_4 = "age18kg8ng2qh3p0yh3gesyhelpef52l0lhllk5fjxmgja535t3cpy4qgt6qca";

    /** Marks a setting without a default: unset, it is off or missing. */
    private static final Object NONE = new Object();

    @TempDir
    Path dir;

    private static Configuration env(String... keysAndValues) {
        return Configuration.load(map(keysAndValues), Optional.empty(), Map.of());
    }

    private static Map<String, String> map(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private Path file(String content) throws IOException {
        Path file = dir.resolve("sqlite-backup.env");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** The default of every setting, with only DATABASE_URL=/srv/app/app.db set (none: with nothing set). */
    private static Map<Setting<?>, Object> defaults() {
        Map<Setting<?>, Object> d = new LinkedHashMap<>();
        d.put(Settings.DATABASE_URL, NONE);
        d.put(Settings.BACKUP_DIR, Path.of("/srv/app/backups/app.db"));
        d.put(Settings.BACKUP_KEEP_DAILY, 7);
        d.put(Settings.BACKUP_KEEP_WEEKLY, 4);
        d.put(Settings.BACKUP_KEEP_MONTHLY, 12);
        d.put(Settings.BACKUP_KEEP_LAST, 7);
        d.put(Settings.BACKUP_TIMEZONE, ZoneId.systemDefault());
        d.put(Settings.BACKUP_VACUUM, true);
        d.put(Settings.BACKUP_COPY, PageCopy.RAW);
        d.put(Settings.BACKUP_VERIFY, VerifyLevel.QUICK);
        d.put(Settings.BACKUP_SCHEDULE, "0 0 3 * * ?");
        d.put(Settings.BACKUP_RETRY_ATTEMPTS, 3);
        d.put(Settings.BACKUP_RETRY_DELAY, Duration.ofMinutes(1));
        d.put(Settings.BACKUP_SHUTDOWN_GRACE, Duration.ofMinutes(10));
        d.put(Settings.BACKUP_PARALLELISM, Runtime.getRuntime().availableProcessors());
        d.put(Settings.DRIFT_MAX_SHRINK, 50);
        d.put(Settings.DRIFT_PIN_DAYS, 90);
        d.put(Settings.ASSERTIONS_FILE, NONE);
        d.put(Settings.DRILL_SCHEDULE, "0 0 4 ? * SUN");
        d.put(Settings.BACKUP_STATE_DB, Path.of("/srv/app/backups/app.db/.sqlite-backup/state.db"));
        d.put(Settings.GOOGLE_DRIVE_CREDENTIALS, NONE);
        d.put(Settings.DRIVE_ENABLED, true);
        d.put(Settings.DRIVE_FOLDER, "SQLite Backups");
        d.put(Settings.DRIVE_PARENT_ID, NONE);
        d.put(Settings.DRIVE_ROOT_URL, NONE);
        d.put(Settings.DRIVE_CHUNK_MB, 8);
        d.put(Settings.DRIVE_KEEP_DAILY, 7);
        d.put(Settings.DRIVE_KEEP_WEEKLY, 4);
        d.put(Settings.DRIVE_KEEP_MONTHLY, 12);
        d.put(Settings.DRIVE_KEEP_LAST, 7);
        d.put(Settings.LOCAL_COMPRESSION, false);
        d.put(Settings.OFFSITE_COMPRESSION, true);
        d.put(Settings.OFFSITE_ZSTD_LEVEL, 3);
        d.put(Settings.AGE_RECIPIENTS, NONE);
        d.put(Settings.AGE_RECIPIENTS_FILE, NONE);
        d.put(Settings.AGE_IDENTITY_FILE, NONE);
        d.put(Settings.NTFY_URL, URI.create("https://ntfy.sh"));
        d.put(Settings.NTFY_TOPIC, NONE);
        d.put(Settings.NTFY_TOKEN, NONE);
        d.put(Settings.NTFY_TOKEN_FILE, NONE);
        d.put(Settings.NTFY_USER, NONE);
        d.put(Settings.NTFY_PASSWORD, NONE);
        d.put(Settings.NTFY_PASSWORD_FILE, NONE);
        d.put(Settings.NTFY_NOTIFY, false);
        d.put(Settings.HEARTBEAT_URL, NONE);
        d.put(Settings.HEARTBEAT_URL_FILE, NONE);
        d.put(Settings.HEARTBEAT_START, true);
        d.put(Settings.HEARTBEAT_FAIL_URL, NONE);
        d.put(Settings.HEARTBEAT_FAIL_URL_FILE, NONE);
        d.put(Settings.HEARTBEAT_START_URL, NONE);
        d.put(Settings.HEARTBEAT_START_URL_FILE, NONE);
        d.put(Settings.METRICS_ADDRESS, NONE);
        d.put(Settings.METRICS_TEXTFILE, NONE);
        return d;
    }

    /** Three good values of every setting, each different from the one before. */
    private static Map<Setting<?>, List<String>> samples() {
        Map<Setting<?>, List<String>> s = new LinkedHashMap<>();
        s.put(Settings.DATABASE_URL, List.of("/a/env.db", "sqlite:////a/file.db", "jdbc:sqlite:/a/flag.db"));
        s.put(Settings.BACKUP_DIR, List.of("/b/env", "/b/file", "/b/flag"));
        for (Setting<?> count : List.of(Settings.BACKUP_KEEP_DAILY, Settings.BACKUP_KEEP_WEEKLY,
                Settings.BACKUP_KEEP_MONTHLY, Settings.BACKUP_KEEP_LAST, Settings.BACKUP_RETRY_ATTEMPTS,
                Settings.DRIVE_CHUNK_MB, Settings.DRIVE_KEEP_DAILY, Settings.DRIVE_KEEP_WEEKLY,
                Settings.DRIVE_KEEP_MONTHLY, Settings.DRIVE_KEEP_LAST)) {
            s.put(count, List.of("1", "2", "3"));
        }
        s.put(Settings.BACKUP_TIMEZONE, List.of("UTC", "Europe/Berlin", "Asia/Tokyo"));
        s.put(Settings.BACKUP_VACUUM, List.of("true", "off", "yes"));
        s.put(Settings.BACKUP_COPY, List.of("raw", "API", "raw"));
        s.put(Settings.DRIVE_ENABLED, List.of("1", "false", "on"));
        s.put(Settings.BACKUP_VERIFY, List.of("quick", "FULL", "quick"));
        s.put(Settings.BACKUP_SCHEDULE, List.of("0 1 * * *", "0 0 2 * * ?", "0 3 * * 1"));
        s.put(Settings.BACKUP_RETRY_DELAY, List.of("30s", "PT2M", "1h30m"));
        s.put(Settings.BACKUP_SHUTDOWN_GRACE, List.of("30s", "PT2M", "1h30m"));
        s.put(Settings.BACKUP_PARALLELISM, List.of("1", "8", "256"));
        s.put(Settings.DRIFT_PIN_DAYS, List.of("1", "30", "365"));
        s.put(Settings.DRIFT_MAX_SHRINK, List.of("50", "80%", "20"));
        s.put(Settings.DRILL_SCHEDULE, List.of("never", "0 4 * * 0", "0 0 5 ? * SAT"));
        s.put(Settings.BACKUP_STATE_DB, List.of("/s/env.db", "/s/file.db", "/s/flag.db"));
        s.put(Settings.GOOGLE_DRIVE_CREDENTIALS, List.of("/c/env.json", "/c/file.json", "/c/flag.json"));
        s.put(Settings.DRIVE_FOLDER, List.of("Env", "File", "Flag"));
        s.put(Settings.DRIVE_PARENT_ID, List.of("0AbC", "1dEf", "2gHi"));
        s.put(Settings.DRIVE_ROOT_URL, List.of("http://env.example/", "https://file.example/", "http://[::1]:9/"));
        s.put(Settings.LOCAL_COMPRESSION, List.of("zstd", "none", "ZSTD"));
        s.put(Settings.OFFSITE_COMPRESSION, List.of("zstd", "none", "ZSTD"));
        s.put(Settings.OFFSITE_ZSTD_LEVEL, List.of("1", "19", "7"));
        s.put(Settings.AGE_RECIPIENTS, List.of(KEY_1, KEY_2 + ", " + KEY_3, KEY_4));
        s.put(Settings.AGE_RECIPIENTS_FILE, List.of("/etc/env.txt", "/etc/file.txt", "/etc/flag.txt"));
        s.put(Settings.AGE_IDENTITY_FILE, List.of("/root/env.txt", "/root/file.txt", "/root/flag.txt"));
        s.put(Settings.ASSERTIONS_FILE, List.of("/etc/env.yml", "/etc/file.yml", "/etc/flag.yml"));
        s.put(Settings.NTFY_URL, List.of("http://env.example", "https://file.example/ntfy", "http://127.0.0.1:9"));
        s.put(Settings.NTFY_TOPIC, List.of("env", "file-topic", "flag_topic"));
        s.put(Settings.NTFY_TOKEN, List.of("tk_env", "tk_file", "tk_flag"));
        s.put(Settings.NTFY_USER, List.of("env", "file", "flag"));
        s.put(Settings.NTFY_PASSWORD, List.of("env pw", "fïle", "flag"));
        s.put(Settings.NTFY_NOTIFY, List.of("all", "failure", "ALL"));
        s.put(Settings.HEARTBEAT_URL, List.of("https://hc-ping.com/env", "https://hc.example/file", "http://[::1]:9/p"));
        s.put(Settings.HEARTBEAT_START, List.of("true", "false", "yes"));
        s.put(Settings.HEARTBEAT_FAIL_URL, List.of("https://k.example/e?status=down", "https://k.example/f",
                "http://127.0.0.1:9/x"));
        s.put(Settings.HEARTBEAT_START_URL, List.of("https://c.example/e?state=run", "https://c.example/f",
                "http://127.0.0.1:9/y"));
        for (Setting<?> file : List.of(Settings.NTFY_TOKEN_FILE, Settings.NTFY_PASSWORD_FILE,
                Settings.HEARTBEAT_URL_FILE, Settings.HEARTBEAT_FAIL_URL_FILE, Settings.HEARTBEAT_START_URL_FILE)) {
            s.put(file, List.of("/run/env", "/run/file", "/run/flag"));
        }
        s.put(Settings.METRICS_ADDRESS, List.of("127.0.0.1:9464", ":9465", "[::1]:9466"));
        s.put(Settings.METRICS_TEXTFILE, List.of("/var/lib/node_exporter/a.prom", "/t/b.prom", "/t/c.prom"));
        return s;
    }

    /** A bad value of every setting that can have one, and what its error says after the setting's name. */
    private static Map<Setting<?>, List<String>> badValues() {
        Map<Setting<?>, List<String>> b = new LinkedHashMap<>();
        b.put(Settings.DATABASE_URL, List.of("postgres://db.example/app", "has unsupported scheme 'postgres'"));
        b.put(Settings.BACKUP_DIR, List.of("a\u0000b", "'a\u0000b' is not a valid path"));
        b.put(Settings.BACKUP_KEEP_DAILY, List.of("-1", "must not be negative, got -1"));
        b.put(Settings.BACKUP_KEEP_WEEKLY, List.of("four", "must be a whole number, got 'four'"));
        b.put(Settings.BACKUP_KEEP_MONTHLY, List.of("1.5", "must be a whole number, got '1.5'"));
        b.put(Settings.BACKUP_KEEP_LAST, List.of("-7", "must not be negative, got -7"));
        b.put(Settings.BACKUP_TIMEZONE, List.of("Mars/Olympus", "is not a known time zone: 'Mars/Olympus'"));
        b.put(Settings.BACKUP_VACUUM, List.of("maybe", "must be true or false, got 'maybe'"));
        b.put(Settings.BACKUP_COPY, List.of("kernel", "must be 'raw' or 'api', got 'kernel'"));
        b.put(Settings.BACKUP_VERIFY, List.of("thorough", "must be quick or full, got 'thorough'"));
        b.put(Settings.BACKUP_SCHEDULE, List.of("61 * * * *", "'61 * * * *' is not a usable schedule: "));
        b.put(Settings.BACKUP_RETRY_ATTEMPTS, List.of("0", "must be at least 1 (the run itself), got 0"));
        b.put(Settings.BACKUP_RETRY_DELAY, List.of("soon", "'soon' is not a duration"));
        b.put(Settings.BACKUP_SHUTDOWN_GRACE, List.of("25h", "must be at most 24h, got '25h'"));
        b.put(Settings.BACKUP_PARALLELISM, List.of("0", "must be from 1 to 256, got 0"));
        b.put(Settings.DRIFT_PIN_DAYS, List.of("0", "must be from 1 to 36500 days, got 0"));
        b.put(Settings.DRIFT_MAX_SHRINK, List.of("100", "must be a percentage from 1 to 99, got '100'"));
        b.put(Settings.DRILL_SCHEDULE, List.of("weekly", "'weekly' is not a usable schedule"));
        b.put(Settings.BACKUP_STATE_DB, List.of("a\u0000b", "'a\u0000b' is not a valid path"));
        b.put(Settings.GOOGLE_DRIVE_CREDENTIALS, List.of("a\u0000b", "is not a path"));
        b.put(Settings.DRIVE_ENABLED, List.of("maybe", "must be true or false, got 'maybe'"));
        b.put(Settings.DRIVE_PARENT_ID, List.of("x' or name='y", "is not a Drive id: 'x' or name='y'"));
        b.put(Settings.DRIVE_ROOT_URL, List.of("ftp://x/", "must be an http(s) URL without query, got 'ftp://x/'"));
        b.put(Settings.DRIVE_CHUNK_MB, List.of("1025", "must be a whole number of MiB from 1 to 1024, got '1025'"));
        b.put(Settings.DRIVE_KEEP_DAILY, List.of("-1", "must not be negative, got -1"));
        b.put(Settings.DRIVE_KEEP_WEEKLY, List.of("x", "must be a whole number, got 'x'"));
        b.put(Settings.DRIVE_KEEP_MONTHLY, List.of("-1", "must not be negative, got -1"));
        b.put(Settings.DRIVE_KEEP_LAST, List.of("x", "must be a whole number, got 'x'"));
        b.put(Settings.LOCAL_COMPRESSION, List.of("xz", "must be 'zstd' or 'none', got 'xz'"));
        b.put(Settings.OFFSITE_COMPRESSION, List.of("gzip", "must be 'zstd' or 'none', got 'gzip'"));
        b.put(Settings.OFFSITE_ZSTD_LEVEL, List.of("20", "must be a zstd level from 1 to 19, got '20'"));
        b.put(Settings.AGE_RECIPIENTS, List.of(KEY_1 + ",age1short", "item 2 of 2: 'age1short' is not a valid age "
                + "X25519 recipient"));
        b.put(Settings.AGE_RECIPIENTS_FILE, List.of("a\u0000b", "is not a path"));
        b.put(Settings.AGE_IDENTITY_FILE, List.of("a\u0000b", "is not a path"));
        b.put(Settings.ASSERTIONS_FILE, List.of("a\u0000b", "is not a path"));
        b.put(Settings.NTFY_URL, List.of("foo", "is not a URL: 'foo'"));
        b.put(Settings.NTFY_TOPIC, List.of("backups/daily", "must be 1 to 64 letters, digits, '-' or '_', was "
                + "'backups/daily'"));
        b.put(Settings.NTFY_TOKEN, List.of("tk with space", "must be printable ASCII without spaces"));
        b.put(Settings.NTFY_USER, List.of("al:ice", "must be non-empty and contain no ':', was 'al:ice'"));
        b.put(Settings.NTFY_NOTIFY, List.of("sometimes", "must be 'all' or 'failure', was 'sometimes'"));
        b.put(Settings.HEARTBEAT_URL, List.of("ftp://hc.example/secret",
                "must be an http:// or https:// URL, got one with scheme ftp:"));
        b.put(Settings.HEARTBEAT_START, List.of("maybe", "must be true or false, got 'maybe'"));
        b.put(Settings.HEARTBEAT_FAIL_URL, List.of("https://u:p@k.example/x",
                "must not hold a user or password (put the secret in the path, as monitors do)"));
        b.put(Settings.HEARTBEAT_START_URL, List.of("/relative/secret", "must be an http:// or https:// URL, got one "
                + "without a scheme"));
        for (Setting<?> file : List.of(Settings.NTFY_TOKEN_FILE, Settings.NTFY_PASSWORD_FILE,
                Settings.HEARTBEAT_URL_FILE, Settings.HEARTBEAT_FAIL_URL_FILE, Settings.HEARTBEAT_START_URL_FILE)) {
            b.put(file, List.of("a\u0000b", "is not a path"));
        }
        b.put(Settings.METRICS_ADDRESS, List.of("localhost", "must be [host:]port, e.g. 127.0.0.1:9464, got "
                + "'localhost'"));
        b.put(Settings.METRICS_TEXTFILE, List.of("a\u0000b", "'a\u0000b' is not a valid path"));
        return b;
    }

    @Test
    void everySetting_hasItsDefault() {
        Map<Setting<?>, Object> defaults = defaults();
        assertThat(defaults.keySet()).as("a default is asserted for every setting")
                .containsExactlyElementsOf(Settings.ALL);
        Configuration config = env("DATABASE_URL", "/srv/app/app.db");

        defaults.forEach((setting, expected) -> {
            if (expected == NONE) {
                assertThat(setting.hasDefault()).as(setting.key()).isFalse();
                assertThat(env().given(setting)).as(setting.key()).isEmpty();
            } else {
                assertThat(setting.hasDefault()).as(setting.key()).isTrue();
                assertThat((Object) config.get(setting)).as(setting.key()).isEqualTo(expected);
            }
        });
    }

    @Test
    void derivedDefaults_followTheSettingsTheyDeriveFrom() {
        Configuration config = env("DATABASE_URL", "/srv/app/app.db", "BACKUP_DIR", "/var/b",
                "BACKUP_KEEP_DAILY", "30", "BACKUP_KEEP_LAST", "2");

        assertThat(config.get(Settings.BACKUP_STATE_DB)).isEqualTo(Path.of("/var/b/.sqlite-backup/state.db"));
        assertThat(config.remoteRetention().keepDaily()).isEqualTo(30);
        assertThat(config.remoteRetention().keepLast()).isEqualTo(2);
        assertThat(env("BACKUP_DIR", "relative/b").backupDir()).isEqualTo(Path.of("relative/b").toAbsolutePath());
    }

    @Test
    void blankValues_countAsUnset_andValuesAreStripped() {
        Configuration config = env("BACKUP_KEEP_DAILY", "   ", "NTFY_TOPIC", "", "BACKUP_TIMEZONE", "  UTC  ");

        assertThat(config.get(Settings.BACKUP_KEEP_DAILY)).isEqualTo(7);
        assertThat(config.given(Settings.NTFY_TOPIC)).isEmpty();
        assertThat(config.zone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void everySetting_theConfigFileOverridesTheEnvironment_andAFlagOverridesBoth() throws IOException {
        Map<Setting<?>, List<String>> samples = samples();
        assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(Settings.ALL);
        for (Setting<?> setting : Settings.ALL) {
            String key = setting.key();
            List<String> v = samples.get(setting);
            Object fromEnv = env(key, v.get(0)).given(setting).orElseThrow();
            Object fromFile = env(key, v.get(1)).given(setting).orElseThrow();
            Object fromFlag = env(key, v.get(2)).given(setting).orElseThrow();
            assertThat(fromFile).as(key + ": the samples differ").isNotEqualTo(fromEnv).isNotEqualTo(fromFlag);
            Path file = file(key + "=" + v.get(1) + "\n");

            assertThat(given(env(key, v.get(0)), setting)).as(key).contains(fromEnv);
            assertThat(given(Configuration.load(map(key, v.get(0)), Optional.of(file), Map.of()), setting))
                    .as(key + ": the file over the environment").contains(fromFile);
            if (setting.flag().isPresent()) {
                Map<String, Configuration.Flag> flags = Map.of(key, Configuration.Flag.of(setting, v.get(2)));
                assertThat(given(Configuration.load(map(key, v.get(0)), Optional.of(file), flags), setting))
                        .as(key + ": the flag over the file").contains(fromFlag);
                assertThat(given(Configuration.load(Map.of(), Optional.empty(), flags), setting))
                        .as(key + ": the flag alone").contains(fromFlag);
            }
        }
    }

    private static Optional<Object> given(Configuration config, Setting<?> setting) {
        return config.given(setting).map(value -> value);
    }

    @Test
    void everyBadValue_isAnInvalidSettingException_namingTheKeyAndItsSource() throws IOException {
        Map<Setting<?>, List<String>> bad = badValues();
        assertThat(Settings.ALL).as("every setting that can have a bad value has one here")
                .allMatch(s -> bad.containsKey(s) || s == Settings.DRIVE_FOLDER || s == Settings.NTFY_PASSWORD);
        for (Map.Entry<Setting<?>, List<String>> e : bad.entrySet()) {
            Setting<?> setting = e.getKey();
            String key = setting.key();
            String value = e.getValue().get(0);
            String problem = e.getValue().get(1);
            Path file = file(key + "=" + value + "\n");

            assertBad(env(key, value), setting, key + " " + problem);
            assertBad(Configuration.load(map(key, "irrelevant, overridden"), Optional.of(file), Map.of()), setting,
                    key + " in " + file + " " + problem);
            if (setting.flag().isPresent()) {
                assertBad(Configuration.load(Map.of(), Optional.of(file),
                        Map.of(key, Configuration.Flag.of(setting, value))), setting,
                        key + " (" + setting.flag().get() + ") " + problem);
            }
        }
    }

    private static void assertBad(Configuration config, Setting<?> setting, String messageStart) {
        assertThatThrownBy(() -> config.given(setting)).as(messageStart)
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.keys()).containsExactly(setting.key()))
                .hasMessageStartingWith(messageStart).hasMessageNotContaining("\n");
    }

    @Test
    void settingsThatDoNotGoTogether_nameEachSetting() throws IOException {
        assertThatThrownBy(() -> env("DATABASE_URL", "a.db", "BACKUP_KEEP_DAILY", "0", "BACKUP_KEEP_WEEKLY", "0",
                "BACKUP_KEEP_MONTHLY", "0", "BACKUP_KEEP_LAST", "0").retention())
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.keys()).containsExactly(
                        "BACKUP_KEEP_DAILY", "BACKUP_KEEP_WEEKLY", "BACKUP_KEEP_MONTHLY", "BACKUP_KEEP_LAST"))
                .hasMessage("BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY, BACKUP_KEEP_MONTHLY and BACKUP_KEEP_LAST are "
                        + "all 0: such a policy would delete every backup");
        assertThatThrownBy(() -> env("DRIVE_KEEP_DAILY", "0", "DRIVE_KEEP_WEEKLY", "0", "DRIVE_KEEP_MONTHLY", "0",
                "DRIVE_KEEP_LAST", "0").remoteRetention()).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("DRIVE_KEEP_DAILY, DRIVE_KEEP_WEEKLY").hasMessageContaining("all 0");
        Path file = file("DRIVE_ENABLED=yes\n");
        assertThatThrownBy(() -> Configuration.load(Map.of(), Optional.of(file), Map.of()).drive())
                .isInstanceOf(InvalidSettingException.class).hasMessage("DRIVE_ENABLED in " + file + " is true but "
                        + "GOOGLE_DRIVE_CREDENTIALS is not set (run drive-auth to make a credentials file)");
    }

    @Test
    void aFlagForNoSetting_isAProgrammingError() {
        assertThatThrownBy(() -> Configuration.load(Map.of(), Optional.empty(),
                Map.of("BACKUP_KEEP_DAYLY", new Configuration.Flag("--keep-daily", "3"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Configuration.Flag.of(Settings.NTFY_TOPIC, "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NTFY_TOPIC has no flag");
    }

    // ---- Google Drive: read here into the adapter's DriveSettings (was DriveSettings.fromConfig) ----

    private Path credentials(String json) throws IOException {
        Path file = dir.resolve("credentials.json");
        Files.writeString(file, json);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Path userCredentials() throws IOException {
        return credentials("""
                {"type": "authorized_user", "client_id": "id", "client_secret": "s3cret", "refresh_token": "r3fresh"}
                """);
    }

    private static Optional<DriveSettings> drive(String... keysAndValues) {
        return env(keysAndValues).drive();
    }

    @Test
    void drive_offWithoutCredentials_orWhenDisabled() throws IOException {
        assertThat(drive()).isEmpty();
        assertThat(drive("GOOGLE_DRIVE_CREDENTIALS", "  ")).isEmpty();
        assertThat(drive("GOOGLE_DRIVE_CREDENTIALS", userCredentials().toString(), "DRIVE_ENABLED", "false"))
                .isEmpty();
        assertThat(Configuration.load(Map.of("GOOGLE_DRIVE_CREDENTIALS", userCredentials().toString()),
                Optional.empty(), Map.of("DRIVE_ENABLED", Configuration.Flag.of(Settings.DRIVE_ENABLED, "false")))
                .drive()).as("--no-drive").isEmpty();
    }

    @Test
    void drive_defaults() throws IOException {
        Path file = userCredentials();

        DriveSettings settings = drive("GOOGLE_DRIVE_CREDENTIALS", file.toString()).orElseThrow();

        assertThat(settings.credentialsFile()).isEqualTo(file);
        assertThat(settings.folderName()).isEqualTo("SQLite Backups");
        assertThat(settings.parentId()).isEmpty();
        assertThat(settings.rootUrl()).isEmpty();
        assertThat(settings.chunkSizeBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(settings.retryAttempts()).isEqualTo(5);
    }

    @Test
    void drive_everyVariable() throws IOException {
        DriveSettings settings = drive("GOOGLE_DRIVE_CREDENTIALS", userCredentials().toString(),
                "DRIVE_ENABLED", "true", "DRIVE_FOLDER", "Nightly", "DRIVE_PARENT_ID", "0AbC-d_9",
                "DRIVE_ROOT_URL", "http://127.0.0.1:8080/proxy", "DRIVE_CHUNK_MB", "16").orElseThrow();

        assertThat(settings.folderName()).isEqualTo("Nightly");
        assertThat(settings.parentId()).contains("0AbC-d_9");
        assertThat(settings.rootUrl()).contains(URI.create("http://127.0.0.1:8080/proxy/"));
        assertThat(settings.chunkSizeBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(settings.describe()).isEqualTo("Google Drive folder 'Nightly' in 0AbC-d_9");
    }

    @Test
    void drive_badValues_nameTheirVariable() throws IOException {
        String file = userCredentials().toString();
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_ENABLED", "maybe"), "DRIVE_ENABLED");
        assertBadDrive(map("DRIVE_ENABLED", "true"), "GOOGLE_DRIVE_CREDENTIALS is not set");
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_CHUNK_MB", "0"), "DRIVE_CHUNK_MB");
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_CHUNK_MB", "1.5"), "DRIVE_CHUNK_MB");
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_ROOT_URL", "ftp://x/"), "DRIVE_ROOT_URL");
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_ROOT_URL", "http://u:p@x/"), "DRIVE_ROOT_URL");
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_PARENT_ID", "x' or name='y"),
                "DRIVE_PARENT_ID");
    }

    @Test
    void drive_badCredentialsFiles_saySoInOneLine_namingTheVariable() throws IOException {
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", dir.resolve("missing.json").toString()),
                "GOOGLE_DRIVE_CREDENTIALS " + dir.resolve("missing.json") + ": no such file");
        Path file = credentials("this is not json {");
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", file.toString()),
                "GOOGLE_DRIVE_CREDENTIALS " + file + ": not JSON");
        credentials("{\"type\": \"external_account\"}");
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", file.toString()),
                "unknown credentials type 'external_account'");
        credentials("{\"type\": \"authorized_user\", \"client_id\": \"x\", \"client_secret\": \"s3cret\"}");
        assertBadDrive(map("GOOGLE_DRIVE_CREDENTIALS", file.toString()), "without \"refresh_token\"");
        Path config = file("GOOGLE_DRIVE_CREDENTIALS=" + dir.resolve("gone.json") + "\n");
        assertThatThrownBy(() -> Configuration.load(Map.of(), Optional.of(config), Map.of()).drive())
                .hasMessage("GOOGLE_DRIVE_CREDENTIALS in " + config + " " + dir.resolve("gone.json")
                        + ": no such file");
    }

    private static void assertBadDrive(Map<String, String> env, String message) {
        assertThatThrownBy(() -> Configuration.load(env, Optional.empty(), Map.of()).drive())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(message).hasMessageNotContaining("\n").hasMessageNotContaining("s3cret");
    }

    // ---- ntfy: read here into the adapter's NtfySettings (was NtfySettings.fromConfig) ----

    private static Optional<NtfySettings> ntfy(String... keysAndValues) {
        Map<String, String> env = new HashMap<>(map(keysAndValues));
        env.putIfAbsent("BACKUP_TIMEZONE", "UTC");
        return Configuration.load(env, Optional.empty(), Map.of()).ntfy(Clock.systemUTC());
    }

    @Test
    void ntfy_noTopic_isOff() {
        assertThat(ntfy()).isEmpty();
        assertThat(ntfy("NTFY_URL", "https://ntfy.example.org", "NTFY_TOKEN", "tk_x")).isEmpty();
        assertThat(ntfy("NTFY_TOPIC", "  ")).isEmpty();
    }

    @Test
    void ntfy_topicOnly_takesTheDefaults() {
        NtfySettings settings = ntfy("NTFY_TOPIC", "my-backups").orElseThrow();

        assertThat(settings.server()).isEqualTo(URI.create("https://ntfy.sh"));
        assertThat(settings.topic()).isEqualTo("my-backups");
        assertThat(settings.token()).isEmpty();
        assertThat(settings.user()).isEmpty();
        assertThat(settings.failuresOnly()).isFalse();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxAttempts()).isEqualTo(3);
        assertThat(settings.clock().getZone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void ntfy_timesAreShownInTheBackupTimezone() {
        assertThat(ntfy("NTFY_TOPIC", "t", "BACKUP_TIMEZONE", "Europe/Berlin").orElseThrow().clock().getZone())
                .isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void ntfy_everyVariable_isRead() {
        NtfySettings withToken = ntfy("NTFY_TOPIC", "t", "NTFY_URL", "http://127.0.0.1:8080/ntfy",
                "NTFY_TOKEN", "tk_abc", "NTFY_NOTIFY", "failure").orElseThrow();
        NtfySettings withUser = ntfy("NTFY_TOPIC", "t", "NTFY_USER", "alice", "NTFY_PASSWORD", "pässwörd",
                "NTFY_NOTIFY", "ALL").orElseThrow();

        assertThat(withToken.server()).isEqualTo(URI.create("http://127.0.0.1:8080/ntfy"));
        assertThat(withToken.token()).contains("tk_abc");
        assertThat(withToken.failuresOnly()).isTrue();
        assertThat(withUser.user()).contains("alice");
        assertThat(withUser.password()).contains("pässwörd");
        assertThat(withUser.failuresOnly()).isFalse();
    }

    @Test
    void ntfy_badValues_areRejectedNamingTheVariable() {
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_URL", "foo"))
                .isInstanceOf(InvalidSettingException.class).hasMessage("NTFY_URL is not a URL: 'foo'");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_URL", "http://exa mple.org"))
                .hasMessage("NTFY_URL is not a URL: 'http://exa mple.org'");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_URL", "ftp://ntfy.sh"))
                .hasMessageContaining("NTFY_URL");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_URL", "https:///path-only"))
                .hasMessageContaining("NTFY_URL");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "backups/daily"))
                .hasMessageContaining("NTFY_TOPIC").hasMessageContaining("'backups/daily'");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "x".repeat(65))).hasMessageContaining("NTFY_TOPIC");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "sauvegardes-données")).hasMessageContaining("NTFY_TOPIC");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_NOTIFY", "sometimes"))
                .hasMessage("NTFY_NOTIFY must be 'all' or 'failure', was 'sometimes'");
    }

    @Test
    void ntfy_loginSettings_mustBeOneCompleteWay() {
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_USER", "alice"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("NTFY_USER is set but NTFY_PASSWORD is not");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_PASSWORD", "s3cret"))
                .hasMessage("NTFY_PASSWORD is set but NTFY_USER is not");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_TOKEN", "tk_a", "NTFY_USER", "alice",
                "NTFY_PASSWORD", "s3cret"))
                .hasMessageContaining("NTFY_TOKEN").hasMessageContaining("NTFY_USER");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_USER", "al:ice", "NTFY_PASSWORD", "s3cret"))
                .hasMessageContaining("NTFY_USER");
    }

    @Test
    void ntfy_secretsInBadValues_areNeverEchoed() {
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_TOKEN", "tk_sécret"))
                .hasMessageContaining("NTFY_TOKEN").hasMessageNotContaining("sécret");
        assertThatThrownBy(() -> ntfy("NTFY_TOPIC", "t", "NTFY_URL", "https://alice:hunter2@ntfy.sh"))
                .hasMessageContaining("NTFY_URL").hasMessageNotContaining("hunter2")
                .hasMessageContaining("use NTFY_TOKEN or NTFY_USER and NTFY_PASSWORD");
    }

    @Test
    void aSecretInAFile_isReadFromIt_strippedOfItsLineEnd_andBothAtOnceIsAnError() throws IOException {
        Path token = Files.writeString(dir.resolve("ntfy-token"), "tk_from_file\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        assertThat(env("NTFY_TOKEN_FILE", token.toString()).given(Settings.NTFY_TOKEN)).contains("tk_from_file");
        assertThatThrownBy(() -> env("NTFY_TOKEN_FILE", token.toString(), "NTFY_TOKEN", "tk_env")
                .given(Settings.NTFY_TOKEN)).isInstanceOf(InvalidSettingException.class)
                .hasMessage("set NTFY_TOKEN or NTFY_TOKEN_FILE, not both");
        Path url = Files.writeString(dir.resolve("ping-url"), "https://hc-ping.com/5b3c2f1e\n");
        assertThat(env("HEARTBEAT_URL_FILE", url.toString()).given(Settings.HEARTBEAT_URL))
                .contains(java.net.URI.create("https://hc-ping.com/5b3c2f1e"));
    }

    @Test
    void aSecretFileThatIsMissingEmptyOrBad_isAnErrorNamingTheFile_neverTheSecret() throws IOException {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> env("NTFY_PASSWORD_FILE", missing.toString()).given(Settings.NTFY_PASSWORD))
                .isInstanceOf(InvalidSettingException.class).hasMessage("NTFY_PASSWORD_FILE names " + missing
                        + ", which does not exist");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> env("NTFY_PASSWORD_FILE", empty.toString()).given(Settings.NTFY_PASSWORD))
                .hasMessage("NTFY_PASSWORD_FILE names " + empty + ", which is empty");
        Path twoLines = Files.writeString(dir.resolve("two"), "first\nsecond\n");
        assertThatThrownBy(() -> env("NTFY_PASSWORD_FILE", twoLines.toString()).given(Settings.NTFY_PASSWORD))
                .hasMessage("NTFY_PASSWORD_FILE names " + twoLines + ", which holds more than one line; a secret is "
                        + "one line");
        Path badUrl = Files.writeString(dir.resolve("bad-url"), "ftp://hc.example/5b3c2f1e\n");
        assertThatThrownBy(() -> env("HEARTBEAT_URL_FILE", badUrl.toString()).given(Settings.HEARTBEAT_URL))
                .hasMessageContaining("must be an http:// or https:// URL").hasMessageNotContaining("5b3c2f1e");
    }

    @Test
    void theHeartbeat_isOffUnlessItsUrlIsSet_andItsOtherUrlsNeedIt() {
        assertThat(env().heartbeat()).isEmpty();
        dev.sqlitebackup.adapters.heartbeat.HeartbeatSettings hc = env("HEARTBEAT_URL", "https://hc-ping.com/abc",
                "HEARTBEAT_START", "false").heartbeat().orElseThrow();
        assertThat(hc.failure()).hasToString("https://hc-ping.com/abc/fail");
        assertThat(hc.pingStart()).isFalse();
        assertThat(env("HEARTBEAT_URL", "https://kuma.example/api/push/t?status=up", "HEARTBEAT_FAIL_URL",
                "https://kuma.example/api/push/t?status=down").heartbeat().orElseThrow().failure())
                .hasToString("https://kuma.example/api/push/t?status=down");
        assertThatThrownBy(() -> env("HEARTBEAT_FAIL_URL", "https://kuma.example/x").heartbeat())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("HEARTBEAT_FAIL_URL is set but HEARTBEAT_URL is not");
    }
}
