package dev.sqlitebackup.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YAML config file of many databases: every key reaches its setting, entries win over defaults and flags over
 * both, the environment comes in only through ${VAR}, globs are expanded at every load, and every mistake is one
 * error naming the file, the line and the key.
 */
class YamlConfigFileTest {

    @TempDir
    Path dir;

    private static final String AGE_KEY = "age1jyxz9eutqep3jk3ha2hdth8zue642y38wx9k05rlnddewqhwcfks4tvjv8";

    /** A valid value of every per-database setting, as the YAML file and the environment write it. */
    private static final Map<String, String> SAMPLES = Map.ofEntries(
            Map.entry("BACKUP_KEEP_DAILY", "11"), Map.entry("BACKUP_KEEP_WEEKLY", "12"),
            Map.entry("BACKUP_KEEP_MONTHLY", "13"), Map.entry("BACKUP_KEEP_LAST", "14"),
            Map.entry("BACKUP_TIMEZONE", "Europe/Berlin"), Map.entry("BACKUP_VACUUM", "false"),
            Map.entry("BACKUP_COPY", "api"), Map.entry("BACKUP_VERIFY", "full"),
            Map.entry("BACKUP_SCHEDULE", "0 30 4 * * ?"), Map.entry("BACKUP_RETRY_ATTEMPTS", "5"),
            Map.entry("BACKUP_RETRY_DELAY", "2m"), Map.entry("BACKUP_SHUTDOWN_GRACE", "3m"),
            Map.entry("BACKUP_STATE_DB", "/var/lib/sb/state.db"), Map.entry("LOCAL_COMPRESSION", "zstd"),
            Map.entry("DRIFT_PIN_DAYS", "30"), Map.entry("DRIFT_MAX_SHRINK", "80"), Map.entry("DRILL_SCHEDULE", "never"), Map.entry("ASSERTIONS_FILE", "/etc/sb/assertions.yml"),
            Map.entry("NTFY_TOKEN_FILE", "/run/credentials/sb/ntfy-token"),
            Map.entry("NTFY_PASSWORD_FILE", "/run/credentials/sb/ntfy-password"),
            Map.entry("HEARTBEAT_URL", "https://hc-ping.com/0f9e8d7c"), Map.entry("HEARTBEAT_URL_FILE", "/run/hc"),
            Map.entry("HEARTBEAT_START", "false"),
            Map.entry("HEARTBEAT_FAIL_URL", "https://kuma.example/api/push/x?status=down"),
            Map.entry("HEARTBEAT_FAIL_URL_FILE", "/run/hc-fail"),
            Map.entry("HEARTBEAT_START_URL", "https://cronitor.link/p/k/j?state=run"),
            Map.entry("HEARTBEAT_START_URL_FILE", "/run/hc-start"),
            Map.entry("DRIVE_ENABLED", "false"), Map.entry("GOOGLE_DRIVE_CREDENTIALS", "/etc/sb/drive.json"),
            Map.entry("DRIVE_FOLDER", "Tenant Backups"), Map.entry("DRIVE_PARENT_ID", "0AbCdEf123"),
            Map.entry("DRIVE_ROOT_URL", "https://drive.example.org/"), Map.entry("DRIVE_CHUNK_MB", "16"),
            Map.entry("DRIVE_KEEP_DAILY", "21"), Map.entry("DRIVE_KEEP_WEEKLY", "22"),
            Map.entry("DRIVE_KEEP_MONTHLY", "23"), Map.entry("DRIVE_KEEP_LAST", "24"),
            Map.entry("OFFSITE_COMPRESSION", "none"), Map.entry("OFFSITE_ZSTD_LEVEL", "9"),
            Map.entry("AGE_RECIPIENTS", AGE_KEY), Map.entry("AGE_RECIPIENTS_FILE", "/etc/sb/recipients.txt"),
            Map.entry("AGE_IDENTITY_FILE", "/etc/sb/identity.txt"), Map.entry("NTFY_URL", "https://ntfy.example.org"),
            Map.entry("NTFY_TOPIC", "backups"), Map.entry("NTFY_TOKEN", "tk_secret"), Map.entry("NTFY_USER", "ops"),
            Map.entry("NTFY_PASSWORD", "pw"), Map.entry("NTFY_NOTIFY", "failure"));

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private Installation load(String yaml) throws IOException {
        return load(yaml, Map.of(), Map.of());
    }

