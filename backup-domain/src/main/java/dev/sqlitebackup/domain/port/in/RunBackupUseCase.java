package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * In-port: take one consistent, verified backup of the live database, apply retention, and copy it off-site.
 * Throws {@link dev.sqlitebackup.domain.model.OffsiteCopyFailedException} when only the off-site copy failed.
 */
public interface RunBackupUseCase {

    RunResult run(Command command);

    /**
     * Copies a backup that is already final in the folder (what an off-site failure left, see
     * {@link dev.sqlitebackup.domain.model.OffsiteCopyFailedException#localResult()}) to the off-site store and
     * applies the remote policy there: the retry of only the part that failed, with no new snapshot.
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when no store is configured or the backup is gone
     * @throws dev.sqlitebackup.domain.model.OffsiteCopyFailedException when the copy failed again
     */
    RunResult copyOffsite(OffsiteCommand command);

    /** Copy {@code local}'s backup off-site, under the folder's lock (waiting up to {@code lockWait}). */
    record OffsiteCommand(RunResult local, RetentionPolicy remoteRetention, ZoneId zone, RunTrigger trigger,
            Duration lockWait) {
        public OffsiteCommand {
            Objects.requireNonNull(local, "local");
            Objects.requireNonNull(remoteRetention, "remoteRetention");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(lockWait, "lockWait");
        }
    }

    /**
     * One run. Made by {@link #localBackup} (a manual run whose backup stays in the folder, not waiting for the lock)
     * and shaped by {@link #withOffsiteCopy}, {@link #triggeredBy} and {@link #waitingForLock}.
     *
     * @param database the live database file
     * @param compact  VACUUM INTO the copy (smaller, defragmented) instead of the page-for-page online backup
     * @param verify   how deeply the copy is checked before it gets a backup name
     * @param offsite  whether and how the new backup is copied off-site; empty for a local-only run
     * @param trigger  what started the run, for the activity log
     * @param lockWait how long to wait for a run that holds the folder's lock before giving up
     */
    record Command(Path database, boolean compact, VerifyLevel verify, RetentionPolicy retention, ZoneId zone,
            SnapshotProgress progress, Optional<OffsitePlan> offsite, RunTrigger trigger, Duration lockWait,
            boolean successSummarised, List<DataAssertion> assertions) {
        public Command {
            assertions = List.copyOf(assertions);
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(verify, "verify");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(progress, "progress");
            Objects.requireNonNull(offsite, "offsite");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(lockWait, "lockWait");
            if (lockWait.isNegative()) {
                throw new IllegalArgumentException("negative lock wait: " + lockWait);
            }
        }

        /** A manual run whose backup stays in the folder (no off-site copy) and that does not wait for the lock. */
        public static Command localBackup(Path database, boolean compact, VerifyLevel verify,
                RetentionPolicy retention, ZoneId zone, SnapshotProgress progress) {
            return new Command(database, compact, verify, retention, zone, progress, Optional.empty(),
                    RunTrigger.MANUAL, Duration.ZERO, false, List.of());
        }

        /**
         * The same run, also copying its backup to the off-site store (when one is configured) and applying
         * {@code remoteRetention} to the store's copies.
         */
        public Command withOffsiteCopy(RetentionPolicy remoteRetention) {
            return new Command(database, compact, verify, retention, zone, progress,
                    Optional.of(new OffsitePlan(remoteRetention)), trigger, lockWait, successSummarised,
                    assertions);
        }

        /** The same run, started by {@code by}. */
        public Command triggeredBy(RunTrigger by) {
            return new Command(database, compact, verify, retention, zone, progress, offsite, by, lockWait,
                    successSummarised, assertions);
        }

        /** The same run, waiting up to {@code wait} for the folder's lock. */
        public Command waitingForLock(Duration wait) {
            return new Command(database, compact, verify, retention, zone, progress, offsite, trigger, wait,
                    successSummarised, assertions);
        }

        /**
         * The same run, as one of a run over many databases: its success is told in that run's summary
         * ({@link dev.sqlitebackup.domain.port.out.Notifier#notify(dev.sqlitebackup.domain.model.RunSummary)}),
         * not on its own; a failure is still told on its own.
         */
        public Command withSuccessSummarised() {
            return new Command(database, compact, verify, retention, zone, progress, offsite, trigger, lockWait,
                    true, assertions);
        }

        /**
         * The same run, checking {@code checks} on the copy after its integrity check: a copy that fails one is not
         * published, and nothing is deleted.
         */
        public Command withAssertions(List<DataAssertion> checks) {
            return new Command(database, compact, verify, retention, zone, progress, offsite, trigger, lockWait,
                    successSummarised, checks);
        }
    }

    /** The off-site part of a run: copy the backup to the store, then apply {@code retention} to its copies there. */
    record OffsitePlan(RetentionPolicy retention) {
        public OffsitePlan {
            Objects.requireNonNull(retention, "retention");
        }
    }
}
