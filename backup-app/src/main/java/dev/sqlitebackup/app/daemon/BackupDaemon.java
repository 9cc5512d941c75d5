package dev.sqlitebackup.app.daemon;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.CatchUp;
import dev.sqlitebackup.domain.model.OffsiteCopyFailedException;
import dev.sqlitebackup.domain.model.Redaction;
import dev.sqlitebackup.domain.model.RetryPlan;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.port.in.CheckStatusUseCase;
import dev.sqlitebackup.domain.port.in.HoldDaemonLockUseCase;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The scheduled backups of one backup folder, on Quartz: the schedule, one catch-up run at start when the last fire
 * time has no success after it, retries as one-shot triggers (never sleeping in the worker), one backup at a time,
 * and a graceful stop. Holds the folder's daemon lock from {@link #start()} to {@link #stop()}.
 */
public final class BackupDaemon {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final JobKey JOB = JobKey.jobKey("backup");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private final RunBackupUseCase backups;
    private final CheckStatusUseCase status;
    private final DaemonSettings settings;
    private final HoldDaemonLockUseCase daemonLock;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Clock clock;

    private Scheduler scheduler;
    private HoldDaemonLockUseCase.DaemonLock lock;
    private volatile boolean stopping;
    private boolean stopped;
    /** Told after each run, e.g. the metrics; none by default. */
    private volatile RunObserver observer = RunObserver.NONE;
    /** The latest run moved out of a daylight-saving gap that is scheduled already: each is scheduled once. */
    private Instant movedOutOfGap = Instant.MIN;

