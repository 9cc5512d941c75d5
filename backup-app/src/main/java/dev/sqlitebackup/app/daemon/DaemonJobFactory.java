package dev.sqlitebackup.app.daemon;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Gives Quartz's jobs what they need, by constructor: there is no container to inject it. */
final class DaemonJobFactory implements JobFactory {

    private final BackupDaemon daemon;

    DaemonJobFactory(BackupDaemon daemon) {
        this.daemon = daemon;
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Class<? extends Job> type = bundle.getJobDetail().getJobClass();
        if (type != BackupJob.class) {
            throw new SchedulerException("unknown job " + type.getName());
        }
        return new BackupJob(daemon);
    }
}