    private Installation load(String yaml, Map<String, String> env, Map<String, Configuration.Flag> flags)
            throws IOException {
        return Installation.load(env, Optional.of(write("sb.yml", yaml)), flags);
    }

    private String file() {
        return "config file " + dir.resolve("sb.yml");
    }

    private static Configuration of(Installation installation, String name) {
        return installation.select(List.of(name)).get(0).configuration();
    }

    /** The mapping as nested YAML: {@code keep.daily: 7} becomes {@code keep:\n  daily: 7} under {@code indent}. */
    private static String nested(Map<String, String> byYamlKey, String indent) {
        StringBuilder yaml = new StringBuilder();
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        byYamlKey.forEach((key, value) -> {
            int dot = key.indexOf('.');
            if (dot < 0) {
                yaml.append(indent).append(key).append(": \"").append(value).append("\"\n");
            } else {
                groups.computeIfAbsent(key.substring(0, dot), g -> new LinkedHashMap<>())
                        .put(key.substring(dot + 1), value);
            }
        });
        groups.forEach((group, inner) -> yaml.append(indent).append(group).append(":\n")
                .append(nested(inner, indent + "  ")));
        return yaml.toString();
    }

    @Test
    void everySetting_hasAYamlKey() {
        Set<String> mapped = new HashSet<>();
        YamlConfigFile.KEYS.values().forEach(s -> mapped.add(s.key()));
        mapped.add(Settings.DATABASE_URL.key()); // path: / url:
        mapped.add(Settings.BACKUP_DIR.key()); // backup_dir: / backup_root:
        mapped.add(Settings.BACKUP_PARALLELISM.key()); // parallelism: at the top level
        YamlConfigFile.METRICS_KEYS.values().forEach(s -> mapped.add(s.key())); // metrics: at the top level
        assertThat(mapped).containsExactlyInAnyOrderElementsOf(Settings.KNOWN_KEYS);
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(YamlConfigFile.KEYS.values().stream()
                .map(Setting::key).toList());
    }

    @Test
    void everyKeyOfTheTable_inDefaultsAndInAnEntry_reachesItsSetting() throws IOException {
        Map<String, String> byYamlKey = new LinkedHashMap<>();
        // a secret and its _FILE setting cannot both be given: the _FILE keys get a load of their own below
        YamlConfigFile.KEYS.forEach((yamlKey, setting) -> {
            if (!isFileOfASecret(setting)) {
                byYamlKey.put(yamlKey, SAMPLES.get(setting.key()));
            }
        });

        Installation fromDefaults = load("parallelism: 3\ndefaults:\n" + nested(byYamlKey, "  ")
                + "databases:\n  - name: app\n    path: /srv/app.db\n    backup_dir: /b/app\n");
        Installation fromEntry = load("databases:\n  - name: app\n    path: /srv/app.db\n    backup_dir: /b/app\n"
                + nested(byYamlKey, "    "));

        for (Installation installation : List.of(fromDefaults, fromEntry)) {
            Map<String, String> given = of(installation, "app").asMap();
            SAMPLES.forEach((key, value) -> {
                if (byYamlKey.containsValue(value)) {
                    assertThat(given).as(key).containsEntry(key, value);
                }
            });
            assertThat(given).containsEntry("DATABASE_URL", "/srv/app.db").containsEntry("BACKUP_DIR", "/b/app");
        }
        assertThat(fromDefaults.parallelism()).isEqualTo(3);
        assertThat(of(fromDefaults, "app").get(Settings.BACKUP_PARALLELISM)).isEqualTo(3);
        assertThat(of(fromDefaults, "app").retention().keepDaily()).isEqualTo(11);
        assertThat(of(fromDefaults, "app").databaseName()).contains("app");
    }

