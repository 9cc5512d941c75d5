package dev.sqlitebackup.domain.model;

import java.time.Duration;
import java.time.Instant;

/**
 * The one rule for times ahead of the clock (backup names and run times written while a clock was ahead, a folder
 * copied from another machine): a time more than {@link #TOLERANCE} after now is in the future. A backup or run in
 * the future is reported with a warning and never counts as the last success; up to the tolerance (a small clock
 * step) a time counts as now. Retention goes further and never deletes a backup named after now
 * ({@link RetentionPolicy#plan}), so none of them ever makes a run fail.
 */
public final class FutureTimes {

    /** How far ahead of the clock a time may be and still count as now. */
    public static final Duration TOLERANCE = Duration.ofHours(1);

    private FutureTimes() {
    }

    public static boolean isFuture(Instant time, Instant now) {
        return time.isAfter(now.plus(TOLERANCE));
    }
}
