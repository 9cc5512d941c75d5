package dev.sqlitebackup.adapters.drive;

import dev.sqlitebackup.domain.model.BackupFailedException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries of Drive calls: exponential backoff with jitter, at least as long as a Retry-After asks (up to a cap), a
 * bounded number of retries per step, and only for failures that a retry can cure.
 */
final class Backoff {

    private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);
    /** No single wait beyond this, whatever the server asks: the run has a schedule to keep. */
    static final Duration MAX_DELAY = Duration.ofMinutes(5);
    private static final int MAX_DOUBLINGS = 10;

    /** One call to Drive. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    private final int attempts;
    private final Duration initial;
    private final Sleeper sleeper;

    Backoff(int attempts, Duration initial, Sleeper sleeper) {
        this.attempts = attempts;
        this.initial = initial;
        this.sleeper = sleeper;
    }

    /** Retries after the first try of one step. */
    int attempts() {
        return attempts;
    }

    /** Runs {@code call}, retrying transient failures; anything else, or too many, ends as a one-line exception. */
    <T> T run(String what, Call<T> call) {
        return attempt(what, call, false).value();
    }

    /** Like {@link #run}, but empty when Drive answers 404: the file is not (or no longer) there. */
    <T> Optional<T> runUnlessNotFound(String what, Call<T> call) {
        Outcome<T> outcome = attempt(what, call, true);
        return outcome.found() ? Optional.ofNullable(outcome.value()) : Optional.empty();
    }

    private record Outcome<T>(boolean found, T value) {
    }

    private <T> Outcome<T> attempt(String what, Call<T> call, boolean notFoundIsAnAnswer) {
        int retries = 0;
        while (true) {
            try {
                return new Outcome<>(true, call.run());
            } catch (IOException e) {
                DriveFailure failure = DriveFailure.of(e);
                if (notFoundIsAnAnswer && failure.kind() == DriveFailure.Kind.NOT_FOUND) {
                    return new Outcome<>(false, null);
                }
                if (!failure.retryable() || retries >= attempts) {
                    throw failure.toException(what, retries);
                }
                retries++;
                pause(what, retries, failure);
            }
        }
    }

    /** Waits before retry number {@code retry} (1 for the first) of a step that failed with {@code failure}. */
    void pause(String what, int retry, DriveFailure failure) {
        Duration delay = delay(retry, failure.retryAfter());
        LOG.info("Drive: {} failed ({}); retry {} of {} in {} ms", what, failure.summary(), retry, attempts,
                delay.toMillis());
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailedException("Drive: " + what + " interrupted", e);
        }
    }

    Duration delay(int retry, Optional<Duration> retryAfter) {
        long base = initial.toMillis() << Math.min(Math.max(retry - 1, 0), MAX_DOUBLINGS);
        // "equal jitter": half fixed, half random, so concurrent clients spread out but never retry at once
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base - base / 2 + 1);
        Duration delay = Duration.ofMillis(jittered);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay = retryAfter.get();
        }
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
}
