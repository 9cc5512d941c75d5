package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus metrics through the jar: the daemon's {@code /metrics} scraped while it runs, and the textfile {@code run}
 * writes for node_exporter; both checked by Prometheus's own parser ({@code promtool check metrics}).
 */
class MetricsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path home;

    @Test
    void daemon_servesMetrics_withTheValuesOfItsRuns() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 300);
        Path dir = home.resolve("backups").resolve("app.db");
        int port = freePort();
        try (JarDaemon daemon = JarDaemon.start(home, Map.of("DATABASE_URL", db.toString(),
                "BACKUP_SCHEDULE", "*/2 * * * * ?", "METRICS_ADDRESS", "127.0.0.1:" + port), "daemon")) {
            String metrics = awaitMetrics(daemon, port, "sqlite_backup_runs_total{database=\"app.db\"} 3.0");
            long backups;
            try (Stream<Path> files = Files.list(dir)) {
                backups = files.filter(f -> f.getFileName().toString().matches("backup-.*\\.db")).count();
            }
            Instant now = Instant.now();
            assertThat(metrics).contains("sqlite_backup_failures_total{database=\"app.db\"} 0.0")
                    .contains("sqlite_backup_last_run_success{database=\"app.db\"} 1.0")
                    .contains("jvm_memory_used_bytes").contains("jvm_threads_current");
            assertThat(value(metrics, "sqlite_backup_local_backups")).isBetween(3.0, (double) backups);
            assertThat(value(metrics, "sqlite_backup_last_backup_bytes")).isEqualTo(
                    (double) Files.size(newest(dir)));
            assertThat(value(metrics, "sqlite_backup_last_backup_duration_seconds")).isPositive().isLessThan(60);
            assertThat(value(metrics, "sqlite_backup_last_success_timestamp_seconds"))
                    .isBetween(now.getEpochSecond() - 60.0, now.getEpochSecond() + 1.0);
            assertThat(value(metrics, "sqlite_backup_next_run_timestamp_seconds"))
                    .isBetween(now.getEpochSecond() - 4.0, now.getEpochSecond() + 4.0);
            Path scraped = home.resolve("scraped.prom");
            Files.writeString(scraped, metrics);
            promtool(scraped);

            JarProcess.Result stopped = daemon.terminate();
            assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
            assertThat(stopped.out()).contains("serving metrics on http://127.0.0.1:" + port + "/metrics");
        }
        // the port is free again once the daemon is gone
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.isBound()).isTrue();
        }
    }

    @Test
    void daemon_onAPortInUse_exits1_withOneLine_beforeAnythingStarts() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 10);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JarProcess.Result result = new JarProcess(home).env("DATABASE_URL", db.toString())
                    .env("METRICS_ADDRESS", "127.0.0.1:" + taken.getLocalPort()).run("daemon");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.err().strip()).startsWith("sqlite-backup: cannot serve metrics on METRICS_ADDRESS "
                    + "127.0.0.1:" + taken.getLocalPort() + ": ").doesNotContain("\n");
            assertThat(home.resolve("backups")).doesNotExist();
        }
        JarProcess.Result bad = new JarProcess(home).env("DATABASE_URL", db.toString())
                .env("METRICS_ADDRESS", "localhost").run("daemon");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err().strip()).contains("METRICS_ADDRESS").contains("must be [host:]port")
                .doesNotContain("\n");
    }

    @Test
    void run_writesTheTextfile_forEveryDatabase_whateverTheOutcome_replacingItWhole() throws Exception {
        Path a = home.resolve("a.db");
        Path b = home.resolve("b.db");
        Sqlite.createNotes(a, 100);
        Sqlite.createNotes(b, 100);
        Path collector = Files.createDirectories(home.resolve("textfile-collector"));
        Path prom = collector.resolve("sqlite_backup.prom");
        Path config = home.resolve("sb.yml");
        Files.writeString(config, "metrics:\n  textfile: " + prom + "\ndefaults:\n  backup_root: "
                + home.resolve("backups") + "\ndatabases:\n  - name: a\n    path: " + a + "\n  - name: b\n    path: "
                + b + "\n  - name: gone\n    path: " + home.resolve("gone.db") + "\n");

        JarProcess.Result first = new JarProcess(home).run("run", "--config", config.toString());
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(1); // gone.db does not exist
        String written = Files.readString(prom, StandardCharsets.UTF_8);
        assertThat(written).contains("sqlite_backup_runs_total{database=\"a\"} 1.0")
                .contains("sqlite_backup_failures_total{database=\"a\"} 0.0")
                .contains("sqlite_backup_runs_total{database=\"gone\"} 1.0")
                .contains("sqlite_backup_failures_total{database=\"gone\"} 1.0")
                .contains("sqlite_backup_local_backups{database=\"b\"} 1.0")
                .contains("sqlite_backup_last_run_success{database=\"b\"} 1.0")
                .contains("sqlite_backup_last_run_success{database=\"gone\"} 0.0")
                .doesNotContain("jvm_");
        assertThat(value(written, "sqlite_backup_last_backup_bytes{database=\"a\"}"))
                .isEqualTo((double) Files.size(newest(home.resolve("backups").resolve("a"))));
        assertThat(Files.getPosixFilePermissions(prom)).contains(PosixFilePermission.OTHERS_READ);
        promtool(prom);
        Object inode = Files.getAttribute(prom, "unix:ino");

        JarProcess.Result second = new JarProcess(home).run("run", "--config", config.toString(), "--db", "a");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        String rewritten = Files.readString(prom, StandardCharsets.UTF_8);
        // a new file renamed over the old one (a reader holding the old one reads it whole), no temporary file left
        assertThat(Files.getAttribute(prom, "unix:ino")).isNotEqualTo(inode);
        assertThat(rewritten).contains("sqlite_backup_local_backups{database=\"a\"} 2.0")
                .doesNotContain("database=\"b\"");
        try (Stream<Path> left = Files.list(collector)) {
            assertThat(left).containsExactly(prom);
        }
        promtool(prom);
        // the one database of the environment: METRICS_TEXTFILE, its file name as the label
        Path single = collector.resolve("single.prom");
        JarProcess.Result env = new JarProcess(home).env("DATABASE_URL", a.toString())
                .env("METRICS_TEXTFILE", single.toString()).run("run");
        assertThat(env.exitCode()).as(env.toString()).isZero();
        assertThat(Files.readString(single)).contains("sqlite_backup_runs_total{database=\"a.db\"} 1.0")
                .contains("sqlite_backup_last_run_success{database=\"a.db\"} 1.0");
        promtool(single);
    }

    private static Path newest(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("backup-.*\\.db")).sorted()
                    .reduce((x, y) -> y).orElseThrow();
        }
    }

    /** The value of the first sample of {@code name} (with or without labels). */
    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(name + " in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(2));
    }

    private static String awaitMetrics(JarDaemon daemon, int port, String expected) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (true) {
            if (!daemon.isAlive()) {
                throw new AssertionError("the daemon exited early\n" + daemon.out() + daemon.err());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
                last = response.body();
                if (last.contains(expected)) {
                    return last;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + expected + "\n" + last + daemon.out()
                        + daemon.err());
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void promtool(Path file) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(said).isZero();
        assertThat(said).as("promtool check metrics").isEmpty();
    }
}