    @Test
    void theIssuesExample_loads_withFoldersUnderTheBackupRoot() throws IOException {
        Path tenants = dir.resolve("tenants");
        for (String t : List.of("acme", "globex")) {
            Files.createDirectories(tenants.resolve(t));
            Files.writeString(tenants.resolve(t).resolve("data.db"), "");
        }
        Installation installation = load("""
                defaults:            # any per-database setting; each database may override it
                  backup_root: %1$s/backups
                  keep: {daily: 7, weekly: 4, monthly: 12, last: 7}
                  schedule: "0 0 3 * * ?"
                  drive: {folder: "SQLite Backups"}
                databases:
                  - name: app
                    path: %1$s/app/app.db
                    backup_dir: %1$s/kept/app
                  - name: jobs
                    url: sqlite:///%1$s/app/jobs.db
                  - glob: %1$s/tenants/*/data.db
                    name_from: parent_dir
                """.formatted(dir));

        assertThat(installation.databases()).extracting(ConfiguredDatabase::name)
                .containsExactly("app", "jobs", "acme", "globex");
        assertThat(of(installation, "app").backupDir()).isEqualTo(dir.resolve("kept/app"));
        assertThat(of(installation, "jobs").backupDir()).isEqualTo(dir.resolve("backups/jobs"));
        assertThat(of(installation, "jobs").database()).isEqualTo(dir.resolve("app/jobs.db"));
        assertThat(of(installation, "globex").database()).isEqualTo(tenants.resolve("globex/data.db"));
        assertThat(of(installation, "globex").backupDir()).isEqualTo(dir.resolve("backups/globex"));
        assertThat(of(installation, "acme").get(Settings.DRIVE_FOLDER)).isEqualTo("SQLite Backups");
        assertThat(installation.warnings()).isEmpty();
    }

    @Test
    void withoutBackupRootOrBackupDir_aDatabaseGetsTheSingleDatabaseDefaultFolder() throws IOException {
        Installation installation = load("databases:\n  - name: app\n    path: /srv/app/app.db\n");

        assertThat(of(installation, "app").backupDir()).isEqualTo(Path.of("/srv/app/backups/app.db"));
    }

    @Test
    void anEntryWinsOverDefaults_andFlagsWinOverBoth() throws IOException {
        String yaml = """
                defaults:
                  keep: {daily: 5, weekly: 6}
                  verify: full
                databases:
                  - name: a
                    path: /srv/a.db
                    keep: {daily: 9}
                  - name: b
                    path: /srv/b.db
                """;
        Installation plain = load(yaml);
        Installation flagged = load(yaml, Map.of(), Map.of("BACKUP_KEEP_DAILY",
                Configuration.Flag.of(Settings.BACKUP_KEEP_DAILY, "2")));

        assertThat(of(plain, "a").retention().keepDaily()).isEqualTo(9);
        assertThat(of(plain, "a").retention().keepWeekly()).as("the default's other keys stay").isEqualTo(6);
        assertThat(of(plain, "b").retention().keepDaily()).isEqualTo(5);
        assertThat(of(plain, "b").retention().keepMonthly()).as("the built-in default").isEqualTo(12);
        assertThat(of(flagged, "a").retention().keepDaily()).isEqualTo(2);
        assertThat(of(flagged, "b").retention().keepDaily()).isEqualTo(2);
        assertThat(of(flagged, "b").verifyLevel().name()).isEqualTo("FULL");
    }

    @Test
    void aBadValue_namesFileLineAndYamlKey() throws IOException {
        String yaml = """
                defaults:
                  keep:
                    weekly: 4
                databases:
                  - name: a
                    path: /srv/a.db
                  - name: b
                    path: /srv/b.db
                    keep:
                      daily: x
                """;
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(InvalidSettingException.class)
                .hasMessage(file() + " line 10, key databases[1].keep.daily: must be a whole number, got 'x'");
        assertThatThrownBy(() -> load("defaults:\n  timezone: Mars/Olympus\ndatabases:\n  - name: a\n    path: /a.db\n"))
                .hasMessageStartingWith(file() + " line 2, key defaults.timezone: is not a known time zone");
        assertThatThrownBy(() -> load("parallelism: 0\ndatabases:\n  - name: a\n    path: /a.db\n"))
                .hasMessage(file() + " line 1, key parallelism: must be from 1 to 256, got 0");
        assertThatThrownBy(() -> load("metrics:\n  address: nine\ndatabases:\n  - name: a\n    path: /a.db\n"))
                .hasMessage(file() + " line 2, key metrics.address: must be [host:]port, e.g. 127.0.0.1:9464, "
                        + "got 'nine'");
        assertThatThrownBy(() -> load("metrics:\n  adress: :9464\ndatabases:\n  - name: a\n    path: /a.db\n"))
                .hasMessage(file() + " line 2, key metrics.adress: unknown key (did you mean metrics.address?)");
    }

