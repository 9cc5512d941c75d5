package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.BackupStatus;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.port.in.CheckStatusUseCase;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Puts the activity log and the backup folder together. The log's last success counts when it has one; when it has
 * none or cannot be read, the newest backup in the folder stands in (backups made before the log existed, or a log
 * that was moved or broken), so a monitoring check never fails only because the history is missing. Backups and
 * runs dated in the future never count (a clock that was ahead would otherwise hide every current failure); they
 * are reported.
 */
public final class CheckStatusService implements CheckStatusUseCase {

    /** How far back the last backup run is looked for among drills. */
    private static final int RECENT_RUNS = 50;

    private final ActivityLog log;
    private final BackupRepository repository;
    private final Clock clock;

    public CheckStatusService(ActivityLog log, BackupRepository repository, Clock clock) {
        this.log = log;
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public BackupStatus status() {
        Instant now = clock.instant();
        List<Backup> backups = repository.exists() ? repository.list() : List.of();
        Optional<RunRecord> lastRun = Optional.empty();
        Optional<RunRecord> lastSuccess = Optional.empty();
        Optional<RunRecord> lastProven = Optional.empty();
        List<RunRecord> futureRuns = List.of();
        Optional<String> problem = Optional.empty();
        try {
            // the last backup run: drills are told apart (lastProven)
            lastRun = log.recent(RECENT_RUNS).stream().filter(r -> r.trigger().backsUp()).findFirst();
            lastSuccess = log.lastSuccess();
            lastProven = log.lastProven().filter(r -> !r.isFuture(now));
            if (lastRun.filter(r -> r.isFuture(now)).isPresent()
                    || lastSuccess.filter(r -> r.isFuture(now)).isPresent()) {
                // rare (a clock was ahead when they were recorded): read the whole log once
                List<RunRecord> all = log.recent(Integer.MAX_VALUE);
                futureRuns = all.stream().filter(r -> r.isFuture(now)).toList();
                lastRun = all.stream().filter(r -> !r.isFuture(now) && r.trigger().backsUp()).findFirst();
                lastSuccess = all.stream().filter(r -> r.succeeded() && !r.isFuture(now) && r.trigger().backsUp())
                        .max(Comparator.comparing((RunRecord r) -> r.endedAt().orElseThrow())
                                .thenComparingLong(RunRecord::id));
            }
        } catch (RuntimeException unreadable) {
            problem = Optional.of(String.valueOf(unreadable.getMessage()));
        }
        Optional<Instant> successAt = lastSuccess.flatMap(RunRecord::endedAt);
        Optional<BackupName> successBackup = lastSuccess.flatMap(RunRecord::backup);
        List<BackupName> futureBackups = backups.stream().map(Backup::name).filter(n -> n.isFuture(now)).toList();
        Optional<Backup> newest = backups.stream().filter(b -> !b.name().isFuture(now)).findFirst();
        if (lastSuccess.isEmpty() && newest.isPresent()) {
            successAt = Optional.of(newest.get().takenAt());
            successBackup = Optional.of(newest.get().name());
        }
        long total = backups.stream().mapToLong(Backup::sizeBytes).sum();
        return new BackupStatus(successAt, successBackup, lastRun, backups.size(), total, problem, futureBackups,
                futureRuns, lastProven);
    }
}
