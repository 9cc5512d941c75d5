package dev.sqlitebackup.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a daemon that is starting owes a backup: when the schedule's latest fire time before now has no successful
 * run that finished after it, the machine was off (or the run failed) at that time, and one backup runs at once.
 *
 * @param due    run one backup now
 * @param reason why, for the daemon's start message
 */
public record CatchUp(boolean due, String reason) {

    public CatchUp {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param now                the daemon's start
     * @param lastFireTime       the schedule's latest fire time at or before now; empty when it never fired yet
     * @param lastSuccessEndedAt when the last successful run ended; empty when there was none. One dated in the
     *                           future (see {@link FutureTimes}) covers nothing: it would hide every missed run.
     */
    public static CatchUp decide(Instant now, Optional<Instant> lastFireTime, Optional<Instant> lastSuccessEndedAt) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(lastFireTime, "lastFireTime");
        Objects.requireNonNull(lastSuccessEndedAt, "lastSuccessEndedAt");
        if (lastFireTime.isEmpty()) {
            return new CatchUp(false, "the schedule has not fired yet");
        }
        Instant fire = lastFireTime.get();
        if (lastSuccessEndedAt.isEmpty()) {
            return new CatchUp(true, "no successful backup is recorded, the schedule last fired at " + fire);
        }
        Instant success = lastSuccessEndedAt.get();
        if (FutureTimes.isFuture(success, now)) {
            return new CatchUp(true, "the last recorded success (" + success + ") is dated in the future (a clock "
                    + "ahead?), so it covers nothing; the schedule last fired at " + fire);
        }
        // A run that finished at or after the fire time covers it: it was taken then, or was running at that time.
        if (success.isBefore(fire)) {
            return new CatchUp(true, "the last successful backup (" + success + ") is older than the schedule's "
                    + "last fire time " + fire);
        }
        return new CatchUp(false, "the last successful backup (" + success + ") covers the schedule's last fire "
                + "time " + fire);
    }
}
