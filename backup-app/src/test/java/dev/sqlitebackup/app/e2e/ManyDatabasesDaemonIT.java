package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon over many databases, through the jar: two databases on schedules of their own, each backed up on its
 * own schedule, while manual runs of one of them come in and wait for its folder's lock (never overlapping a
 * scheduled run); a tenant that appears is picked up by the next reading of the config; drills on a schedule.
 */
class ManyDatabasesDaemonIT {


    @TempDir
    Path home;

    @Test
    void theDaemon_backsUpTwoDatabasesOnTheirOwnSchedules_andManualRunsOfOneNeverOverlapItsScheduledOnes()
            throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 20_000);
        Sqlite.createNotes(home.resolve("jobs.db"), 40);
        Path config = home.resolve("daemon.yml");
        Files.writeString(config, String.join("\n",
                "defaults:",
                "  backup_root: " + home.resolve("backups"),
                "  keep: {last: 100, daily: 0, weekly: 0, monthly: 0}",
                "databases:",
                "  - name: app",
                "    path: " + home.resolve("app.db"),
                "    schedule: \"*/2 * * * * ?\"",
                "  - name: jobs",
                "    path: " + home.resolve("jobs.db"),
                "    schedule: \"*/3 * * * * ?\"",
                ""), StandardCharsets.UTF_8);
        Path appState = home.resolve("backups/app/.sqlite-backup/state.db");
        Path jobsState = home.resolve("backups/jobs/.sqlite-backup/state.db");

        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(config, "metrics: {address: \"127.0.0.1:" + port + "\"}\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        try (JarDaemon daemon = JarDaemon.start(home, Map.of(), "daemon", "--config", config.toString())) {
            daemon.awaitRows(appState, "trigger = 'scheduled' AND outcome = 'success'", 2);
            daemon.awaitRows(jobsState, "trigger = 'scheduled' AND outcome = 'success'", 2);
            String scraped = new String(new java.net.URL("http://127.0.0.1:" + port + "/metrics").openStream()
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(scraped).as("one scrape, every database of the daemon")
                    .contains("sqlite_backup_last_success_timestamp_seconds{database=\"app\"}")
                    .contains("sqlite_backup_last_success_timestamp_seconds{database=\"jobs\"}")
                    .contains("sqlite_backup_next_run_timestamp_seconds{database=\"jobs\"}");
            for (int i = 0; i < 3; i++) {
                JarProcess.Result manual = new JarProcess(home).run("run", "--config", config.toString(), "--db",
                        "app", "--wait", "60s");
                assertThat(manual.exitCode()).as(manual.toString()).isZero();
            }
            daemon.awaitRows(appState, "trigger = 'scheduled' AND outcome = 'success'", 4);
            JarProcess.Result stopped = daemon.terminate();
            assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        }

        assertThat(JarDaemon.rows(appState, "trigger = 'manual' AND outcome = 'success'")).isEqualTo(3);
        assertThat(JarDaemon.rows(jobsState, "trigger = 'manual'")).isZero();
        assertNoOverlap(appState);
        assertNoOverlap(jobsState);
    }

    @Test
    void aTenantThatAppears_isScheduledAndBackedUp_andOneThatGoes_isNoLongerScheduled_itsBackupsKept()
            throws Exception {
        for (String t : List.of("acme", "globex")) {
            Files.createDirectories(home.resolve("tenants").resolve(t));
            Sqlite.createNotes(home.resolve("tenants").resolve(t).resolve("data.db"), 30);
        }
        PostedBodies ntfy = PostedBodies.start();
        Path config = home.resolve("tenants.yml");
        Files.writeString(config, String.join("\n",
                "defaults:",
                "  backup_root: " + home.resolve("backups"),
                "  ntfy: {url: \"" + ntfy.url() + "\", topic: tenants}",
                "  schedule: \"*/2 * * * * ?\"",
                "  keep: {last: 100, daily: 0, weekly: 0, monthly: 0}",
                "  drill: {schedule: \"*/3 * * * * ?\"}",
                "databases:",
                "  - glob: " + home.resolve("tenants") + "/*/data.db",
                "    name_from: parent_dir",
                ""), StandardCharsets.UTF_8);

        try (ntfy; JarDaemon daemon = JarDaemon.start(home, Map.of(), "daemon", "--config", config.toString())) {
            daemon.awaitRows(home.resolve("backups/acme/.sqlite-backup/state.db"),
                    "trigger = 'scheduled' AND outcome = 'success'", 1);
            Files.createDirectories(home.resolve("tenants/initech"));
            Sqlite.createNotes(home.resolve("tenants/initech/data.db"), 30);
            daemon.awaitRows(home.resolve("backups/initech/.sqlite-backup/state.db"), "outcome = 'success'", 1);
            daemon.awaitRows(home.resolve("backups/globex/.sqlite-backup/state.db"),
                    "trigger = 'drill' AND outcome = 'success'", 1);
            Files.delete(home.resolve("tenants/globex/data.db"));
            daemon.awaitOut("database globex is no longer configured or its file is gone");
            String gone = "Gone (source vanished, backups kept): globex";
            assertThat(ntfy.awaitOne(p -> p.contains(gone), Duration.ofSeconds(30)))
                    .as("a summary of the schedule's run names the gone tenant")
                    .anySatisfy(p -> assertThat(p).contains(gone));
            JarProcess.Result stopped = daemon.terminate();
            assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
            assertThat(stopped.out()).contains("database initech (").contains("is new: scheduled")
                    .contains("acme: scheduled backup ok").contains("restore drill ok");
        }
        try (var files = Files.list(home.resolve("backups/globex"))) {
            assertThat(files.filter(f -> f.getFileName().toString().matches("backup-.*\\.db")).count())
                    .as("the gone tenant's backups are kept").isPositive();
        }
    }

    /** No two runs recorded in one folder's history were running at the same time. */
    private static void assertNoOverlap(Path state) throws SQLException {
        List<Instant[]> runs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + state); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT started_at, ended_at FROM runs WHERE ended_at IS NOT NULL "
                        + "AND outcome = 'success' ORDER BY started_at")) {
            while (rs.next()) {
                runs.add(new Instant[] {Instant.parse(rs.getString(1)), Instant.parse(rs.getString(2))});
            }
        }
        assertThat(runs).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i)[0]).as(state + ": run " + i + " starts after the one before ended")
                    .isAfterOrEqualTo(runs.get(i - 1)[1]);
        }
    }


}
