package dev.sqlitebackup.app.daemon;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.Job;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/**
 * One Quartz scheduler for the daemons of many databases: {@code threads} backups at a time
 * ({@code BACKUP_PARALLELISM}), however many databases there are, each database's job its own (so one database is
 * never backed up twice at once). A daemon registers its job key here; the factory hands each firing to its daemon.
 */
public final class DaemonPool implements JobFactory {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Scheduler scheduler;
    private final Map<JobKey, BackupDaemon> daemons = new ConcurrentHashMap<>();

    /** A scheduler with {@code threads} workers, and the factory that routes each job to its database's daemon. */
    public DaemonPool(int threads) {
        this.scheduler = create("sqlite-backup-pool-" + INSTANCES.incrementAndGet(), threads);
        try {
            scheduler.setJobFactory(this);
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not set up the scheduler: " + e.getMessage(), e);
        }
    }

    /** A RAM-only Quartz scheduler of daemon threads, registered JVM-wide under {@code name}. */
    static Scheduler create(String name, int threads) {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, name);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INTERRUPT_JOBS_ON_SHUTDOWN, "false");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "sqlite-backup-worker");
        try {
            return new StdSchedulerFactory(p).getScheduler();
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not create the scheduler: " + e.getMessage(), e);
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    void register(JobKey job, BackupDaemon daemon) {
        daemons.put(job, daemon);
    }

    void unregister(JobKey job) {
        daemons.remove(job);
    }

    /** Starts the scheduler: the registered daemons' triggers fire from now on. */
    public void start() throws SchedulerException {
        scheduler.start();
    }

    /** No trigger fires any more; running jobs go on. */
    public void standby() {
        try {
            scheduler.standby();
        } catch (SchedulerException e) {
            // shutdown stops it anyway
        }
    }

    /** Stops the scheduler, waiting for running jobs. */
    public void shutDown() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            // nothing more to stop
        }
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        if (bundle.getJobDetail().getJobClass() != BackupJob.class) {
            throw new SchedulerException("unknown job " + bundle.getJobDetail().getJobClass().getName());
        }
        BackupDaemon daemon = daemons.get(bundle.getJobDetail().getKey());
        if (daemon == null) {
            throw new SchedulerException("no daemon for " + bundle.getJobDetail().getKey());
        }
        return new BackupJob(daemon);
    }
}