    @Test
    void metrics_areTopLevel_forTheWholeInstallation() throws IOException {
        Installation installation = load("metrics:\n  address: 127.0.0.1:9464\n  textfile: /var/lib/ne/sb.prom\n"
                + "databases:\n  - name: a\n    path: /a.db\n  - name: b\n    path: /b.db\n");
        assertThat(installation.metricsAddress()).hasValue(new dev.sqlitebackup.app.metrics.MetricsAddress(
                Optional.of("127.0.0.1"), 9464));
        assertThat(installation.metricsTextfile()).hasValue(java.nio.file.Path.of("/var/lib/ne/sb.prom"));
        assertThat(load("databases:\n  - name: a\n    path: /a.db\n").metricsAddress()).isEmpty();
        assertThatThrownBy(() -> load("databases:\n  - name: a\n    path: /a.db\n    metrics:\n      address: :1\n"))
                .hasMessageStartingWith(file() + " line 4, key databases[0].metrics: unknown key");
    }

    @Test
    void theEnvironment_comesInOnlyThroughVariables() throws IOException {
        Map<String, String> env = Map.of("APP_DB", "/srv/app.db", "NTFY_TOPIC", "ops", "DATABASE_URL", "/elsewhere.db",
                "BACKUP_KEEP_DAILY", "99", "EMPTY", "");
        Installation installation = load("""
                defaults:
                  ntfy: {topic: "${NTFY_TOPIC}", url: "${NTFY_URL:-https://ntfy.example.org}"}
                  drive: {folder: "${EMPTY:-Fallback} $${NOT_A_VARIABLE} costs $5"}
                databases:
                  - name: app
                    path: ${APP_DB}
                """, env, Map.of());

        Configuration app = of(installation, "app");
        assertThat(app.database()).isEqualTo(Path.of("/srv/app.db"));
        assertThat(app.asMap()).containsEntry("NTFY_TOPIC", "ops").containsEntry("NTFY_URL",
                "https://ntfy.example.org");
        assertThat(app.get(Settings.DRIVE_FOLDER)).isEqualTo("Fallback ${NOT_A_VARIABLE} costs $5");
        assertThat(app.retention().keepDaily()).as("BACKUP_KEEP_DAILY of the environment is not applied")
                .isEqualTo(7);
        assertThat(installation.warnings()).containsExactly(
                "environment variable BACKUP_KEEP_DAILY is not applied: the settings come from " + file()
                        + " (write ${BACKUP_KEEP_DAILY} in it to use the variable)",
                "environment variable DATABASE_URL is not applied: the settings come from " + file()
                        + " (write ${DATABASE_URL} in it to use the variable)");
    }

