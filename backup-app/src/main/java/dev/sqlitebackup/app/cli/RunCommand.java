package dev.sqlitebackup.app.cli;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfigurationException;
import dev.sqlitebackup.app.config.Settings;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.OffsiteCopyFailedException;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.app.config.ConfiguredDatabase;
import dev.sqlitebackup.app.config.Installation;
import dev.sqlitebackup.app.metrics.BackupMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: one verified backup now, then retention. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Take one consistent, verified backup now, then apply the retention policy.")
public final class RunCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Option(names = "--no-vacuum",
            description = "Copy page for page with the online backup API instead of compacting with VACUUM INTO "
                    + "(BACKUP_VACUUM=false).")
    boolean noVacuum;

    @Option(names = "--verify", paramLabel = "quick|full",
            description = "quick_check (default) or the slower, full integrity_check of the copy (BACKUP_VERIFY).")
    String verify;

    @Option(names = "--no-drive", description = "Do not copy this backup to Google Drive (DRIVE_ENABLED=false).")
    boolean noDrive;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
            description = "When another backup of this folder is running, wait up to this long (e.g. 30s, 10m) "
                    + "before giving up; default 0.")
    Duration waitFor;

    @Option(names = "--json", description = "Print the result as JSON (docs/json.md).")
    boolean json;

    public RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Map<String, Configuration.Flag> flags = new LinkedHashMap<>();
        CommonOptions.put(flags, Settings.BACKUP_VACUUM, noVacuum ? "false" : null);
        CommonOptions.put(flags, Settings.BACKUP_VERIFY, verify);
        CommonOptions.put(flags, Settings.DRIVE_ENABLED, noDrive ? "false" : null);
        Installation installation = common.installation(context.env(), flags);
        List<ConfiguredDatabase> selected = installation.select(common.commandName(), common.databaseNames());
        Optional<java.nio.file.Path> textfile = installation.metricsTextfile();
        if (textfile.isPresent()) {
            metrics = new BackupMetrics(false);
            for (ConfiguredDatabase db : selected) {
                try {
                    metrics.watch(db.name(), context.useCases().checkStatus(db.configuration()));
                } catch (ConfigurationException | InvalidInputException unreadable) {
                    // its run fails on the same setting, says so and counts as a failure (no status to read)
                }
            }
        }
        try {
            return selected.size() != 1 ? runMany(selected, installation.parallelism(),
                    installation.gone(common.databaseNames())) : runOne(selected.get(0));
        } finally {
            textfile.ifPresent(this::writeMetrics);
        }
    }

    /** The metrics of this run's databases, for {@code METRICS_TEXTFILE}; null without one. */
    private volatile BackupMetrics metrics;

    /**
     * Writes the metrics of every database of the run, whatever their outcome; a file that cannot be written is a
     * warning, never a failed backup.
     */
    private void writeMetrics(java.nio.file.Path file) {
        try {
            metrics.writeTextfile(file);
        } catch (java.io.IOException | RuntimeException e) {
            context.err().println("sqlite-backup: warning: cannot write the metrics to METRICS_TEXTFILE " + file
                    + ": " + e.getMessage());
            context.err().flush();
        }
    }

    private void recordRun(String name, RunResult result) {
        if (metrics != null) {
            metrics.recordRun(name, result);
        }
    }

    private void recordFailure(String name, Instant startedAt) {
        if (metrics != null) {
            metrics.recordFailure(name, startedAt);
        }
    }

    private int runOne(ConfiguredDatabase db) {
        Instant started = context.clock().instant();
        Configuration config = db.configuration();
        TerminalProgress progress = context.interactive() ? new TerminalProgress(context.err()) : null;
        RunBackupUseCase.Command command;
        RunBackupUseCase useCase;
        java.time.Duration grace;
        try {
            command = config.backupCommand(progress == null ? SnapshotProgress.NONE : progress)
                    .waitingForLock(waitFor);
            useCase = context.useCases().runBackup(config);
            grace = config.shutdownGrace();
        } catch (ConfigurationException | InvalidInputException refused) {
            recordRefusal(config, refused);
            recordFailure(db.name(), started);
            throw refused;
        }
        Thread stopHook = stopHook(grace);
        try {
            return runAndReport(db.name(), useCase, command, progress);
        } finally {
            // what the run printed is out: a stop that came meanwhile may now end the process
            runEnded.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopHook);
            } catch (IllegalStateException stopping) {
                // a signal came: the hook is running and lets the process end now that the run has
            }
        }
    }

    private int runAndReport(String name, RunBackupUseCase useCase, RunBackupUseCase.Command command,
            TerminalProgress progress) {
        Instant started = context.clock().instant();
        RunResult result;
        try {
            result = useCase.run(command);
        } catch (OffsiteCopyFailedException e) {
            // the local backup is safe: say what was made before the one-line error (under --json, the error
            // document is the one output)
            recordFailure(name, started);
            if (!json) {
                printLocal(e.localResult(), command);
            }
            throw e;
        } catch (RuntimeException e) {
            recordFailure(name, started);
            throw e;
        } finally {
            if (progress != null) {
                progress.finish();
            }
        }
        recordRun(name, result);
        if (json) {
            Json.print(context.out(), toJson(result, command));
            return ExitCodes.OK;
        }
        printLocal(result, command);
        result.remote().ifPresent(remote -> context.out().printf("Copied to Drive: %s%s%n", remote.name(),
                remote.link().map(link -> " " + link).orElse(" (id " + remote.id() + ")")));
        result.remoteRetention().ifPresent(plan -> context.out().printf("Drive retention: %d kept, %d deleted%n",
                plan.kept().size(), plan.deleted().size()));
        context.out().flush();
        return ExitCodes.OK;
    }

    /**
     * Backs up {@code databases}, {@code parallelism} at a time, each on its own: one failing (its settings refused,
     * its source unreadable, its copy corrupt, anything unexpected) never stops the others. One line per database as
     * it ends, then a summary line; exit 1 when any failed or was not started because the process was stopped.
     */
    int runMany(List<ConfiguredDatabase> databases, int parallelism, List<String> gone) {
        Instant started = context.clock().instant();
        context.useCases().heartbeatsStarted(configurationsOf(databases));
        Thread stopHook = stopHook(longestGrace(databases));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, databases.size())),
                runner -> {
                    Thread t = new Thread(runner, "sqlite-backup-run-" + runners.incrementAndGet());
                    t.setDaemon(true); // a stop abandons, after the grace, what has not finished
                    return t;
                });
        try {
            List<Future<Optional<UseCases.DatabaseOutcome>>> pending = new ArrayList<>();
            for (ConfiguredDatabase db : databases) {
                pending.add(pool.submit(() -> backUpOne(db)));
            }
            List<UseCases.DatabaseOutcome> outcomes = new ArrayList<>();
            List<String> notStarted = new ArrayList<>();
            com.google.gson.JsonArray each = new com.google.gson.JsonArray();
            for (int i = 0; i < databases.size(); i++) {
                Optional<UseCases.DatabaseOutcome> outcome = outcomeOf(databases.get(i), pending.get(i));
                if (outcome.isPresent()) {
                    outcomes.add(outcome.get());
                    each.add(reports.getOrDefault(databases.get(i).name(), new JsonObject()));
                } else {
                    notStarted.add(databases.get(i).name());
                }
            }
            Instant finished = context.clock().instant();
            Duration took = Duration.between(started, finished);
            if (took.isNegative()) {
                took = Duration.ZERO;
            }
            List<String> failed = outcomes.stream().filter(o -> !o.succeeded()).map(UseCases.DatabaseOutcome::name)
                    .toList();
            long total = outcomes.stream().filter(UseCases.DatabaseOutcome::succeeded)
                    .mapToLong(UseCases.DatabaseOutcome::sizeBytes).sum();
            if (json) {
                JsonObject o = new JsonObject();
                o.addProperty("ok", failed.isEmpty() && notStarted.isEmpty());
                o.addProperty("backedUp", outcomes.size() - failed.size());
                o.addProperty("failed", failed.size());
                com.google.gson.JsonArray stopped = new com.google.gson.JsonArray();
                notStarted.forEach(stopped::add);
                o.addProperty("totalBytes", total);
                o.addProperty("durationMillis", took.toMillis());
                o.add("notStarted", stopped);
                o.add("databases", each);
                Json.print(context.out(), o);
            } else {
                context.out().printf("%d backed up, %d failed%s%s, total %s in %s%n", outcomes.size() - failed.size(),
                    failed.size(), failed.isEmpty() ? "" : " (" + names(failed) + ")",
                    notStarted.isEmpty() ? "" : ", " + notStarted.size() + " not started (stopping: "
                            + names(notStarted) + ")",
                    Formats.size(total), Formats.duration(took));
            }
            context.out().flush();
            context.useCases().notifySummaries(outcomes, gone, finished, took);
            return failed.isEmpty() && notStarted.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            pool.shutdown();
            runEnded.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopHook);
            } catch (IllegalStateException stopping) {
                // a signal came: the hook is running and lets the process end now that the runs have
            }
        }
    }

    private final AtomicInteger runners = new AtomicInteger();

    /** Whether a stop came: no further database starts. */
    private volatile boolean stopping;

    /** A stop came (SIGTERM, SIGINT): the running backups may finish, no further database starts. */
    void stopRequested() {
        stopping = true;
    }

    /** How {@code db}'s backup went; empty when it was not started because a stop came first. */
    private Optional<UseCases.DatabaseOutcome> outcomeOf(ConfiguredDatabase db,
            Future<Optional<UseCases.DatabaseOutcome>> pending) {
        try {
            return pending.get();
        } catch (ExecutionException e) {
            // backUpOne catches every exception: only an error (out of memory, a broken class path) gets here
            report(db.name() + ": FAILED: unexpected error: " + e.getCause());
            reports.put(db.name(), failure(db.name(), "unexpected error: " + e.getCause()));
            recordFailure(db.name(), context.clock().instant());
            return Optional.of(new UseCases.DatabaseOutcome(db.name(), db.configuration(), false, 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Optional<UseCases.DatabaseOutcome> backUpOne(ConfiguredDatabase db) {
        if (stopping) {
            return Optional.empty();
        }
        Configuration config = db.configuration();
        Instant started = context.clock().instant();
        try {
            RunBackupUseCase.Command command;
            RunBackupUseCase useCase;
            try {
                command = config.backupCommand(SnapshotProgress.NONE).waitingForLock(waitFor)
                        .withSuccessSummarised();
                useCase = context.useCases().runBackup(config);
            } catch (ConfigurationException | InvalidInputException refused) {
                recordRefusal(config, refused);
                throw refused;
            }
            RunResult result = useCase.run(command);
            recordRun(db.name(), result);
            JsonObject done = new JsonObject();
            done.addProperty("name", db.name());
            done.addProperty("ok", true);
            done.add("result", toJson(result, command));
            done.add("error", JsonNull.INSTANCE);
            reports.put(db.name(), done);
            report(String.format("%s: backed up to %s (%s, %s)%s", db.name(), result.file(),
                    Formats.size(result.backup().sizeBytes()), Formats.duration(result.duration()),
                    result.remote().map(remote -> ", copied to Drive").orElse("")));
            return Optional.of(new UseCases.DatabaseOutcome(db.name(), config, true, result.backup().sizeBytes()));
        } catch (RuntimeException e) {
            recordFailure(db.name(), started);
            report(db.name() + ": FAILED: " + SqliteBackupCli.failureLine(e));
            reports.put(db.name(), failure(db.name(), SqliteBackupCli.failureLine(e)));
            if (common.verbose) {
                java.io.StringWriter trace = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(trace));
                synchronized (context.err()) {
                    context.err().print(dev.sqlitebackup.domain.model.Redaction.redact(trace.toString()));
                    context.err().flush();
                }
            }
            return Optional.of(new UseCases.DatabaseOutcome(db.name(), config, false, 0));
        }
    }

    /** Each database's JSON result by its name, filled by the runners (printed under --json). */
    private final Map<String, JsonObject> reports = new java.util.concurrent.ConcurrentHashMap<>();

    private static JsonObject failure(String name, String line) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("ok", false);
        o.add("result", JsonNull.INSTANCE);
        o.addProperty("error", line);
        return o;
    }

    /** One successful run as the JSON document of {@code run --json}. */
    static JsonObject toJson(RunResult result, RunBackupUseCase.Command command) {
        JsonObject o = new JsonObject();
        o.addProperty("database", result.source().path().toString());
        o.addProperty("backup", result.backup().name().value());
        o.addProperty("file", result.file().toString());
        o.addProperty("form", result.backup().form().label());
        o.addProperty("sizeBytes", result.backup().sizeBytes());
        o.addProperty("sha256", result.backup().recordedSha256().orElse(null));
        o.addProperty("startedAt", result.startedAt().toString());
        o.addProperty("durationMillis", result.duration().toMillis());
        o.addProperty("verify", command.verify() == dev.sqlitebackup.domain.model.VerifyLevel.FULL
                ? "integrity_check" : "quick_check");
        o.add("retention", counts(result.retention()));
        o.addProperty("leftoversSwept", result.leftoversSwept());
        o.add("remote", result.remote().<com.google.gson.JsonElement>map(remote -> {
            JsonObject r = new JsonObject();
            r.addProperty("name", remote.name().value());
            r.addProperty("id", remote.id());
            r.addProperty("link", remote.link().orElse(null));
            return r;
        }).orElse(JsonNull.INSTANCE));
        o.add("remoteRetention", result.remoteRetention().<com.google.gson.JsonElement>map(RunCommand::counts)
                .orElse(JsonNull.INSTANCE));
        return o;
    }

    private static JsonObject counts(dev.sqlitebackup.domain.model.RetentionPlan plan) {
        JsonObject o = new JsonObject();
        o.addProperty("kept", plan.kept().size());
        o.addProperty("deleted", plan.deleted().size());
        return o;
    }

    /** One database's line, whole, whatever the other runners print meanwhile (none under --json). */
    private void report(String line) {
        if (json) {
            return;
        }
        synchronized (context.out()) {
            context.out().println(line);
            context.out().flush();
        }
    }

    /** The settings of the databases that can be read (one that cannot says so when it runs). */
    private static List<Configuration> configurationsOf(List<ConfiguredDatabase> databases) {
        return databases.stream().map(ConfiguredDatabase::configuration).toList();
    }

    /** The longest shutdown grace of the databases (each runs under its own settings; unreadable ones count not). */
    private static Duration longestGrace(List<ConfiguredDatabase> databases) {
        Duration longest = Duration.ZERO;
        for (ConfiguredDatabase db : databases) {
            try {
                Duration grace = db.configuration().shutdownGrace();
                longest = grace.compareTo(longest) > 0 ? grace : longest;
            } catch (ConfigurationException | InvalidInputException refused) {
                // its run fails on the same setting and says so
            }
        }
        return longest;
    }

    private static String names(List<String> names) {
        int shown = 20;
        String listed = String.join(", ", names.subList(0, Math.min(shown, names.size())));
        return names.size() > shown ? listed + " and " + (names.size() - shown) + " more" : listed;
    }

    private final java.util.concurrent.CountDownLatch runEnded = new java.util.concurrent.CountDownLatch(1);

    /**
     * SIGTERM or SIGINT during a run lets it finish, up to the shutdown grace, as a daemon's does: it then ends as it
     * would have (history row ended, scratch file removed, or a named backup), never half-recorded. Without the wait
     * the JVM would die mid-copy, leaving an "unfinished" history row and its scratch file.
     */
    private Thread stopHook(java.time.Duration grace) {
        Thread hook = new Thread(() -> {
            stopRequested();
            context.err().println("sqlite-backup: stopping: the running backup may finish first (up to " + grace
                    + ", BACKUP_SHUTDOWN_GRACE)");
            context.err().flush();
            try {
                if (!runEnded.await(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    context.err().println("sqlite-backup: the backup did not finish within BACKUP_SHUTDOWN_GRACE; "
                            + "it is abandoned, and its temporary file is removed by the next run");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            context.out().flush();
            context.err().flush();
        }, "sqlite-backup-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** A run its settings stop is still a failed run in the folder's history, so status and history show it. */
    private void recordRefusal(Configuration config, RuntimeException refused) {
        try {
            context.useCases().recordRefusedRun(config).record(RunTrigger.MANUAL, refused.getMessage());
        } catch (ConfigurationException | InvalidInputException folderUnknown) {
            // the settings do not even say where the folder is: there is no history to write to
        }
    }

    private void printLocal(RunResult result, RunBackupUseCase.Command command) {
        context.out().printf("Backed up %s to %s (%s, copied and checked in %s, %s)%n", result.source().path(),
                result.file(),
                Formats.size(result.backup().sizeBytes()), Formats.duration(result.duration()),
                command.verify() == dev.sqlitebackup.domain.model.VerifyLevel.FULL
                        ? "integrity_check ok" : "quick_check ok");
        context.out().printf("Retention: %d kept, %d deleted%s%n", result.retention().kept().size(),
                result.retention().deleted().size(),
                result.leftoversSwept() > 0 ? "; removed " + result.leftoversSwept()
                        + " leftover file(s) of an interrupted run" : "");
        context.out().flush();
    }
}
