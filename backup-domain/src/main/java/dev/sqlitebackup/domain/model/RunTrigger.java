package dev.sqlitebackup.domain.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What started a run: a person, the schedule, the catch-up after downtime, or a retry of a failed run; or a restore
 * drill (a run that proves the latest backup restorable, and makes none).
 */
public enum RunTrigger {
    MANUAL,
    SCHEDULED,
    CATCH_UP,
    RETRY,
    DRILL;

    /**
     * How the trigger is written in the history: {@code manual}, {@code scheduled}, {@code catch-up}, {@code retry},
     * {@code drill}.
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the run made a backup (every trigger but a drill). */
    public boolean backsUp() {
        return this != DRILL;
    }

    public static Optional<RunTrigger> ofLabel(String label) {
        return Arrays.stream(values()).filter(t -> t.label().equals(label)).findFirst();
    }
}
