package dev.sqlitebackup.app.metrics;

import dev.sqlitebackup.domain.model.BackupStatus;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.port.in.CheckStatusUseCase;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Prometheus metrics of sqlite-backup, labelled by database (its name in the config). Where the backups stand
 * (last success, last run and its outcome, local backups) is read when scraped, from each database's
 * {@link CheckStatusUseCase}: the activity log and the backup folder are the truth, whoever ran the backup. What only
 * a run knows (its duration and size, the off-site copies it counted, the runs of this process, the next scheduled
 * run) is recorded by {@link #recordRun}, {@link #recordFailure} and {@link #nextRun}.
 */
public final class BackupMetrics {

    static final String LABEL = "database";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, Supplier<BackupStatus>> databases = new ConcurrentHashMap<>();
    private final Map<String, OwnRun> ownLastRun = new ConcurrentHashMap<>();
    private final Gauge lastDuration;
    private final Gauge lastSize;
    private final Gauge remoteCount;
    private final Gauge lastRemoteSize;
    private final Gauge nextRun;
    private final Counter runs;
    private final Counter failures;

    /** @param jvm whether to add the JVM's basics (memory, threads, GC, uptime): for a long-lived process */
    public BackupMetrics(boolean jvm) {
        GaugeWithCallback.builder().name("sqlite_backup_last_success_timestamp_seconds")
                .help("When the last successful backup finished (activity log, or the newest backup), Unix time")
                .labelNames(LABEL).callback(cb -> each((db, s) -> s.lastSuccessAt()
                        .ifPresent(at -> cb.call(seconds(at), db)))).register(registry);
        GaugeWithCallback.builder().name("sqlite_backup_last_run_success")
                .help("Whether the last finished run succeeded (1) or failed (0)")
                .labelNames(LABEL).callback(cb -> each((db, s) -> lastRun(db, s)
                        .ifPresent(r -> cb.call(r.succeeded() ? 1 : 0, db)))).register(registry);
        GaugeWithCallback.builder().name("sqlite_backup_last_run_timestamp_seconds")
                .help("When the last run started, Unix time")
                .labelNames(LABEL).callback(cb -> each((db, s) -> lastRun(db, s)
                        .ifPresent(r -> cb.call(seconds(r.startedAt()), db)))).register(registry);
        GaugeWithCallback.builder().name("sqlite_backup_local_backups")
                .help("Number of backups in the local backup folder")
                .labelNames(LABEL).callback(cb -> each((db, s) -> cb.call(s.backupCount(), db))).register(registry);
        GaugeWithCallback.builder().name("sqlite_backup_local_backups_bytes")
                .help("Total size of the backups in the local backup folder")
                .labelNames(LABEL).callback(cb -> each((db, s) -> cb.call(s.totalBytes(), db))).register(registry);
        lastDuration = Gauge.builder().name("sqlite_backup_last_backup_duration_seconds")
                .help("How long the last backup of this process took (copy, check, checksum, publish)")
                .labelNames(LABEL).register(registry);
        lastSize = Gauge.builder().name("sqlite_backup_last_backup_bytes")
                .help("Size of the last backup this process made").labelNames(LABEL).register(registry);
        remoteCount = Gauge.builder().name("sqlite_backup_remote_backups")
                .help("Number of off-site backups after the last off-site copy of this process (remote retention)")
                .labelNames(LABEL).register(registry);
        lastRemoteSize = Gauge.builder().name("sqlite_backup_last_remote_copy_bytes")
                .help("Size of the last off-site copy this process made (compressed, encrypted)")
                .labelNames(LABEL).register(registry);
        nextRun = Gauge.builder().name("sqlite_backup_next_run_timestamp_seconds")
                .help("When the daemon runs the next backup, Unix time").labelNames(LABEL).register(registry);
        runs = Counter.builder().name("sqlite_backup_runs_total").help("Backup runs of this process")
                .labelNames(LABEL).register(registry);
        failures = Counter.builder().name("sqlite_backup_failures_total").help("Failed backup runs of this process")
                .labelNames(LABEL).register(registry);
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
    }

    /** Adds a database: its status is read through {@code status} at every scrape; its counters start at 0. */
    public void watch(String database, CheckStatusUseCase status) {
        databases.put(database, status::status);
        runs.labelValues(database);
        failures.labelValues(database);
    }

    /** A run of {@code database} succeeded with {@code result}. */
    public void recordRun(String database, RunResult result) {
        ownLastRun.put(database, new OwnRun(result.startedAt(), true));
        runs.labelValues(database).inc();
        lastDuration.labelValues(database).set(result.duration().toNanos() / 1e9);
        lastSize.labelValues(database).set(result.backup().sizeBytes());
        result.remote().ifPresent(copy -> lastRemoteSize.labelValues(database).set(copy.sizeBytes()));
        result.remoteRetention().ifPresent(plan -> remoteCount.labelValues(database).set(plan.kept().size()));
    }

    /** A run of {@code database} that started at {@code startedAt} failed (or was refused). */
    public void recordFailure(String database, Instant startedAt) {
        ownLastRun.put(database, new OwnRun(startedAt, false));
        runs.labelValues(database).inc();
        failures.labelValues(database).inc();
    }

    /** When the daemon runs {@code database} next; empty: never (the schedule has no further time). */
    public void nextRun(String database, Optional<Instant> at) {
        if (at.isPresent()) {
            nextRun.labelValues(database).set(seconds(at.get()));
        } else {
            nextRun.remove(database);
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Every metric in the Prometheus text format (version 0.0.4), as {@code /metrics} serves it. */
    public void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }

    /**
     * Writes every metric to {@code file} for node_exporter's textfile collector: into a temporary file in the same
     * folder, forced to disk, then renamed over {@code file}, so a reader sees the old file or the new one, never a
     * part.
     */
    public void writeTextfile(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                write(java.nio.channels.Channels.newOutputStream(channel));
                channel.force(true);
            }
            // readable by node_exporter, which seldom runs as the user of the backup
            temp.toFile().setReadable(true, false);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A run this process made, for a database whose activity log cannot have it (its folder never made). */
    private record OwnRun(Instant startedAt, boolean succeeded) {
    }

    /**
     * The last finished run: the activity log's, unless this process ran one later that the log does not have (a run
     * that failed before its backup folder existed has no log to be recorded in).
     */
    private Optional<OwnRun> lastRun(String database, BackupStatus status) {
        Optional<OwnRun> logged = status.lastRun().filter(r -> r.outcome().isPresent())
                .map(r -> new OwnRun(r.startedAt(), r.succeeded()));
        Optional<OwnRun> own = Optional.ofNullable(ownLastRun.get(database));
        if (own.isPresent() && (logged.isEmpty() || own.get().startedAt().isAfter(logged.get().startedAt()))) {
            return own;
        }
        return logged;
    }

    private void each(java.util.function.BiConsumer<String, BackupStatus> action) {
        databases.forEach((db, status) -> action.accept(db, status.get()));
    }

    private static double seconds(Instant at) {
        return at.getEpochSecond() + at.getNano() / 1e9;
    }
}
