package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupStatus;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.port.in.CheckStatusUseCase;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Puts the activity log and the backup folder together. The log's last success counts when it has one; when it has
 * none or cannot be read, the newest backup in the folder stands in (backups made before the log existed, or a log
 * that was moved or broken), so a monitoring check never fails only because the history is missing.
 */
public final class CheckStatusService implements CheckStatusUseCase {

    private final ActivityLog log;
    private final BackupRepository repository;

    public CheckStatusService(ActivityLog log, BackupRepository repository) {
        this.log = log;
        this.repository = repository;
    }

    @Override
    public BackupStatus status() {
        List<Backup> backups = repository.exists() ? repository.list() : List.of();
        Optional<RunRecord> lastRun = Optional.empty();
        Optional<RunRecord> lastSuccess = Optional.empty();
        Optional<String> problem = Optional.empty();
        try {
            lastRun = log.recent(1).stream().findFirst();
            lastSuccess = log.lastSuccess();
        } catch (RuntimeException unreadable) {
            problem = Optional.of(String.valueOf(unreadable.getMessage()));
        }
        Optional<Instant> successAt = lastSuccess.flatMap(RunRecord::endedAt);
        Optional<BackupName> successBackup = lastSuccess.flatMap(RunRecord::backup);
        if (lastSuccess.isEmpty() && !backups.isEmpty()) {
            successAt = Optional.of(backups.get(0).takenAt());
            successBackup = Optional.of(backups.get(0).name());
        }
        long total = backups.stream().mapToLong(Backup::sizeBytes).sum();
        return new BackupStatus(successAt, successBackup, lastRun, backups.size(), total, problem);
    }
}
