package dev.sqlitebackup.app.daemon;

import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import java.util.Optional;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job: one backup (or, for a retry after an off-site failure, one upload) per firing, never two at once.
 * What the firing is comes from its trigger's data; the work is the daemon's.
 */
@DisallowConcurrentExecution
final class BackupJob implements Job {

    static final String TRIGGER = "trigger";
    static final String ATTEMPT = "attempt";
    /** The {@link RunResult} whose backup is final but not yet off-site (RAMJobStore keeps objects as they are). */
    static final String LOCAL = "local";

    private final BackupDaemon daemon;

    BackupJob(BackupDaemon daemon) {
        this.daemon = daemon;
    }

    @Override
    public void execute(JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        RunTrigger trigger = RunTrigger.ofLabel(data.getString(TRIGGER)).orElse(RunTrigger.SCHEDULED);
        int attempt = data.containsKey(ATTEMPT) ? data.getInt(ATTEMPT) : 1;
        Object local = data.get(LOCAL);
        daemon.fire(trigger, attempt, local instanceof RunResult r ? Optional.of(r) : Optional.empty(),
                context.getScheduledFireTime() == null ? java.time.Instant.now()
                        : context.getScheduledFireTime().toInstant());
    }
}
