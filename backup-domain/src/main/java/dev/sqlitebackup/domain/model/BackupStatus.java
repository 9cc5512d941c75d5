package dev.sqlitebackup.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the backups stand: the last successful run (from the activity log, or the newest backup in the folder when
 * the log has none), the last run of any outcome, and the local backups. Backups and runs dated in the future (see
 * {@link FutureTimes}) never count as the last success or the last run; they are listed so they can be warned about.
 *
 * @param lastSuccessAt  when the last successful backup finished
 * @param lastSuccess    the backup it made
 * @param lastRun        the last run the log knows, of any outcome
 * @param logProblem     why the activity log could not be read, when it could not
 * @param futureBackups  backups named in the future, newest first
 * @param futureRuns     runs the log dates in the future, newest first
 * @param lastProven     the last successful restore drill: when a backup was last proven restorable
 */
public record BackupStatus(Optional<Instant> lastSuccessAt, Optional<BackupName> lastSuccess,
        Optional<RunRecord> lastRun, int backupCount, long totalBytes, Optional<String> logProblem,
        List<BackupName> futureBackups, List<RunRecord> futureRuns, Optional<RunRecord> lastProven) {

    public BackupStatus {
        Objects.requireNonNull(lastProven, "lastProven");
        Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        Objects.requireNonNull(lastRun, "lastRun");
        Objects.requireNonNull(logProblem, "logProblem");
        futureBackups = List.copyOf(futureBackups);
        futureRuns = List.copyOf(futureRuns);
        if (backupCount < 0 || totalBytes < 0) {
            throw new IllegalArgumentException("negative count or size");
        }
    }

    /** How long ago the last success was (zero for one up to the tolerance ahead); empty when there was none. */
    public Optional<Duration> age(Instant now) {
        return lastSuccessAt.map(at -> at.isAfter(now) ? Duration.ZERO : Duration.between(at, now));
    }

    /** Whether a restore drill succeeded within {@code maxAge} before {@code now}. */
    public boolean provenWithin(Duration maxAge, Instant now) {
        return lastProven.flatMap(RunRecord::endedAt).filter(at -> !at.isAfter(now))
                .map(at -> Duration.between(at, now).compareTo(maxAge) <= 0).orElse(false);
    }

    /** Whether a backup succeeded within {@code maxAge} before {@code now}. */
    public boolean freshWithin(Duration maxAge, Instant now) {
        return age(now).map(a -> a.compareTo(maxAge) <= 0).orElse(false);
    }

    /** One line for each backup and run dated in the future, saying that it was not counted. */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        for (BackupName name : futureBackups) {
            warnings.add("backup " + name + " is named in the future (" + name.instant() + "; a clock ahead?): it is "
                    + "kept, but never counts as the last success");
        }
        for (RunRecord run : futureRuns) {
            warnings.add("the " + run.trigger().label() + " run recorded at " + run.startedAt() + " ("
                    + run.outcome().map(RunRecord.Outcome::label).orElse("unfinished") + ") is dated in the future "
                    + "(a clock ahead?): it never counts as the last run or the last success");
        }
        return warnings;
    }
}
