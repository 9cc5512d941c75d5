package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfiguredDatabase;
import dev.sqlitebackup.app.config.Installation;
import dev.sqlitebackup.app.config.Settings;
import dev.sqlitebackup.app.daemon.BackupDaemon;
import dev.sqlitebackup.app.daemon.DaemonPool;
import dev.sqlitebackup.app.daemon.DaemonSettings;
import dev.sqlitebackup.app.daemon.ScheduleSummaries;
import dev.sqlitebackup.app.logging.LogFormat;
import dev.sqlitebackup.app.metrics.BackupMetrics;
import dev.sqlitebackup.app.metrics.MetricsAddress;
import dev.sqlitebackup.app.metrics.MetricsServer;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.quartz.SchedulerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code daemon}: scheduled backups until SIGTERM or SIGINT. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Back up on a schedule (BACKUP_SCHEDULE, default daily at 03:00) until stopped with SIGTERM "
                + "or SIGINT. At start, one catch-up backup runs at once when the schedule's last fire time has no "
                + "successful backup after it. A failed run is retried (BACKUP_RETRY_ATTEMPTS, BACKUP_RETRY_DELAY, "
                + "doubling). Restore drills run on DRILL_SCHEDULE (default Sunday 04:00; never turns them off). "
                + "On SIGTERM a running backup may finish (BACKUP_SHUTDOWN_GRACE), then exit 0.",
                "With a config of many databases each has its own schedule, retries, catch-up and drills, "
                        + "BACKUP_PARALLELISM backups at a time; globs are expanded again every minute.",
                "With METRICS_ADDRESS, serves Prometheus metrics on /metrics.",
                "Exit 1 when another daemon has a backup dir or METRICS_ADDRESS cannot be listened on; 2 for a bad "
                        + "setting, before anything starts."})
public final class DaemonCommand implements Callable<Integer> {

    /** How often a config of many databases is read again for tenants added or gone (and after each run). */
    static final Duration RESCAN = Duration.ofMinutes(1);

    /** The metrics of the daemon of many databases (new databases are added as they appear). */
    private BackupMetrics metrics;
    private Optional<MetricsServer> server = Optional.empty();

    /** What the daemons of many databases tell about their scheduled runs (set once they are made). */
    private BackupDaemon.RunListener listener = BackupDaemon.RunListener.NONE;

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

    private Map<String, Configuration.Flag> flags() {
        Map<String, Configuration.Flag> flags = new LinkedHashMap<>();
        CommonOptions.put(flags, Settings.BACKUP_SCHEDULE, schedule);
        return flags;
    }

    @Override
    public Integer call() throws InterruptedException {
        Installation installation = common.installation(context.env(), flags());
        List<ConfiguredDatabase> selected = installation.select(common.databaseNames());
        if (selected.size() == 1 && !installation.many()) {
            return lone(selected.get(0).configuration());
        }
        return many(installation, selected);
    }

    /** The daemon of one database, as before there were many: its own scheduler, its notifications its own. */
    private int lone(Configuration config) throws InterruptedException {
        BackupDaemon daemon = unit(config, "", Optional.empty(), BackupDaemon.RunListener.NONE);
        Optional<MetricsAddress> address = config.given(Settings.METRICS_ADDRESS);
        BackupMetrics metrics = new BackupMetrics(true);
        watch(metrics, Installation.singleName(config), config, daemon);
        Optional<MetricsServer> server = serve(metrics, address);
        if (address.isPresent() && server.isEmpty()) {
            return ExitCodes.FAILED;
        }
        return untilStopped(() -> {
            try {
                daemon.start();
            } catch (RuntimeException e) {
                server.ifPresent(MetricsServer::close);
                throw e;
            }
        }, () -> {
            boolean finished = daemon.stop();
            server.ifPresent(MetricsServer::close);
            return finished;
        });
    }

    /** {@code name}'s status read at each scrape, and the daemon's runs and next run told to the metrics. */
    private void watch(BackupMetrics metrics, String name, Configuration config, BackupDaemon daemon) {
        metrics.watch(name, context.useCases().checkStatus(config));
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
    }

