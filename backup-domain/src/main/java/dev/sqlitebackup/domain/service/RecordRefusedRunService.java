package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Redaction;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.port.in.RecordRefusedRunUseCase;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Writes a refused run into the activity log of an existing backup folder, as a run that failed at once. */
public final class RecordRefusedRunService implements RecordRefusedRunUseCase {

    private final BackupRepository repository;
    private final ActivityLog log;
    private final Clock clock;

    public RecordRefusedRunService(BackupRepository repository, ActivityLog log, Clock clock) {
        this.repository = repository;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public boolean record(RunTrigger trigger, String reason) {
        try {
            if (!repository.exists()) {
                return false; // the log lives in the folder by default: a refused run must create nothing
            }
            Instant now = clock.instant();
            log.finish(RunRecord.started(0, trigger, now).ended(now, RunRecord.Outcome.FAILED, Optional.empty(),
                    Optional.empty(), Optional.of(Redaction.redact(reason))));
            return true;
        } catch (RuntimeException broken) {
            // the log's own warning says so; the refusal is reported by the caller either way
            return false;
        }
    }
}