    @Test
    void aMissingVariableWithoutDefault_isAnError_namingFileLineKeyAndVariable() throws IOException {
        assertThatThrownBy(() -> load("databases:\n  - name: app\n    path: /srv/app.db\n    ntfy:\n"
                + "      token: ${NTFY_TOKEN_OF_APP}\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(file() + " line 5, key databases[0].ntfy.token: environment variable NTFY_TOKEN_OF_APP "
                        + "is not set (write ${NTFY_TOKEN_OF_APP:-default} for a default)");
    }

    @Test
    void databaseAndBackupDirFlags_cannotGoWithAYamlFile() {
        for (Setting<?> setting : List.of(Settings.DATABASE_URL, Settings.BACKUP_DIR)) {
            assertThatThrownBy(() -> load("databases:\n  - name: a\n    path: /a.db\n", Map.of(),
                    Map.of(setting.key(), Configuration.Flag.of(setting, "/x"))))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage(setting.flag().orElseThrow() + " cannot be used with the " + file()
                            + ", which lists the databases: pick one with --db NAME");
        }
    }

    @Test
    void onlyYmlAndYamlNames_areYaml_inAnyCase() throws IOException {
        assertThat(YamlConfigFile.isYaml(Path.of("/etc/sb.YML"))).isTrue();
        assertThat(YamlConfigFile.isYaml(Path.of("sb.Yaml"))).isTrue();
        assertThat(YamlConfigFile.isYaml(Path.of("/etc/sqlite-backup/env"))).isFalse();
        Path env = write("sb.properties", "DATABASE_URL=/srv/x.db\n");
        assertThat(Installation.load(Map.of(), Optional.of(env), Map.of()).databases())
                .extracting(ConfiguredDatabase::name).containsExactly("x.db");
        Path yaml = write("SB.YAML", "databases:\n  - name: x\n    path: /srv/x.db\n");
        assertThat(Installation.load(Map.of(Installation.CONFIG_ENV, yaml.toString()), Optional.empty(), Map.of())
                .databases()).extracting(ConfiguredDatabase::name).containsExactly("x");
    }

    @Test
    void aFileFromAWindowsEditor_withByteOrderMarkAndCrLf_loads() throws IOException {
        Installation installation = load("\uFEFFdefaults:\r\n  verify: full\r\ndatabases:\r\n  - name: app\r\n"
                + "    path: /srv/app.db\r\n");

        assertThat(of(installation, "app").verifyLevel().name()).isEqualTo("FULL");
        assertThat(of(installation, "app").database()).isEqualTo(Path.of("/srv/app.db"));
    }

    @Test
    void unknownKeys_areErrors_withTheNearestKnownKey() throws IOException {
        String entry = "databases:\n  - name: a\n    path: /a.db\n";
        assertThatThrownBy(() -> load("defaults:\n  keep:\n    dayly: 3\n" + entry))
                .hasMessage(file() + " line 3, key defaults.keep.dayly: unknown key (did you mean "
                        + "defaults.keep.daily?)");
        assertThatThrownBy(() -> load(entry + "    BACKUP_KEEP_DAILY: 3\n"))
                .hasMessage(file() + " line 4, key databases[0].BACKUP_KEEP_DAILY: unknown key (did you mean "
                        + "databases[0].keep.daily?)");
        assertThatThrownBy(() -> load("BACKUP_KEEP_DAILY: 3\n" + entry))
                .hasMessage(file() + " line 1, key BACKUP_KEEP_DAILY: unknown key (did you mean defaults.keep.daily?)");
        assertThatThrownBy(() -> load("database:\n  - name: a\n    path: /a.db\n"))
                .hasMessage(file() + " line 1, key database: unknown key (did you mean databases?)");
        assertThatThrownBy(() -> load(entry + "    parallelism: 2\n"))
                .hasMessageStartingWith(file() + " line 4, key databases[0].parallelism: parallelism is one setting "
                        + "of the whole file");
        assertThatThrownBy(() -> load("defaults:\n  path: /a.db\n" + entry))
                .hasMessage(file() + " line 2, key defaults.path: only a database entry under databases: takes path");
    }

    @Test
    void duplicateKeys_wrongTypes_tabsAndBadSyntax_areOneLineErrorsWithTheLine() throws IOException {
        String entry = "databases:\n  - name: a\n    path: /a.db\n";
        assertThatThrownBy(() -> load(entry + "    verify: full\n    verify: quick\n"))
                .hasMessage(file() + " line 5, key databases[0].verify: given twice in one mapping (first on line 4)");
        assertThatThrownBy(() -> load(entry + "    verify: [full, quick]\n"))
                .hasMessage(file() + " line 4, key databases[0].verify: must be a single value, got a list");
        assertThatThrownBy(() -> load(entry + "    keep: 7\n"))
                .hasMessage(file() + " line 4, key databases[0].keep: must be a mapping of keys, got a single value "
                        + "'7'");
        assertThatThrownBy(() -> load(entry + "    verify:\n"))
                .hasMessage(file() + " line 4, key databases[0].verify: has no value (leave the key out for the "
                        + "default)");
        assertThatThrownBy(() -> load("databases:\n  - name: a\n\tpath: /a.db\n"))
                .hasMessage(file() + " line 3: a tab indents this line; YAML indents with spaces only");
        assertThatThrownBy(() -> load("databases:\n  - name: a\n    path: [/a.db\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(file() + " line ").hasMessageContaining("is not valid YAML: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> load("databases:\n  - name: a\n   path: /a.db\n"))
                .hasMessageStartingWith(file() + " line 3 is not valid YAML: ");
        assertThatThrownBy(() -> load("- name: a\n"))
                .hasMessageStartingWith(file() + " line 1: the file must be a mapping of keys");
    }

    @Test
    void anEmptyOrMissingDatabaseList_isAnError() throws IOException {
        assertThatThrownBy(() -> load("defaults:\n  verify: full\ndatabases: []\n"))
                .hasMessage(file() + " line 3, key databases: is empty: list at least one database");
        assertThatThrownBy(() -> load("defaults:\n  verify: full\n"))
                .hasMessage(file() + " has no databases: list them under 'databases:'");
        assertThatThrownBy(() -> load(""))
                .hasMessage(file() + " is empty: list the databases under 'databases:'");
    }

    @Test
    void names_mustBeUniqueAndSafeAsFolderNames() throws IOException {
        assertThatThrownBy(() -> load("databases:\n  - name: a\n    path: /a.db\n  - name: a\n    path: /b.db\n"))
                .hasMessage(file() + ": databases 'a' (line 2) and 'a' (line 4) have the same name");
        assertThatThrownBy(() -> load("databases:\n  - name: ../etc\n    path: /a.db\n"))
                .hasMessageStartingWith(file() + " line 2, key databases[0].name: '../etc' cannot name a database");
        assertThatThrownBy(() -> load("databases:\n  - path: /a.db\n"))
                .hasMessageStartingWith(file() + " line 2, key databases[0]: a database needs a name");
    }

    @Test
    void twoEntries_ofOneDatabaseFileOrOneBackupFolder_areAnError_namingBoth() throws IOException {
        assertThatThrownBy(() -> load("databases:\n  - name: a\n    path: /srv/x.db\n  - name: b\n"
                + "    url: sqlite:////srv/x.db\n"))
                .hasMessage(file() + ": databases 'a' (line 2) and 'b' (line 4) are the same database file /srv/x.db");
        assertThatThrownBy(() -> load("databases:\n  - name: a\n    path: /srv/a.db\n    backup_dir: /b\n"
                + "  - name: b\n    path: /srv/b.db\n    backup_dir: /b\n"))
                .hasMessage(file() + ": databases 'a' (line 2) and 'b' (line 5) have the same backup folder /b");
    }

    private Path tenant(String name) throws IOException {
        Path db = dir.resolve("tenants").resolve(name).resolve("data.db");
        Files.createDirectories(db.getParent());
        Files.writeString(db, "");
        return db;
    }

    private String globConfig(String nameFrom) {
        return "defaults:\n  backup_root: " + dir.resolve("backups") + "\ndatabases:\n  - glob: " + dir
                + "/tenants/*/data.db\n" + (nameFrom == null ? "" : "    name_from: " + nameFrom + "\n");
    }

    @Test
    void aGlob_isExpandedAtEveryLoad_sorted_skippingSideFilesAndBackupFolders() throws IOException {
        tenant("beta");
        tenant("alpha");
        Files.writeString(dir.resolve("tenants/alpha/data.db-wal"), "");
        Files.createDirectories(dir.resolve("tenants/gamma/data.db")); // a folder is no database
        Path backupFolder = dir.resolve("tenants/delta");
        Files.createDirectories(backupFolder.resolve(".sqlite-backup"));
        Files.writeString(backupFolder.resolve("data.db"), "");

        Installation first = load(globConfig("parent_dir"));
        tenant("carol");
        Installation second = load(globConfig("parent_dir"));

        assertThat(first.databases()).extracting(ConfiguredDatabase::name).containsExactly("alpha", "beta");
        assertThat(second.databases()).extracting(ConfiguredDatabase::name).containsExactly("alpha", "beta", "carol");
        assertThat(of(second, "carol").backupDir()).isEqualTo(dir.resolve("backups/carol"));
    }

    @Test
    void aGlobWithRecursionAndAlternatives_matchesAtAnyDepth() throws IOException {
        Path deep = dir.resolve("srv/a/b/c/one.db");
        Path other = dir.resolve("srv/x/two.sqlite");
        for (Path p : List.of(deep, other, dir.resolve("srv/x/three.txt"))) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "");
        }
        Installation installation = load("defaults:\n  backup_root: " + dir.resolve("b") + "\ndatabases:\n  - glob: "
                + dir + "/srv/**.{db,sqlite}\n");

        assertThat(installation.databases()).extracting(ConfiguredDatabase::name).containsExactly("one", "two");
    }

