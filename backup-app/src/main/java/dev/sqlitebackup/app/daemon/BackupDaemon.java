package dev.sqlitebackup.app.daemon;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.CatchUp;
import dev.sqlitebackup.domain.model.OffsiteCopyFailedException;
import dev.sqlitebackup.domain.model.RetryPlan;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.port.in.CheckStatusUseCase;
import dev.sqlitebackup.domain.port.in.DrillUseCase;
import dev.sqlitebackup.domain.port.in.HoldDaemonLockUseCase;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.app.logging.LogFormat;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
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

/**
 * The scheduled backups of one backup folder, on Quartz: the schedule, one catch-up run at start when the last fire
 * time has no success after it, retries as one-shot triggers (never sleeping in the worker), one backup at a time,
 * and a graceful stop. Holds the folder's daemon lock from {@link #start()} to {@link #stop()}.
 */
public final class BackupDaemon {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final RunBackupUseCase backups;
    private final CheckStatusUseCase status;
    private final DaemonSettings settings;
    private final HoldDaemonLockUseCase daemonLock;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Clock clock;
    /** The database's name in a daemon of many (its lines start with it), empty for the lone daemon. */
    private final String name;
    /** The scheduler shared by the daemons of many databases; empty: this daemon has one of its own. */
    private final Optional<DaemonPool> pool;
    private final JobKey job;
    private final RunListener listener;
    private final Optional<Drills> drills;

    /** Restore drills on their own schedule ({@code DRILL_SCHEDULE}), with the data assertions. */
    public record Drills(DrillUseCase useCase, BackupSchedule schedule, List<DataAssertion> assertions) {
        public Drills {
            java.util.Objects.requireNonNull(useCase, "useCase");
            java.util.Objects.requireNonNull(schedule, "schedule");
            assertions = List.copyOf(assertions);
        }
    }

    /** Told how each run ended, for the summary of a run of the schedule over many databases. */
    public interface RunListener {
        RunListener NONE = (name, schedule, fireTime, succeeded, sizeBytes) -> { };