    public BackupDaemon(RunBackupUseCase backups, CheckStatusUseCase status, DaemonSettings settings,
            HoldDaemonLockUseCase daemonLock, PrintWriter out, PrintWriter err, Clock clock) {
        this.backups = backups;
        this.status = status;
        this.settings = settings;
        this.daemonLock = daemonLock;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** What the daemon tells after each run (and once at start, of the next scheduled run). */
    public interface RunObserver {
        RunObserver NONE = new RunObserver() {
            @Override
            public void succeeded(RunResult result) {
            }

            @Override
            public void failed() {
            }

            @Override
            public void nextRun(Optional<Instant> at) {
            }
        };

        void succeeded(RunResult result);

        void failed();

        void nextRun(Optional<Instant> at);
    }

    /** Tells {@code observer} after each run from now on; call before {@link #start()}. */
    public void observe(RunObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    /**
     * Takes the daemon lock, schedules the backups, and starts; a catch-up run starts at once when one is owed.
     *
     * @throws dev.sqlitebackup.domain.model.BackupInProgressException when another daemon has this folder
     */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        lock = daemonLock.hold();
        try {
            scheduler = newScheduler();
            scheduler.setJobFactory(new DaemonJobFactory(this));
            scheduler.addJob(JobBuilder.newJob(BackupJob.class).withIdentity(JOB).storeDurably().build(), false);
            // before the schedule's first fire time is computed: a catch-up always comes before it
            Instant now = clock.instant();
            // Quartz would also fire a time earlier in the current second; that fire is the catch-up's to judge,
            // so the schedule starts at its first fire strictly after now (no double run at start).
            Instant firstFire = settings.schedule().nextAfter(now).orElseThrow(() -> new BackupFailedException(
                    "schedule " + settings.schedule().describe() + " never fires after " + now));
            Trigger cron = TriggerBuilder.newTrigger().withIdentity("schedule").forJob(JOB)
                    .startAt(Date.from(firstFire))
                    .usingJobData(BackupJob.TRIGGER, RunTrigger.SCHEDULED.label())
                    // a run that takes longer than the interval delays the next one, never stacks them up
                    .withSchedule(CronScheduleBuilder.cronSchedule(settings.schedule().cron())
                            .withMisfireHandlingInstructionDoNothing())
                    .build();
            Date first = scheduler.scheduleJob(cron);
            Optional<Instant> outOfGap = scheduleRunOutOfGap(now);
            if (outOfGap.isPresent() && outOfGap.get().isBefore(first.toInstant())) {
                first = Date.from(outOfGap.get());
            }
            CatchUp catchUp = CatchUp.decide(now, settings.schedule().lastAtOrBefore(now), lastSuccess());
            say("sqlite-backup daemon started: database " + settings.backup().database() + ", backup dir "
                    + settings.backupDir() + ", schedule " + settings.schedule().describe() + ", next run at "
                    + time(first.toInstant()));
            observer.nextRun(Optional.of(first.toInstant()));
            if (catchUp.due()) {
                say("catching up now: " + catchUp.reason());
                fireAt(RunTrigger.CATCH_UP, 1, now, Optional.empty());
            }
            scheduler.start();
        } catch (SchedulerException | RuntimeException e) {
            shutDownQuietly();
            lock.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new BackupFailedException("could not start the scheduler: " + e.getMessage(), e);
        }
    }

    /** When the next scheduled (not retry) run is due. */
    public Optional<Instant> nextScheduledRun() {
        return settings.schedule().nextAfter(clock.instant());
    }

    /**
     * Stops: no new run starts; a running backup may finish within the shutdown grace, after which it is
     * abandoned (its scratch file is swept by the next run). Returns whether everything finished in time.
     */
    public boolean stop() {
        synchronized (this) {
            if (stopped || scheduler == null) {
                return true;
            }
            stopped = true;
            stopping = true;
        }
        say("stopping: no new backup starts; a running one may finish (up to " + settings.shutdownGrace() + ")");
        try {
            scheduler.standby();
        } catch (SchedulerException e) {
            // shutdown below stops it anyway
        }
        Thread waiting = new Thread(this::shutDownQuietly, "sqlite-backup-shutdown");
        waiting.setDaemon(true);
        waiting.start();
        boolean finished;
        try {
            waiting.join(Math.max(1, settings.shutdownGrace().toMillis()));
            finished = !waiting.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            complain("the running backup did not finish within BACKUP_SHUTDOWN_GRACE (" + settings.shutdownGrace()
                    + "); it is abandoned, and its temporary file is removed by the next run");
        }
        lock.close();
        say("sqlite-backup daemon stopped");
        return finished;
    }

    /**
     * Quartz's cron trigger skips a day whose fire time falls into a daylight-saving gap; the schedule moves that
     * run to the end of the gap, and it is scheduled here as a one-shot (the next such run, once). Returns when.
     */
    private synchronized Optional<Instant> scheduleRunOutOfGap(Instant after) throws SchedulerException {
        Optional<Instant> at = settings.schedule().movedOutOfGapAfter(after);
        if (at.isEmpty() || !at.get().isAfter(movedOutOfGap)) {
            return Optional.empty();
        }
        movedOutOfGap = at.get();
        fireAt(RunTrigger.SCHEDULED, 1, at.get(), Optional.empty());
        return at;
    }

    /** One firing of the job: a backup (or only the upload a failed run still owes), then a retry if it failed. */
    void fire(RunTrigger trigger, int attempt, Optional<RunResult> local) {
        if (stopping) {
            return;
        }
        if (trigger == RunTrigger.SCHEDULED) {
            try {
                scheduleRunOutOfGap(clock.instant());
            } catch (SchedulerException e) {
                if (!stopping) {
                    complain("could not schedule the run moved out of the daylight-saving gap: " + e.getMessage());
                }
            }
        }
        RunBackupUseCase.Command backup = settings.backup();
        try {
            RunResult result = local.isPresent()
                    ? backups.copyOffsite(new RunBackupUseCase.OffsiteCommand(local.get(),
                            backup.offsite().orElseThrow().retention(), backup.zone(), trigger, backup.lockWait()))
                    : backups.run(backup.triggeredBy(trigger));
            say(trigger.label() + " backup ok: " + result.file()
                    + result.remote().map(r -> ", off-site copy " + r.id()).orElse(""));
            observer.succeeded(result);
        } catch (OffsiteCopyFailedException failure) {
            complain(trigger.label() + " backup: " + failure.getMessage());
            observer.failed();
            retry(attempt, Optional.of(failure.localResult()), failure);
        } catch (RuntimeException failure) {
            complain(trigger.label() + " backup failed: " + failure.getMessage());
            observer.failed();
            retry(attempt, Optional.empty(), failure);
        }
        observer.nextRun(nextScheduledRun());
    }

    private void retry(int attempt, Optional<RunResult> local, RuntimeException failure) {
        RetryPlan plan = settings.retries();
        if (!RetryPlan.worthRetrying(failure)) {
            complain("not retried: this needs fixing first; the next scheduled run is at "
                    + nextScheduledRun().map(this::time).orElse("never"));
            return;
        }
        Optional<Duration> delay = plan.delayAfter(attempt);
        if (delay.isEmpty()) {
            complain("giving up after " + attempt + " attempt(s); the next scheduled run is at "
                    + nextScheduledRun().map(this::time).orElse("never"));
            return;
        }
        Instant at = clock.instant().plus(delay.get());
        complain("attempt " + (attempt + 1) + " of " + plan.attempts() + " at " + time(at)
                + (local.isPresent() ? " (only the off-site copy of " + local.get().backup().name() + ")" : ""));
        try {
            fireAt(RunTrigger.RETRY, attempt + 1, at, local);
        } catch (SchedulerException e) {
            if (!stopping) {
                complain("could not schedule the retry: " + e.getMessage());
            }
        }
    }

    private void fireAt(RunTrigger trigger, int attempt, Instant at, Optional<RunResult> local)
            throws SchedulerException {
        JobDataMap data = new JobDataMap();
        data.put(BackupJob.TRIGGER, trigger.label());
        data.put(BackupJob.ATTEMPT, attempt);
        local.ifPresent(r -> data.put(BackupJob.LOCAL, r));
        scheduler.scheduleJob(TriggerBuilder.newTrigger().forJob(JOB).usingJobData(data).startAt(Date.from(at))
                // due at the same moment as a scheduled run: the owed one goes first
                .withPriority(Trigger.DEFAULT_PRIORITY + 1)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build());
    }

    /** When the last success ended; a status that cannot be read owes a catch-up rather than hiding one. */
    private Optional<Instant> lastSuccess() {
        try {
            return status.status().lastSuccessAt();
        } catch (RuntimeException unreadable) {
            complain("cannot tell when the last backup succeeded: " + unreadable.getMessage());
            return Optional.empty();
        }
    }

    private Scheduler newScheduler() throws SchedulerException {
        Properties p = new Properties();
        // Quartz keeps schedulers in a JVM-wide registry by name
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "sqlite-backup-" + INSTANCES.incrementAndGet());
        p.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INTERRUPT_JOBS_ON_SHUTDOWN, "false");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "sqlite-backup-worker");
        return new StdSchedulerFactory(p).getScheduler();
    }

    private void shutDownQuietly() {
        try {
            if (scheduler != null) {
                scheduler.shutdown(true);
            }
        } catch (SchedulerException e) {
            // nothing more to stop
        }
    }

    private String time(Instant instant) {
        return TIME.format(instant.atZone(settings.schedule().zone()));
    }

    private void say(String line) {
        out.println(time(clock.instant()) + " " + Redaction.redact(line));
        out.flush();
    }

    private void complain(String line) {
        err.println(time(clock.instant()) + " " + Redaction.redact(line));
        err.flush();
    }
}
