package dev.sqlitebackup.domain.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a failed scheduled run is retried: up to {@code attempts} attempts in all, waiting {@code firstDelay} before
 * the second, then twice as long before each next one (1, 2, 4 ... minutes by default). Errors the user must fix
 * (a missing database, an unusable backup folder, a bad setting) are not retried: trying again cannot help.
 */
public record RetryPlan(int attempts, Duration firstDelay) {

    /** 3 attempts, 1 minute then 2 minutes apart. */
    public static final RetryPlan DEFAULT = new RetryPlan(3, Duration.ofMinutes(1));

    /** No delay grows past this, however many attempts are configured. */
    static final Duration LONGEST_DELAY = Duration.ofDays(1);

    public RetryPlan {
        Objects.requireNonNull(firstDelay, "firstDelay");
        if (attempts < 1) {
            throw new IllegalArgumentException("a run needs at least 1 attempt, got " + attempts);
        }
        if (firstDelay.isNegative() || firstDelay.isZero()) {
            throw new IllegalArgumentException("the retry delay must be positive, got " + firstDelay);
        }
    }

    /**
     * The wait before the next attempt after attempt {@code failedAttempt} (1 for the first run) failed; empty when
     * that was the last attempt.
     */
    public Optional<Duration> delayAfter(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + failedAttempt);
        }
        if (failedAttempt >= attempts) {
            return Optional.empty();
        }
        Duration delay = firstDelay;
        for (int i = 1; i < failedAttempt && delay.compareTo(LONGEST_DELAY) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return Optional.of(delay.compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY : delay);
    }

    /** Whether another attempt can help with this failure; a user's error stays until the user fixes it. */
    public static boolean worthRetrying(RuntimeException failure) {
        return !(failure instanceof InvalidInputException);
    }
}
