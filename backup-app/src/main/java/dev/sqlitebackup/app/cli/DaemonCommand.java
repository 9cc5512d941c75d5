package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.Settings;
import dev.sqlitebackup.app.daemon.BackupDaemon;
import dev.sqlitebackup.app.daemon.DaemonSettings;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;
import dev.sqlitebackup.app.config.Installation;
import dev.sqlitebackup.app.metrics.BackupMetrics;
import dev.sqlitebackup.app.metrics.MetricsAddress;
import dev.sqlitebackup.app.metrics.MetricsServer;
import dev.sqlitebackup.domain.model.RunResult;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code daemon}: scheduled backups until SIGTERM or SIGINT. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Back up on a schedule (BACKUP_SCHEDULE, default daily at 03:00) until stopped with SIGTERM "
                + "or SIGINT. At start, one catch-up backup runs at once when the schedule's last fire time has no "
                + "successful backup after it. A failed run is retried (BACKUP_RETRY_ATTEMPTS, BACKUP_RETRY_DELAY, "
                + "doubling). On SIGTERM a running backup may finish (BACKUP_SHUTDOWN_GRACE), then exit 0.",
                "With METRICS_ADDRESS, serves Prometheus metrics on /metrics.",
                "Exit 1 when another daemon has this backup dir or METRICS_ADDRESS cannot be listened on; 2 for a bad "
                        + "setting, before anything starts."})
public final class DaemonCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Option(names = "--schedule", paramLabel = "CRON",
            description = "Quartz cron (seconds first, e.g. '0 0 3 * * ?') or 5-field cron ('0 3 * * *') "
                    + "(BACKUP_SCHEDULE).")
    String schedule;

    public DaemonCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Configuration.Flag> flags = new LinkedHashMap<>();
        CommonOptions.put(flags, Settings.BACKUP_SCHEDULE, schedule);
        Configuration config = common.configuration(context.env(), flags);
        // Every setting is read now: a bad one is a one-line error and exit 2 before anything starts.
        RunBackupUseCase.Command backup = config.backupCommand(SnapshotProgress.NONE);
        DaemonSettings settings = new DaemonSettings(config.schedule(), config.retryPlan(), config.shutdownGrace(),
                backup, config.backupDir());
        config.stateDb();
        UseCases useCases = context.useCases();
        BackupDaemon daemon = new BackupDaemon(useCases.runBackup(config), useCases.checkStatus(config), settings,
                useCases.holdDaemonLock(config), context.out(), context.err(), context.clock());
        Optional<MetricsServer> metrics = serveMetrics(config, useCases, daemon);
        if (metrics.isEmpty() && config.given(Settings.METRICS_ADDRESS).isPresent()) {
            return ExitCodes.FAILED;
        }
        try {
            daemon.start();
        } catch (RuntimeException e) {
            metrics.ifPresent(MetricsServer::close);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop();
            metrics.ifPresent(MetricsServer::close);
            context.out().flush();
            context.err().flush();
            stopped.countDown();
            // A stop on request is a success: without this the JVM would report the signal (143 for SIGTERM).
            Runtime.getRuntime().halt(ExitCodes.OK);
        }, "sqlite-backup-stop"));
        // The shutdown hook ends the process; this thread only keeps it alive until then.
        while (!stopped.await(Duration.ofDays(1).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            context.out().flush();
        }
        return ExitCodes.OK;
    }

    /**
     * With {@code METRICS_ADDRESS}, serves the database's metrics on {@code /metrics} and has the daemon record each
     * run in them; empty without one, or when it cannot listen (said in one line on stderr).
     */
    private Optional<MetricsServer> serveMetrics(Configuration config, UseCases useCases, BackupDaemon daemon) {
        Optional<MetricsAddress> address = config.given(Settings.METRICS_ADDRESS);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        String name = Installation.singleName(config);
        BackupMetrics metrics = new BackupMetrics(true);
        metrics.watch(name, useCases.checkStatus(config));
        daemon.observe(new BackupDaemon.RunObserver() {
            @Override
            public void succeeded(RunResult result) {
                metrics.recordRun(name, result);
            }

            @Override
            public void failed() {
                metrics.recordFailure(name, context.clock().instant());
            }

            @Override
            public void nextRun(Optional<Instant> at) {
                metrics.nextRun(name, at);
            }
        });
        try {
            MetricsServer server = MetricsServer.start(metrics, address.get());
            context.out().println("serving metrics on http://" + address.get() + "/metrics");
            context.out().flush();
            return Optional.of(server);
        } catch (java.io.UncheckedIOException e) {
            context.err().println("sqlite-backup: " + e.getCause().getMessage());
            context.err().flush();
            return Optional.empty();
        }
    }
}
