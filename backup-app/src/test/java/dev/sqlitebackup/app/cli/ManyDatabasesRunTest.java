package dev.sqlitebackup.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.app.CompositionRoot;
import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfiguredDatabase;
import dev.sqlitebackup.app.e2e.PostedBodies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} over many databases, on real SQLite files and the real adapters: each database on its own, a failing
 * one never stopping the others, one line each and a summary.
 */
class ManyDatabasesRunTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void oneCorruptDatabaseAmongSeveral_theOthersAreBackedUp_andTheRunFailsNamingIt() throws Exception {
        List<ConfiguredDatabase> databases = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            databases.add(database("tenant" + i, i == 5 ? corrupt("tenant" + i) : sqlite("tenant" + i)));
        }

        int code = command().runMany(databases, 3, List.of());

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(said).isEqualTo(ExitCodes.FAILED);
        for (int i = 1; i <= 8; i++) {
            Path folder = home.resolve("backups").resolve("tenant" + i);
            if (i == 5) {
                assertThat(said).containsPattern("(?m)^tenant5: FAILED: .+$");
                assertThat(backups(folder)).isEmpty();
            } else {
                assertThat(said).containsPattern("(?m)^tenant" + i + ": backed up to " + folder + "/\\S+ \\(.+\\)$");
                assertThat(backups(folder)).hasSize(1);
            }
        }
        assertThat(said.lines().filter(l -> l.startsWith("tenant")).count()).isEqualTo(8);
        assertThat(said).containsPattern("(?m)^7 backed up, 1 failed \\(tenant5\\), total .+ in .+$");
    }

    @Test
    void refusedSettingsOrAMissingSource_failOnlyThatDatabase() throws Exception {
        Configuration refused = Configuration.load(Map.of("DATABASE_URL", sqlite("bad").toString(),
                "BACKUP_DIR", home.resolve("backups/bad").toString(), "BACKUP_KEEP_DAILY", "-3"), Optional.empty(),
                Map.of()).named("bad");
        List<ConfiguredDatabase> databases = List.of(database("app", sqlite("app")),
                new ConfiguredDatabase("bad", refused),
                database("gone", home.resolve("nowhere/gone.db")));

        int code = command().runMany(databases, 2, List.of());

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(said).isEqualTo(ExitCodes.FAILED);
        assertThat(said).containsPattern("(?m)^app: backed up to ")
                .containsPattern("(?m)^bad: FAILED: .*BACKUP_KEEP_DAILY.*$")
                .containsPattern("(?m)^gone: FAILED: .*gone\\.db.*$")
                .containsPattern("(?m)^1 backed up, 2 failed \\(bad, gone\\), total ");
        assertThat(backups(home.resolve("backups/app"))).hasSize(1);
    }

    @Test
    void everyDatabaseBackedUp_exitsZero_andSummarisesOnce() throws Exception {
        Cli cli = new Cli(Clock.systemUTC());
        RunCommand run = command(cli.useCases);
        List<ConfiguredDatabase> databases = List.of(database("app", sqlite("app")),
                database("jobs", sqlite("jobs")));

        // the fakes have one folder for every database: one at a time
        int code = run.runMany(databases, 1, List.of());

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(said).isEqualTo(ExitCodes.OK);
        assertThat(said).containsPattern("(?m)^2 backed up, 0 failed, total .+ in .+$");
        assertThat(cli.useCases.notifier.reports()).as("successes are told in the summary only").isEmpty();
        assertThat(cli.useCases.notifier.summaries()).singleElement()
                .satisfies(s -> assertThat(s.succeeded()).isEqualTo(2));
    }

    @Test
    void eachNtfyDestination_getsOneSummaryOfItsOwnDatabases_andEachFailureItsOwnMessage() throws Exception {
        try (PostedBodies ntfy = PostedBodies.start()) {
            String url = ntfy.url();
            List<ConfiguredDatabase> databases = List.of(
                    database("app", sqlite("app"), Map.of("NTFY_URL", url, "NTFY_TOPIC", "ops")),
                    database("jobs", sqlite("jobs"), Map.of("NTFY_URL", url, "NTFY_TOPIC", "ops")),
                    database("broken", corrupt("broken"), Map.of("NTFY_URL", url, "NTFY_TOPIC", "ops")),
                    database("tenant1", sqlite("tenant1"), Map.of("NTFY_URL", url, "NTFY_TOPIC", "tenants")),
                    database("quiet", sqlite("quiet")));

            int code = command().runMany(databases, 2, List.of());

            List<String> posted = ntfy.bodies();
            assertThat(code).isEqualTo(ExitCodes.FAILED);
            assertThat(posted).as("two summaries and the one failure, no success on its own").hasSize(3);
            assertThat(posted).filteredOn(p -> p.contains("\"topic\":\"ops\"") && p.contains("Backups: "))
                    .singleElement().satisfies(p -> assertThat(p).contains("Backups: 2 succeeded, 1 FAILED")
                            .contains("Failed: broken"));
            assertThat(posted).filteredOn(p -> p.contains("\"topic\":\"tenants\""))
                    .singleElement().satisfies(p -> assertThat(p).contains("Backups: 1 succeeded\""));
            assertThat(posted).filteredOn(p -> p.contains("Backup of ") && p.contains("FAILED"))
                    .singleElement().satisfies(p -> assertThat(p).contains("\"topic\":\"ops\""));
        }
    }

    @Test
    void statusOfMany_oneLinePerDatabase_andExit1WhenAnyIsStale() throws Exception {
        List<ConfiguredDatabase> databases = List.of(database("app", sqlite("app")),
                database("broken", corrupt("broken")), database("jobs", sqlite("jobs")));
        command().runMany(databases, 2, List.of());
        out.reset();

        StatusCommand status = new StatusCommand(context(new CompositionRoot(Clock.systemUTC())));
        status.common = new CommonOptions();
        status.maxAge = Duration.ofHours(26);
        int code = status.statusOfEach(databases);

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(said).isEqualTo(ExitCodes.FAILED);
        assertThat(said).containsPattern("(?m)^app\\s+\\d{4}-\\d\\d-\\d\\d \\S+ \\S+\\s+\\d+s\\s+ok\\s+success$")
                .containsPattern("(?m)^jobs\\s+.*\\s+ok\\s+success$")
                .containsPattern("(?m)^broken\\s+never\\s+-\\s+STALE\\s+\\S.*$")
                .containsPattern("(?m)^STALE: 1 of 3 databases without a successful backup within 1d 2h \\(broken\\)$");

        out.reset();
        assertThat(status.statusOfEach(List.of(databases.get(0), databases.get(2)))).isEqualTo(ExitCodes.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK: all 2 databases backed up within 1d 2h");
    }

    @Test
    void pruneAndVerifyOfMany_goOverEveryDatabase_eachUnderItsName() throws Exception {
        List<ConfiguredDatabase> databases = List.of(database("app", sqlite("app")),
                database("jobs", sqlite("jobs")));
        command().runMany(databases, 2, List.of());
        out.reset();
        CliContext context = context(new CompositionRoot(Clock.systemUTC()));

        PruneCommand prune = new PruneCommand(context);
        prune.common = new CommonOptions();
        prune.dryRun = true;
        assertThat(prune.pruneEach(databases)).isEqualTo(ExitCodes.OK);
        VerifyCommand verify = new VerifyCommand(context);
        verify.common = new CommonOptions();
        assertThat(verify.verifyEach(databases)).isEqualTo(ExitCodes.OK);

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(said).containsPattern("(?s)== app ==\\nkeep    backup-\\S+.*== jobs ==\\nkeep    backup-\\S+.*"
                + "== app ==\\n.*backup-\\S+\\.db.*ok.*== jobs ==\\n.*backup-\\S+\\.db.*ok");
    }

    @Test
    void verifyOfMany_aDatabaseWithoutAFolder_failsAlone() throws Exception {
        List<ConfiguredDatabase> databases = List.of(database("app", sqlite("app")),
                database("never", sqlite("never")));
        command().runMany(List.of(databases.get(0)), 1, List.of());
        out.reset();

        VerifyCommand verify = new VerifyCommand(context(new CompositionRoot(Clock.systemUTC())));
        verify.common = new CommonOptions();
        int code = verify.verifyEach(databases);

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(said + err).isNotEqualTo(ExitCodes.OK);
        assertThat(said).containsPattern("(?s)== app ==\\n.*ok.*== never ==");
    }

    @Test
    void databasesSharingOneStateDatabase_eachHistoryShowsOnlyItsOwnRuns_refusedOnesIncluded() throws Exception {
        String state = home.resolve("state/state.db").toString();
        // its database itself is refused, so its run is recorded (its folder exists) without a database: by name
        Files.createDirectories(home.resolve("backups/bad"));
        Configuration refused = Configuration.load(Map.of("DATABASE_URL", "postgres://db.example/app",
                "BACKUP_DIR", home.resolve("backups/bad").toString(), "BACKUP_STATE_DB", state), Optional.empty(),
                Map.of()).named("bad");
        List<ConfiguredDatabase> databases = List.of(
                database("app", sqlite("app"), Map.of("BACKUP_STATE_DB", state)),
                database("jobs", sqlite("jobs"), Map.of("BACKUP_STATE_DB", state)),
                new ConfiguredDatabase("bad", refused));
        command().runMany(databases, 1, List.of());
        command().runMany(databases.subList(0, 1), 1, List.of());
        CompositionRoot root = new CompositionRoot(Clock.systemUTC());

        assertThat(root.showHistory(databases.get(0).configuration()).history(10)).hasSize(2)
                .allSatisfy(r -> assertThat(r.outcome()).hasValue(dev.sqlitebackup.domain.model.RunRecord.Outcome
                        .SUCCESS));
        assertThat(root.showHistory(databases.get(1).configuration()).history(10)).hasSize(1);
        assertThat(new dev.sqlitebackup.adapters.sqlite.SqliteActivityLog(Path.of(state), Optional.empty(),
                Optional.of("bad")).recent(10)).as("its refused run is in the file, under its name").singleElement()
                .satisfies(r -> assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("postgres")));
    }

    @Test
    void aStopDuringARunOfMany_letsTheRunningBackupFinish_andStartsNoFurtherDatabase() throws Exception {
        UseCases real = new CompositionRoot(Clock.systemUTC());
        RunCommand[] run = new RunCommand[1];
        // the stop comes while the first database's backup is being set up
        UseCases stoppedDuringTheFirst = (UseCases) java.lang.reflect.Proxy.newProxyInstance(
                UseCases.class.getClassLoader(), new Class<?>[] {UseCases.class}, (proxy, method, args) -> {
                    if (method.getName().equals("runBackup")) {
                        run[0].stopRequested();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        run[0] = command(stoppedDuringTheFirst);
        List<ConfiguredDatabase> databases = List.of(database("app", sqlite("app")),
                database("jobs", sqlite("jobs")), database("queue", sqlite("queue")));

        int code = run[0].runMany(databases, 1, List.of());

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(said).isEqualTo(ExitCodes.FAILED);
        assertThat(said).containsPattern("(?m)^app: backed up to ")
                .containsPattern("(?m)^1 backed up, 0 failed, 2 not started \\(stopping: jobs, queue\\), total ");
        assertThat(backups(home.resolve("backups/app"))).hasSize(1);
        assertThat(home.resolve("backups/jobs")).doesNotExist();
    }

    private RunCommand command() {
        return command(new CompositionRoot(Clock.systemUTC()));
    }

    private CliContext context(UseCases useCases) {
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new CliContext(useCases, Map.of(),
                new PrintWriter(outStream, true, StandardCharsets.UTF_8),
                new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true, StandardCharsets.UTF_8),
                outStream, false, Clock.systemUTC());
    }

    private RunCommand command(UseCases useCases) {
        RunCommand run = new RunCommand(context(useCases));
        run.common = new CommonOptions();
        run.waitFor = Duration.ZERO;
        return run;
    }

    private ConfiguredDatabase database(String name, Path file) {
        return database(name, file, Map.of());
    }

    private ConfiguredDatabase database(String name, Path file, Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("DATABASE_URL", file.toString());
        env.put("BACKUP_DIR", home.resolve("backups").resolve(name).toString());
        return new ConfiguredDatabase(name, Configuration.load(env, Optional.empty(), Map.of()).named(name));
    }

    private Path sqlite(String name) throws SQLException, IOException {
        Path file = Files.createDirectories(home.resolve("live").resolve(name)).resolve("data.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO t (v) VALUES ('" + name + "')");
        }
        return file;
    }

    /** A file that claims to be SQLite and is not one after its header. */
    private Path corrupt(String name) throws SQLException, IOException {
        Path file = sqlite(name);
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 100; i < bytes.length; i++) {
            bytes[i] = (byte) 0xA5;
        }
        Files.write(file, bytes);
        return file;
    }

    private static List<Path> backups(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("backup-.*\\.db(\\.zst)?")).toList();
        }
    }
}
