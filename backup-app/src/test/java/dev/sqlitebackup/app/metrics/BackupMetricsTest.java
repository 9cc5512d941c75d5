package dev.sqlitebackup.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.BackupStatus;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.model.SourceDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupMetricsTest {

    private static final Instant SUCCESS = Instant.parse("2026-07-01T03:00:05Z");
    private static final Instant FAILED_RUN = Instant.parse("2026-07-02T03:00:00Z");

    @TempDir
    Path dir;

    private static BackupStatus status(int count, long bytes, boolean lastFailed) {
        RunRecord last = lastFailed
                ? RunRecord.started(2, RunTrigger.SCHEDULED, FAILED_RUN).ended(FAILED_RUN.plusSeconds(1),
                        RunRecord.Outcome.FAILED, Optional.empty(), Optional.empty(), Optional.of("disk full"))
                : RunRecord.started(1, RunTrigger.SCHEDULED, SUCCESS.minusSeconds(5)).ended(SUCCESS,
                        RunRecord.Outcome.SUCCESS, Optional.empty(), Optional.empty(), Optional.empty());
        return new BackupStatus(Optional.of(SUCCESS), Optional.of(BackupName.at(SUCCESS)), Optional.of(last), count,
                bytes, Optional.empty(), List.of(), List.of(), Optional.empty());
    }

    private static RunResult result(long size, Duration took) {
        BackupName name = BackupName.at(SUCCESS);
        return new RunResult(new SourceDatabase(Path.of("/srv/app.db"), size),
                new Backup(name, size, Optional.of("ab".repeat(32))), Path.of("/backups", name.value()),
                SUCCESS, took, new RetentionPlan(List.of(new RetentionPlan.Keep(name, List.of("last")))), 0,
                Optional.empty(), Optional.empty());
    }

    private static String text(BackupMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void statusIsReadAtEachScrape_runsAreCounted_perDatabase() throws IOException {
        AtomicReference<BackupStatus> app = new AtomicReference<>(status(3, 3000, false));
        BackupMetrics metrics = new BackupMetrics(false);
        metrics.watch("app", app::get);
        metrics.watch("crm", () -> status(1, 10, true));
        metrics.recordRun("app", result(1234, Duration.ofMillis(2500)));
        metrics.recordFailure("crm", FAILED_RUN.minusSeconds(3600));
        metrics.nextRun("app", Optional.of(Instant.parse("2026-07-03T03:00:00Z")));

        String first = text(metrics);
        assertThat(first).contains("sqlite_backup_last_success_timestamp_seconds{database=\"app\"} 1.782874805E9")
                .contains("sqlite_backup_last_run_success{database=\"app\"} 1.0")
                .contains("sqlite_backup_last_run_success{database=\"crm\"} 0.0")
                .contains("sqlite_backup_last_run_timestamp_seconds{database=\"crm\"} 1.7829612E9")
                .contains("sqlite_backup_local_backups{database=\"app\"} 3.0")
                .contains("sqlite_backup_local_backups_bytes{database=\"app\"} 3000.0")
                .contains("sqlite_backup_last_backup_bytes{database=\"app\"} 1234.0")
                .contains("sqlite_backup_last_backup_duration_seconds{database=\"app\"} 2.5")
                .contains("sqlite_backup_runs_total{database=\"app\"} 1.0")
                .contains("sqlite_backup_failures_total{database=\"app\"} 0.0")
                .contains("sqlite_backup_runs_total{database=\"crm\"} 1.0")
                .contains("sqlite_backup_failures_total{database=\"crm\"} 1.0")
                .contains("sqlite_backup_next_run_timestamp_seconds{database=\"app\"} 1.7830476E9")
                .doesNotContain("jvm_");

        // the folder changed since (another process backed up): the next scrape says so
        app.set(status(4, 4500, false));
        assertThat(text(metrics)).contains("sqlite_backup_local_backups{database=\"app\"} 4.0")
                .contains("sqlite_backup_local_backups_bytes{database=\"app\"} 4500.0");
    }

    @Test
    void jvmBasics_onlyWhenAsked() throws IOException {
        assertThat(text(new BackupMetrics(true))).contains("jvm_memory_used_bytes").contains("jvm_threads_current");
    }

    @Test
    void textfile_isValidForPromtool_andReplacedWhole() throws Exception {
        BackupMetrics metrics = new BackupMetrics(false);
        metrics.watch("app", () -> status(2, 200, false));
        metrics.recordRun("app", result(100, Duration.ofSeconds(1)));
        Path file = dir.resolve("sqlite_backup.prom");
        Files.writeString(file, "old content\n");
        metrics.writeTextfile(file);
        String written = Files.readString(file);
        assertThat(written).isEqualTo(text(metrics));
        assertThat(promtool(file)).isEqualTo(0);
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void textfile_inAMissingFolder_fails_andLeavesNothing() {
        BackupMetrics metrics = new BackupMetrics(false);
        assertThatThrownBy(() -> metrics.writeTextfile(dir.resolve("no-such").resolve("m.prom")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void address_parses_hostOptional_andRefusesBadOnes() {
        assertThat(MetricsAddress.parse("127.0.0.1:9464")).isEqualTo(new MetricsAddress(Optional.of("127.0.0.1"),
                9464));
        assertThat(MetricsAddress.parse(":9464").host()).isEmpty();
        assertThat(MetricsAddress.parse("9464").host()).isEmpty();
        assertThat(MetricsAddress.parse("[::1]:9464")).hasToString("[::1]:9464");
        assertThatThrownBy(() -> MetricsAddress.parse("localhost")).hasMessageContaining("must be [host:]port");
        assertThatThrownBy(() -> MetricsAddress.parse("::1:9464")).hasMessageContaining("IPv6 host in brackets");
        assertThatThrownBy(() -> MetricsAddress.parse("host:70000")).hasMessageContaining("from 1 to 65535");
    }

    @Test
    void server_onAnUnknownHost_failsWithOneLine() {
        assertThatThrownBy(() -> MetricsServer.start(new BackupMetrics(false),
                MetricsAddress.parse("no-such-host.invalid:9464")))
                .hasMessageEndingWith("cannot serve metrics on METRICS_ADDRESS no-such-host.invalid:9464: unknown host "
                        + "no-such-host.invalid");
    }

    @Test
    void server_servesTheMetrics_andFreesThePortWhenClosed() throws Exception {
        BackupMetrics metrics = new BackupMetrics(false);
        metrics.watch("app", () -> status(1, 1, false));
        int port;
        try (MetricsServer server = MetricsServer.start(metrics, MetricsAddress.parse("127.0.0.1:" + freePort()))) {
            port = server.port();
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(text(metrics));
        }
        try (java.net.ServerSocket again = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Prometheus's own check of the exposition format ({@code promtool check metrics}, Debian's prometheus). */
    static int promtool(Path file) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(said).as("promtool check metrics").isEmpty();
        return p.exitValue();
    }
}