        /**
         * A scheduled run of {@code name} due at {@code fireTime} ended; its success was not notified on its own.
         */
        void scheduledRunEnded(String name, BackupSchedule schedule, Instant fireTime, boolean succeeded,
                long sizeBytes);
    }

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
        this(backups, status, settings, daemonLock, out, err, clock, "", Optional.empty(), RunListener.NONE,
                Optional.empty());
    }

    /**
     * @param name     the database's name in a daemon of many (empty for the lone daemon)
     * @param pool     the scheduler shared by the daemons of many databases (empty: one of its own)
     * @param listener told how scheduled runs ended, when their successes are summarised
     * @param drills   restore drills on their own schedule, if any
     */
    public BackupDaemon(RunBackupUseCase backups, CheckStatusUseCase status, DaemonSettings settings,
            HoldDaemonLockUseCase daemonLock, PrintWriter out, PrintWriter err, Clock clock, String name,
            Optional<DaemonPool> pool, RunListener listener, Optional<Drills> drills) {
        this.backups = backups;
        this.status = status;
        this.settings = settings;
        this.daemonLock = daemonLock;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.name = name;
        this.pool = pool;
        this.job = name.isEmpty() ? JobKey.jobKey("backup") : JobKey.jobKey("backup", name);
        this.listener = listener;
        this.drills = drills;
    }

    /** The database's name in a daemon of many; empty for the lone daemon. */
    public String name() {
        return name;
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
            if (pool.isPresent()) {
                scheduler = pool.get().scheduler();
                pool.get().register(job, this);
            } else {
                scheduler = newScheduler();
                scheduler.setJobFactory(new DaemonJobFactory(this));
            }
            scheduler.addJob(JobBuilder.newJob(BackupJob.class).withIdentity(job).storeDurably().build(), false);
            // before the schedule's first fire time is computed: a catch-up always comes before it
            Instant now = clock.instant();
            // Quartz would also fire a time earlier in the current second; that fire is the catch-up's to judge,
            // so the schedule starts at its first fire strictly after now (no double run at start).
            Instant firstFire = settings.schedule().nextAfter(now).orElseThrow(() -> new BackupFailedException(
                    "schedule " + settings.schedule().describe() + " never fires after " + now));
            Trigger cron = TriggerBuilder.newTrigger().withIdentity("schedule", job.getGroup()).forJob(job)
                    .startAt(Date.from(firstFire))
                    .usingJobData(BackupJob.TRIGGER, RunTrigger.SCHEDULED.label())
                    // a run that takes longer than the interval delays the next one, never stacks them up
                    .withSchedule(CronScheduleBuilder.cronSchedule(settings.schedule().cron())
                            .withMisfireHandlingInstructionDoNothing())
                    .build();
            Date first = scheduler.scheduleJob(cron);
            Optional<Instant> firstDrill = scheduleDrills(now);
            Optional<Instant> outOfGap = scheduleRunOutOfGap(now);
            if (outOfGap.isPresent() && outOfGap.get().isBefore(first.toInstant())) {
                first = Date.from(outOfGap.get());
            }
            CatchUp catchUp = CatchUp.decide(now, settings.schedule().lastAtOrBefore(now), lastSuccess());
            say("sqlite-backup daemon started: database " + settings.backup().database() + ", backup dir "
                    + settings.backupDir() + ", schedule " + settings.schedule().describe() + ", next run at "
                    + time(first.toInstant()) + firstDrill.map(at -> ", next restore drill at " + time(at))
                    .orElse(""));
            observer.nextRun(Optional.of(first.toInstant()));
            if (catchUp.due()) {
                say("catching up now: " + catchUp.reason());
                fireAt(RunTrigger.CATCH_UP, 1, now, Optional.empty());
            }
            if (pool.isEmpty()) {
                scheduler.start();
            }
        } catch (SchedulerException | RuntimeException e) {
            if (pool.isPresent()) {
                unscheduleQuietly();
            } else {
                shutDownQuietly();
            }
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
        if (pool.isPresent()) {
            return stopInPool();
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
     * In a daemon of many: no run of this database starts any more (its triggers are removed); a running one may
     * finish within the shutdown grace; then its folder's daemon lock is released. Returns whether it finished.
     */
    private boolean stopInPool() {
        unscheduleQuietly();
        long deadline = System.nanoTime() + Math.max(1, settings.shutdownGrace().toNanos());
        boolean finished = false;
        while (!finished) {
            finished = !running();
            if (finished || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!finished) {
            complain("the running backup did not finish within BACKUP_SHUTDOWN_GRACE (" + settings.shutdownGrace()
                    + "); it is abandoned, and its temporary file is removed by the next run");
        }
        pool.get().unregister(job);
        lock.close();
        return finished;
    }

    /** Whether this database's job is running now. */
    private boolean running() {
        try {
            return scheduler.getCurrentlyExecutingJobs().stream()
                    .anyMatch(c -> c.getJobDetail().getKey().equals(job));
        } catch (SchedulerException e) {
            return false;
        }
    }

    /** No further firing of this database's job: its triggers go with it. */
    private void unscheduleQuietly() {
        try {
            scheduler.deleteJob(job);
        } catch (SchedulerException e) {
            // the scheduler is going away anyway
        }
    }

    /** The restore drills' trigger, when drills are on; the first one's time. */
    private Optional<Instant> scheduleDrills(Instant now) throws SchedulerException {
        if (drills.isEmpty()) {
            return Optional.empty();
        }
        BackupSchedule drill = drills.get().schedule();
        Optional<Instant> first = drill.nextAfter(now);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity("drill", job.getGroup()).forJob(job)
                .startAt(Date.from(first.get()))
                .usingJobData(BackupJob.TRIGGER, RunTrigger.DRILL.label())
                .withSchedule(CronScheduleBuilder.cronSchedule(drill.cron()).withMisfireHandlingInstructionDoNothing())
                .build());
        return first;
    }

    /** One restore drill of the latest backup: said, recorded by the use case, a failure told to the owner. */
    private void fireDrill() {
        Drills plan = drills.orElseThrow();
        DrillUseCase.Result result = plan.useCase().drill(new DrillUseCase.Command(false, plan.assertions(),
                RunTrigger.DRILL));
        if (result.ok()) {
            say("restore drill ok: " + result.backup().map(b -> b.name().value()).orElse("?")
                    + " proven restorable");
        } else {
            complain(result.problem().orElseThrow());
        }
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
        fire(trigger, attempt, local, clock.instant());
    }

    /** One firing due at {@code fireTime}. */
    void fire(RunTrigger trigger, int attempt, Optional<RunResult> local, Instant fireTime) {
        if (stopping) {
            return;
        }
        if (trigger == RunTrigger.DRILL) {
            fireDrill();
            return;
        }
        boolean summarised = trigger == RunTrigger.SCHEDULED && listener != RunListener.NONE && local.isEmpty();
        if (trigger == RunTrigger.SCHEDULED) {
            try {
                scheduleRunOutOfGap(clock.instant());
            } catch (SchedulerException e) {
                if (!stopping) {
                    complain("could not schedule the run moved out of the daylight-saving gap: " + e.getMessage());
                }
            }
        }
        RunBackupUseCase.Command backup = summarised ? settings.backup().withSuccessSummarised() : settings.backup();
        boolean succeeded = false;
        long size = 0;
        try {
            RunResult result = local.isPresent()
                    ? backups.copyOffsite(new RunBackupUseCase.OffsiteCommand(local.get(),
                            backup.offsite().orElseThrow().retention(), backup.zone(), trigger, backup.lockWait()))
                    : backups.run(backup.triggeredBy(trigger));
            succeeded = true;
            size = result.backup().sizeBytes();
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
        } finally {
            if (summarised) {
                listener.scheduledRunEnded(name, settings.schedule(), fireTime, succeeded, size);
            }
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
        scheduler.scheduleJob(TriggerBuilder.newTrigger().forJob(job).usingJobData(data).startAt(Date.from(at))
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

    private Scheduler newScheduler() {
        return DaemonPool.create("sqlite-backup-" + INSTANCES.incrementAndGet(), 1);
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
        return LogFormat.LOCAL_TIME.format(instant.atZone(settings.schedule().zone()));
    }

    private void say(String line) {
        Instant now = clock.instant();
        synchronized (out) {
            out.println(LogFormat.line(now, time(now), false, (name.isEmpty() ? "" : name + ": ") + line));
            out.flush();
        }
    }

    private void complain(String line) {
        Instant now = clock.instant();
        synchronized (err) {
            err.println(LogFormat.line(now, time(now), true, (name.isEmpty() ? "" : name + ": ") + line));
            err.flush();
        }
    }
}
