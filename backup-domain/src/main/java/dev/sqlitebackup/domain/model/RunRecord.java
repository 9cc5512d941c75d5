package dev.sqlitebackup.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One run in the activity log: what started it, when it started and ended, how it ended, the backup it made (name,
 * size, off-site id) and the error when it failed. A record without an outcome is still running, or its process
 * died before it could say how it ended.
 *
 * @param id the log's id for the run; 0 for a run the log could not store when it started
 */
public record RunRecord(long id, RunTrigger trigger, Instant startedAt, Optional<Instant> endedAt,
        Optional<Outcome> outcome, Optional<BackupName> backup, OptionalLong sizeBytes, Optional<String> remoteId,
        Optional<String> error, List<TableCount> tables) {

    /** How a run ended. */
    public enum Outcome {
        /** Backed up and, when configured, copied off-site. */
        SUCCESS,
        /** No new backup was made. */
        FAILED,
        /** The local backup is final and safe, but the off-site copy failed. */
        LOCAL_ONLY;

        /** {@code success}, {@code failed}, {@code local-only}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Optional<Outcome> ofLabel(String label) {
            return Arrays.stream(values()).filter(o -> o.label().equals(label)).findFirst();
        }
    }

    public RunRecord {
        tables = List.copyOf(tables);
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(sizeBytes, "sizeBytes");
        Objects.requireNonNull(remoteId, "remoteId");
        Objects.requireNonNull(error, "error");
        if (id < 0) {
            throw new IllegalArgumentException("negative id: " + id);
        }
        if (outcome.isPresent() != endedAt.isPresent()) {
            throw new IllegalArgumentException("a run has an outcome exactly when it has ended");
        }
        if (endedAt.isPresent() && endedAt.get().isBefore(startedAt)) {
            throw new IllegalArgumentException("a run cannot end before it starts: " + startedAt + " > "
                    + endedAt.get());
        }
        if (outcome.isPresent() && outcome.get() != Outcome.SUCCESS && error.isEmpty()) {
            throw new IllegalArgumentException(outcome.get() + " needs an error");
        }
    }

    /** A run that has just started. */
    public static RunRecord started(long id, RunTrigger trigger, Instant startedAt) {
        return new RunRecord(id, trigger, startedAt, Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalLong.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /** This run, ended. */
    public RunRecord ended(Instant at, Outcome how, Optional<Backup> made, Optional<String> remote,
            Optional<String> failure) {
        return new RunRecord(id, trigger, startedAt, Optional.of(at), Optional.of(how), made.map(Backup::name),
                made.map(b -> OptionalLong.of(b.sizeBytes())).orElse(OptionalLong.empty()), remote, failure, tables);
    }

    /** The same run, with the row counts of the backup it made. */
    public RunRecord withTables(List<TableCount> counted) {
        return new RunRecord(id, trigger, startedAt, endedAt, outcome, backup, sizeBytes, remoteId, error, counted);
    }

    /** The same run under the id the log gave it. */
    public RunRecord withId(long newId) {
        return new RunRecord(newId, trigger, startedAt, endedAt, outcome, backup, sizeBytes, remoteId, error,
                tables);
    }

    /** Whether it started or ended in the future by the rule of {@link FutureTimes}: recorded by a clock ahead. */
    public boolean isFuture(Instant now) {
        return FutureTimes.isFuture(startedAt, now)
                || endedAt.filter(end -> FutureTimes.isFuture(end, now)).isPresent();
    }

    public boolean succeeded() {
        return outcome.equals(Optional.of(Outcome.SUCCESS));
    }

    public Optional<Duration> duration() {
        return endedAt.map(end -> Duration.between(startedAt, end));
    }
}
