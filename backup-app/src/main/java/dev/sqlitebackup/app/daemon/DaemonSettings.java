package dev.sqlitebackup.app.daemon;

import dev.sqlitebackup.domain.model.RetryPlan;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the daemon runs: its schedule, retries and shutdown grace, and the backup each run takes ({@code backup}'s
 * trigger is replaced per run).
 */
public record DaemonSettings(BackupSchedule schedule, RetryPlan retries, Duration shutdownGrace,
        RunBackupUseCase.Command backup, Path backupDir) {

    public DaemonSettings {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(backupDir, "backupDir");
    }
}
