package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfigurationException;
import dev.sqlitebackup.app.config.Settings;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.OffsiteCopyFailedException;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
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
    java.time.Duration waitFor;

    public RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Map<String, Configuration.Flag> flags = new LinkedHashMap<>();
        CommonOptions.put(flags, Settings.BACKUP_VACUUM, noVacuum ? "false" : null);
        CommonOptions.put(flags, Settings.BACKUP_VERIFY, verify);
        CommonOptions.put(flags, Settings.DRIVE_ENABLED, noDrive ? "false" : null);
        Configuration config = common.configuration(context.env(), flags);
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
            throw refused;
        }
        Thread stopHook = stopHook(grace);
        try {
            return runAndReport(useCase, command, progress);
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

    private int runAndReport(RunBackupUseCase useCase, RunBackupUseCase.Command command, TerminalProgress progress) {
        RunResult result;
        try {
            result = useCase.run(command);
        } catch (OffsiteCopyFailedException e) {
            // the local backup is safe: say what was made before the one-line error
            printLocal(e.localResult(), command);
            throw e;
        } finally {
            if (progress != null) {
                progress.finish();
            }
        }
        printLocal(result, command);
        result.remote().ifPresent(remote -> context.out().printf("Copied to Drive: %s%s%n", remote.name(),
                remote.link().map(link -> " " + link).orElse(" (id " + remote.id() + ")")));
        result.remoteRetention().ifPresent(plan -> context.out().printf("Drive retention: %d kept, %d deleted%n",
                plan.kept().size(), plan.deleted().size()));
        context.out().flush();
        return ExitCodes.OK;
    }

    private final java.util.concurrent.CountDownLatch runEnded = new java.util.concurrent.CountDownLatch(1);

    /**
     * SIGTERM or SIGINT during a run lets it finish, up to the shutdown grace, as a daemon's does: it then ends as it
     * would have (history row ended, scratch file removed, or a named backup), never half-recorded. Without the wait
     * the JVM would die mid-copy, leaving an "unfinished" history row and its scratch file.
     */
    private Thread stopHook(java.time.Duration grace) {
        Thread hook = new Thread(() -> {
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