    /**
     * With {@code METRICS_ADDRESS}, serves {@code metrics} on {@code /metrics}; empty without one, or when it cannot
     * listen (said in one line on stderr; the daemon then exits 1 before taking any lock).
     */
    private Optional<MetricsServer> serve(BackupMetrics metrics, Optional<MetricsAddress> address) {
        if (address.isEmpty()) {
            return Optional.empty();
        }
        try {
            MetricsServer server = MetricsServer.start(metrics, address.get());
            say("serving metrics on http://" + address.get() + "/metrics");
            return Optional.of(server);
        } catch (java.io.UncheckedIOException e) {
            context.err().println("sqlite-backup: " + e.getCause().getMessage());
            context.err().flush();
            return Optional.empty();
        }
    }

    /** Everything a database's daemon needs, every setting read now: a bad one stops the start (exit 2). */
    private BackupDaemon unit(Configuration config, String name, Optional<DaemonPool> pool,
            BackupDaemon.RunListener listener) {
        RunBackupUseCase.Command backup = config.backupCommand(SnapshotProgress.NONE);
        DaemonSettings settings = new DaemonSettings(config.schedule(), config.retryPlan(), config.shutdownGrace(),
                backup, config.backupDir());
        config.stateDb();
        UseCases useCases = context.useCases();
        Optional<BackupDaemon.Drills> drills = config.drillSchedule().map(at -> new BackupDaemon.Drills(
                useCases.drill(config), at, config.assertions()));
        return new BackupDaemon(useCases.runBackup(config), useCases.checkStatus(config), settings,
                useCases.holdDaemonLock(config), context.out(), context.err(), context.clock(), name, pool, listener,
                drills);
    }

