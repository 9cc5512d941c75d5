package dev.sqlitebackup.domain.port.out;

import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Out-port: the history of runs, manual and scheduled. Recording is never fatal: a log that cannot be written says
 * so (the adapter warns) and the backup goes on unrecorded; only reading it for the history can fail.
 */
public interface ActivityLog {

    /** Nothing is recorded and nothing was: for services built without a log. */
    ActivityLog OFF = new ActivityLog() {
        @Override
        public String describe() {
            return "no activity log";
        }

        @Override
        public RunRecord start(RunTrigger trigger, Instant startedAt) {
            return RunRecord.started(0, trigger, startedAt);
        }

        @Override
        public void finish(RunRecord ended) {
            // nothing is kept
        }

        @Override
        public List<RunRecord> recent(int limit) {
            return List.of();
        }

        @Override
        public Optional<RunRecord> lastSuccess() {
            return Optional.empty();
        }

        @Override
        public Optional<RunRecord> lastProven() {
            return Optional.empty();
        }
    };

    /** Where the log is, for messages. */
    String describe();

    /**
     * Records that a run started; returns its record with the log's id (0 when it could not be stored, and then
     * {@link #finish} stores the whole run). Never throws.
     */
    RunRecord start(RunTrigger trigger, Instant startedAt);

    /** Records how a started run ended. Never throws. */
    void finish(RunRecord ended);

    /**
     * The latest {@code limit} runs, newest start first.
     *
     * @throws dev.sqlitebackup.domain.model.BackupFailedException when the log exists but cannot be read
     */
    List<RunRecord> recent(int limit);

    /**
     * The successful backup run that ended last (drills make no backup and never count).
     *
     * @throws dev.sqlitebackup.domain.model.BackupFailedException when the log exists but cannot be read
     */
    Optional<RunRecord> lastSuccess();

    /**
     * The successful restore drill that ended last: when a backup was last proven restorable.
     *
     * @throws dev.sqlitebackup.domain.model.BackupFailedException when the log exists but cannot be read
     */
    Optional<RunRecord> lastProven();
}