    @Test
    void aGlobsNames_comeFromTheFileStemByDefault_andMustComeOutUnique() throws IOException {
        Path first = tenant("acme");
        Path second = tenant("globex");

        assertThatThrownBy(() -> load(globConfig(null)))
                .hasMessage(file() + " line 4, key databases[0].glob: gives two databases the name 'data': " + first
                        + " and " + second + " (name_from: parent_dir names them by their folder)");
        Path flat = dir.resolve("flat");
        Files.createDirectories(flat);
        Files.writeString(flat.resolve("shop.db"), "");
        Installation installation = load("defaults:\n  backup_root: /b\ndatabases:\n  - glob: " + flat + "/*.db\n");
        assertThat(installation.databases()).extracting(ConfiguredDatabase::name).containsExactly("shop");
    }

    @Test
    void aGlob_needsBackupRoot_anAbsolutePattern_andTakesNoNameOrFolder() throws IOException {
        assertThatThrownBy(() -> load("databases:\n  - glob: /srv/*/data.db\n"))
                .hasMessageStartingWith(file() + " line 2, key databases[0].glob: a glob needs backup_root");
        assertThatThrownBy(() -> load("defaults:\n  backup_root: /b\ndatabases:\n  - glob: srv/*.db\n"))
                .hasMessage(file() + " line 4, key databases[0].glob: must be an absolute pattern (starting with /), "
                        + "got 'srv/*.db'");
        assertThatThrownBy(() -> load("defaults:\n  backup_root: /b\ndatabases:\n  - glob: /srv/*.db\n    name: x\n"))
                .hasMessageStartingWith(file() + " line 4, key databases[0].name: a glob entry takes no name");
        assertThatThrownBy(() -> load("defaults:\n  backup_root: /b\ndatabases:\n  - glob: /srv/*.db\n"
                + "    name_from: folder\n"))
                .hasMessage(file() + " line 5, key databases[0].name_from: must be parent_dir or file_stem, got "
                        + "'folder'");
    }

