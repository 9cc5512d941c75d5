package dev.sqlitebackup.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run ended, as told to the owner: the outcome, the run's result when a local backup was made, the off-site
 * link when there is one, the error when something failed, and when the last good backup was taken.
 */
public record RunReport(Outcome outcome, String databaseName, Instant finishedAt, Optional<RunResult> result,
        Optional<String> offsiteLink, Optional<String> error, Optional<Instant> lastSuccessAt) {

    public enum Outcome {
        /** Backed up and, when configured, copied off-site. */
        SUCCESS,
        /** The local backup is final and safe, but the off-site copy failed. */
        LOCAL_ONLY,
        /** No new backup was made. */
        FAILED
    }

    public RunReport {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(databaseName, "databaseName");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(offsiteLink, "offsiteLink");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
        if (outcome != Outcome.SUCCESS && error.isEmpty()) {
            throw new IllegalArgumentException(outcome + " needs an error");
        }
    }
}
