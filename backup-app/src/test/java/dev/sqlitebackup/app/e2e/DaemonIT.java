package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon through the shaded jar, as systemd would run it: started, left to its schedule, stopped by SIGTERM. */
class DaemonIT {


    @TempDir
    Path home;

    @Test
    void runsOnSchedule_stopsOnSigterm_withExit0_andCatchesUpAfterDowntime() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 500);
        Path dir = home.resolve("backups").resolve("app.db");
        Path state = dir.resolve(".sqlite-backup").resolve("state.db");

        // 1. a fast schedule: the empty history owes a catch-up, then two scheduled runs, then SIGTERM
        JarProcess.Result stopped;
        try (JarDaemon daemon = JarDaemon.start(home, Map.of("DATABASE_URL", db.toString(),
                "BACKUP_SCHEDULE", "*/2 * * * * ?"), "daemon")) {
            daemon.awaitRows(state, "trigger = 'scheduled' AND outcome = 'success'", 2);
            stopped = daemon.terminate();
        }
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(stopped.out()).contains("sqlite-backup daemon started: database " + db)
                .contains("backup dir " + dir).contains("schedule '*/2 * * * * ?' in UTC").contains("next run at")
                .contains("catch-up backup ok").contains("scheduled backup ok").contains("sqlite-backup daemon stopped");

        JarProcess jar = new JarProcess(home);
        JarProcess.Result history = jar.run("history", "--json", "--database", db.toString());
        assertThat(history.exitCode()).as(history.toString()).isZero();
        List<JsonObject> runs = objects(JsonParser.parseString(history.out()).getAsJsonArray());
        assertThat(runs).allSatisfy(r -> assertThat(r.get("outcome").getAsString()).isEqualTo("success"));
        assertThat(runs.get(runs.size() - 1).get("trigger").getAsString()).isEqualTo("catch-up");
        assertThat(runs.stream().filter(r -> r.get("trigger").getAsString().equals("scheduled")).count())
                .isGreaterThanOrEqualTo(2);
        List<String> files = backupNames(dir);
        assertThat(runs).extracting(r -> r.get("backup").getAsString()).containsExactlyInAnyOrderElementsOf(files);
        for (String f : files) {
            assertThat(Sqlite.count(dir.resolve(f), "notes")).isEqualTo(500);
        }

        JarProcess.Result status = jar.run("status", "--json", "--database", db.toString());
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonObject s = JsonParser.parseString(status.out()).getAsJsonObject();
        assertThat(s.get("ok").getAsBoolean()).isTrue();
        assertThat(s.get("backupCount").getAsInt()).isEqualTo(files.size());

        // 2. a history whose last success is two days old: the default daily 03:00 schedule owes a catch-up at start
        Path oldState = home.resolve("old-state.db");
        Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        // the schema the tool creates, with one old success in it
        Sqlite.exec(oldState, "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, "
                + "started_at TEXT NOT NULL, ended_at TEXT, outcome TEXT, backup_name TEXT, size_bytes INTEGER, "
                + "remote_id TEXT, error TEXT)",
                "INSERT INTO runs (trigger, started_at, ended_at, outcome) VALUES ('scheduled', '"
                        + twoDaysAgo.toString().replace("Z", ".000Z") + "', '"
                        + twoDaysAgo.plusSeconds(5).toString().replace("Z", ".000Z") + "', 'success')");
        JarProcess.Result secondStop;
        try (JarDaemon daemon = JarDaemon.start(home, Map.of("DATABASE_URL", db.toString(),
                "BACKUP_STATE_DB", oldState.toString()), "daemon")) {
            daemon.awaitRows(oldState, "trigger = 'catch-up' AND outcome = 'success'", 1);
            secondStop = daemon.terminate();
        }
        assertThat(secondStop.exitCode()).as(secondStop.toString()).isZero();
        assertThat(secondStop.out()).contains("schedule '0 0 3 * * ?' in UTC").contains("catching up now");
        JarProcess.Result caughtUp = jar.env("BACKUP_STATE_DB", oldState.toString())
                .run("history", "--json", "--database", db.toString());
        List<JsonObject> after = objects(JsonParser.parseString(caughtUp.out()).getAsJsonArray());
        assertThat(after).extracting(r -> r.get("trigger").getAsString()).containsExactly("catch-up", "scheduled");
        assertThat(backupNames(dir)).hasSize(files.size() + 1);
    }

    /**
     * systemd may stop the daemon the moment it said it started (a restart loop, a shutdown at boot). Even then the
     * stop is the graceful one: exit 0 and "daemon stopped", not a process killed by SIGTERM (exit 143) with its
     * catch-up backup half made. One database, and two from a config.
     */
    @Test
    void sigtermTheMomentItSaysStarted_stopsWithGrace_withExit0() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 20);
        Path jobs = home.resolve("jobs.db");
        Sqlite.createNotes(jobs, 20);
        Path config = home.resolve("daemon.yml");
        Files.writeString(config, String.join("\n",
                "defaults:",
                "  backup_root: " + home.resolve("backups"),
                "  schedule: \"0 0 3 1 1 ?\"",
                "databases:",
                "  - name: app",
                "    path: " + db,
                "  - name: jobs",
                "    path: " + jobs,
                ""), java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> lone = Map.of("DATABASE_URL", db.toString(), "BACKUP_SCHEDULE", "0 0 3 1 1 ?");

        for (JarProcess.Result stopped : List.of(stopAtStart(lone, "daemon"),
                stopAtStart(Map.of(), "daemon", "--config", config.toString()))) {
            assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
            assertThat(stopped.out()).as(stopped.toString()).contains("sqlite-backup daemon stopped");
        }
    }

    /** The daemon started, sent SIGTERM as soon as its output says "daemon started". */
    private JarProcess.Result stopAtStart(Map<String, String> env, String... args) throws Exception {
        try (JarDaemon daemon = JarDaemon.start(home, env, args)) {
            daemon.awaitOut("daemon started");
            return daemon.terminate();
        }
    }

    private static List<JsonObject> objects(JsonArray array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonElement::getAsJsonObject).toList();
    }

    private static List<String> backupNames(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("backup-.*\\.db")).sorted()
                    .toList();
        }
    }
}