    @Test
    void aGlobsMatch_withABadName_orTheSameNameAsAnEntry_isAnError() throws IOException {
        tenant("bad name");
        assertThatThrownBy(() -> load(globConfig("parent_dir")))
                .hasMessageContaining("line 4, key databases[0].glob: matches ").hasMessageContaining("'bad name' "
                        + "cannot name a backup folder");
        Files.delete(dir.resolve("tenants/bad name/data.db"));
        Path acme = tenant("acme");
        assertThatThrownBy(() -> load(globConfig("parent_dir") + "  - name: acme\n    path: /srv/acme.db\n"))
                .hasMessage(file() + ": databases 'acme' (" + acme + ", glob on line 4) and 'acme' (line 6) have the "
                        + "same name");
    }

    @Test
    void aDatabaseThatDisappeared_isWarnedAbout_andItsBackupsStay() throws IOException {
        Path gone = tenant("gone");
        tenant("kept");
        Path folder = dir.resolve("backups/gone");
        Files.createDirectories(folder.resolve(".sqlite-backup"));
        Files.writeString(folder.resolve(".sqlite-backup/database"), gone.toRealPath() + "\n");
        Files.writeString(folder.resolve("backup-2026-01-01-030000.db"), "x");
        Path unrelated = dir.resolve("backups/other");
        Files.createDirectories(unrelated.resolve(".sqlite-backup"));
        Files.writeString(unrelated.resolve(".sqlite-backup/database"), "/somewhere/else.db\n");
        String gonePath = gone.toRealPath().toString();

        assertThat(load(globConfig("parent_dir")).warnings()).isEmpty();
        Files.delete(gone);
        Installation installation = load(globConfig("parent_dir"));

        assertThat(installation.databases()).extracting(ConfiguredDatabase::name).containsExactly("kept");
        assertThat(installation.warnings()).containsExactly("database gone (" + gonePath + ") is gone: its backups in "
                + folder + " are kept");
        assertThat(folder.resolve("backup-2026-01-01-030000.db")).exists();
    }