    /**
     * The daemons of many databases on one scheduler: each with its own schedule, retries, catch-up, drills and
     * folder lock; the successes of a run of a shared schedule told in one summary. The config is read again every
     * {@link #RESCAN}: a database that appeared is started (its catch-up backs it up at once), one that is gone is
     * stopped, its backups untouched.
     */
    private int many(Installation installation, List<ConfiguredDatabase> selected) throws InterruptedException {
        Map<String, ConfiguredDatabase> known = new ConcurrentHashMap<>();
        gone = installation.gone(common.databaseNames());
        ScheduleSummaries summaries = new ScheduleSummaries((outcomes, finished, took) ->
                context.useCases().notifySummaries(outcomes.stream().filter(o -> known.containsKey(o.name()))
                        .map(o -> new UseCases.DatabaseOutcome(o.name(), known.get(o.name()).configuration(),
                                o.succeeded(), o.sizeBytes())).toList(), gone, finished, took),
                context.clock());
        DaemonPool pool = new DaemonPool(installation.parallelism());
        metrics = new BackupMetrics(true);
        Map<String, BackupDaemon> units = new ConcurrentHashMap<>();
        ScheduledExecutorService rescans = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sqlite-backup-rescan");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicBoolean rescanDue = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable rescan = () -> {
            rescanDue.set(false);
            rescan(pool, summaries, units, known);
        };
        // globs are expanded at every run of the schedule: each scheduled run asks for one reading (at most one due)
        BackupDaemon.RunListener listener = (name, schedule, fireTime, succeeded, size) -> {
            summaries.scheduledRunEnded(name, schedule, fireTime, succeeded, size);
            if (rescanDue.compareAndSet(false, true)) {
                rescans.execute(rescan);
            }
        };
        this.listener = listener;
        // every database's settings first: one bad setting stops the start before any lock is taken
        List<BackupDaemon> made = new ArrayList<>();
        for (ConfiguredDatabase db : selected) {
            BackupDaemon unit = unit(db.configuration(), db.name(), Optional.of(pool), listener);
            watch(metrics, db.name(), db.configuration(), unit);
            made.add(unit);
        }
        Optional<MetricsAddress> address = installation.metricsAddress();
        Optional<MetricsServer> server = serve(metrics, address);
        if (address.isPresent() && server.isEmpty()) {
            pool.shutDown();
            return ExitCodes.FAILED;
        }
        this.server = server;
        return untilStopped(() -> {
            try {
                for (int i = 0; i < made.size(); i++) {
                    ConfiguredDatabase db = selected.get(i);
                    made.get(i).start();
                    known.put(db.name(), db);
                    units.put(db.name(), made.get(i));
                    summaries.member(db.name(), db.configuration().schedule());
                }
                pool.start();
            } catch (RuntimeException | SchedulerException e) {
                units.values().forEach(BackupDaemon::stop);
                pool.shutDown();
                server.ifPresent(MetricsServer::close);
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("could not start the scheduler: " + e.getMessage(), e);
            }
            say("sqlite-backup daemon started for " + units.size() + " databases, " + installation.parallelism()
                    + " backups at a time");
            rescans.scheduleWithFixedDelay(rescan, RESCAN.toMillis(), RESCAN.toMillis(), TimeUnit.MILLISECONDS);
        }, () -> {
            rescans.shutdownNow();
            pool.standby();
            List<Thread> stopping = new ArrayList<>();
            for (BackupDaemon unit : units.values()) {
                Thread t = new Thread(unit::stop, "sqlite-backup-stop-" + unit.name());
                t.start();
                stopping.add(t);
            }
            for (Thread t : stopping) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            summaries.flush();
            pool.shutDown();
            server.ifPresent(MetricsServer::close);
            say("sqlite-backup daemon stopped");
            return true;
        });
    }

    /** The databases whose source is gone, as the config was read last: each summary names them. */
    private volatile List<String> gone = List.of();

    /** The config read again: new databases started, gone ones stopped; a problem is said, never fatal. */
    private synchronized void rescan(DaemonPool pool, ScheduleSummaries summaries, Map<String, BackupDaemon> units,
            Map<String, ConfiguredDatabase> known) {
        try {
            Installation now = common.installation(context.env(), flags());
            List<ConfiguredDatabase> selected = now.select(common.databaseNames());
            gone = now.gone(common.databaseNames());
            List<String> names = selected.stream().map(ConfiguredDatabase::name).toList();
            for (ConfiguredDatabase db : selected) {
                if (units.containsKey(db.name())) {
                    continue;
                }
                try {
                    BackupDaemon unit = unit(db.configuration(), db.name(), Optional.of(pool), listener);
                    watch(metrics, db.name(), db.configuration(), unit);
                    known.put(db.name(), db);
                    summaries.member(db.name(), db.configuration().schedule());
                    unit.start();
                    units.put(db.name(), unit);
                    say("database " + db.name() + " (" + db.configuration().database() + ") is new: scheduled");
                } catch (RuntimeException e) {
                    summaries.remove(db.name());
                    complain("database " + db.name() + " not scheduled: " + SqliteBackupCli.failureLine(e));
                }
            }
            for (String name : List.copyOf(units.keySet())) {
                if (!names.contains(name)) {
                    BackupDaemon gone = units.remove(name);
                    summaries.remove(name);
                    gone.stop();
                    say("database " + name + " is no longer configured or its file is gone: not scheduled any "
                            + "more; its backups are kept");
                }
            }
        } catch (RuntimeException e) {
            complain("could not read the config again: " + SqliteBackupCli.failureLine(e));
        }
    }

    /**
     * Runs {@code start}, then runs until SIGTERM/SIGINT, when {@code stop} runs; then exit 0 (a stop on request is a
     * success). The stop is in place before the start and waits for it to end: a signal while starting (a catch-up
     * backup may already be running) still stops with grace instead of killing the process. After a failed start,
     * which cleans up after itself, a signal has nothing to stop.
     */
    private int untilStopped(Runnable start, java.util.function.BooleanSupplier stop) throws InterruptedException {
        Object starting = new Object();
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            synchronized (starting) {
                if (!started.get()) {
                    return;
                }
            }
            stop.getAsBoolean();
            context.out().flush();
            context.err().flush();
            stopped.countDown();
            // A stop on request is a success: without this the JVM would report the signal (143 for SIGTERM).
            Runtime.getRuntime().halt(ExitCodes.OK);
        }, "sqlite-backup-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        synchronized (starting) {
            try {
                start.run();
            } catch (RuntimeException e) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already going down: the hook runs, sees no start, and stops nothing
                }
                throw e;
            }
            started.set(true);
        }
        // The shutdown hook ends the process; this thread only keeps it alive until then.
        while (!stopped.await(Duration.ofDays(1).toMillis(), TimeUnit.MILLISECONDS)) {
            context.out().flush();
        }
        return ExitCodes.OK;
    }

    private void say(String line) {
        java.time.Instant now = context.clock().instant();
        synchronized (context.out()) {
            context.out().println(LogFormat.line(now, java.time.ZoneId.systemDefault(),
                    false, line));
            context.out().flush();
        }
    }

    private void complain(String line) {
        java.time.Instant now = context.clock().instant();
        synchronized (context.err()) {
            context.err().println(LogFormat.line(now, java.time.ZoneId.systemDefault(),
                    true, line));
            context.err().flush();
        }
    }
}
