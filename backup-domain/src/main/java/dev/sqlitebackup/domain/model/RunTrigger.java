package dev.sqlitebackup.domain.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What started a run: a person, the schedule, the catch-up after downtime, or a retry of a failed run. */
public enum RunTrigger {
    MANUAL,
    SCHEDULED,
    CATCH_UP,
    RETRY;

    /** How the trigger is written in the history: {@code manual}, {@code scheduled}, {@code catch-up}, {@code retry}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<RunTrigger> ofLabel(String label) {
        return Arrays.stream(values()).filter(t -> t.label().equals(label)).findFirst();
    }
}