    @Test
    void aGlobMatchingNothing_isAWarning_andACommandAboutOneDatabaseIsRefused() throws IOException {
        Installation installation = load(globConfig("parent_dir"));

        assertThat(installation.databases()).isEmpty();
        assertThat(installation.warnings()).containsExactly(file() + " line 4: glob " + dir
                + "/tenants/*/data.db matches no database");
        assertThatThrownBy(() -> installation.one("list", List.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("has no database");
        assertThatThrownBy(() -> installation.select("run", List.of())).isInstanceOf(ConfigurationException.class)
                .hasMessage("run: " + file() + " has no database (its globs match no file)");
        assertThat(installation.select(List.of())).as("the daemon waits for a database to appear").isEmpty();
    }

    @Test
    void ageRecipients_takeAListOrOneValue() throws IOException {
        String second = "age1t0flv09jvnzqy8l4n6dj4ch9mydqvrg3k4p2yjhh5rngh9y2y5xq82a6lh";
        Installation installation = load("databases:\n  - name: a\n    path: /a.db\n    offsite:\n"
                + "      age_recipients:\n        - " + AGE_KEY + "\n        - " + second + "\n");

        assertThat(of(installation, "a").asMap()).containsEntry("AGE_RECIPIENTS", AGE_KEY + "," + second);
        assertThat(of(installation, "a").given(Settings.AGE_RECIPIENTS).orElseThrow()).hasSize(2);
        assertThat(of(load("databases:\n  - name: a\n    path: /a.db\n    offsite: {age_recipients: " + AGE_KEY
                + "}\n"), "a").given(Settings.AGE_RECIPIENTS).orElseThrow()).hasSize(1);
    }

    @Test
    void theFullExampleOfTheDocs_loads_asItSays() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        String example = doc.substring(start, doc.indexOf("```", start));

        Installation installation = load(example, Map.of("NTFY_TOKEN", "tk_from_env"), Map.of());

        assertThat(installation.parallelism()).isEqualTo(4);
        assertThat(installation.databases()).extracting(ConfiguredDatabase::name).containsExactly("app", "jobs");
        assertThat(installation.metricsAddress()).hasValueSatisfying(a -> assertThat(a).hasToString("127.0.0.1:9464"));
        assertThat(installation.metricsTextfile())
                .hasValue(Path.of("/var/lib/prometheus/node-exporter/sqlite_backup.prom"));
        assertThat(of(installation, "app").backupDir()).isEqualTo(Path.of("/var/backups/app"));
        assertThat(of(installation, "app").verifyLevel().name()).isEqualTo("FULL");
        assertThat(of(installation, "jobs").backupDir()).isEqualTo(Path.of("/var/backups/sqlite/jobs"));
        assertThat(of(installation, "jobs").get(Settings.BACKUP_SCHEDULE)).isEqualTo("0 0 * * * ?");
        assertThat(of(installation, "app").get(Settings.BACKUP_SCHEDULE)).isEqualTo("0 0 3 * * ?");
        assertThat(of(installation, "jobs").remoteRetention().keepDaily()).isEqualTo(30);
        assertThat(of(installation, "jobs").remoteRetention().keepWeekly()).as("the local value").isEqualTo(4);
        assertThat(of(installation, "jobs").asMap()).containsEntry("NTFY_TOKEN", "tk_from_env");
        assertThat(installation.warnings()).containsExactly(file() + " line 26: glob /srv/tenants/*/data.db matches "
                + "no database");
    }

    private static boolean isFileOfASecret(Setting<?> setting) {
        return Settings.ALL.stream().anyMatch(s -> s.file().filter(f -> f == setting).isPresent());
    }

    @Test
    void everySecretsFileKey_reachesItsSetting_andTheSecretIsReadFromTheFile() throws IOException {
        for (Map.Entry<String, Setting<?>> key : YamlConfigFile.KEYS.entrySet()) {
            if (!isFileOfASecret(key.getValue())) {
                continue;
            }
            Setting<?> secret = Settings.ALL.stream().filter(s -> s.file().filter(f -> f == key.getValue())
                    .isPresent()).findFirst().orElseThrow();
            Path file = dir.resolve(key.getValue().key().toLowerCase(java.util.Locale.ROOT));
            Files.writeString(file, secret.key().startsWith("HEARTBEAT") ? "https://hc-ping.com/abc\n" : "s3cret\n");
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            String[] path = key.getKey().split("\\.");
            Installation loaded = load("databases:\n  - name: app\n    path: /srv/app.db\n    backup_dir: /b/app\n"
                    + "    " + path[0] + ":\n      " + path[1] + ": " + file + "\n");

            assertThat(of(loaded, "app").asMap()).as(key.getKey()).containsEntry(key.getValue().key(),
                    file.toString());
            assertThat(of(loaded, "app").given(secret)).as(secret.key()).isPresent();
        }
    }
}
