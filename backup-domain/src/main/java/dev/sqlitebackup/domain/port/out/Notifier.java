package dev.sqlitebackup.domain.port.out;

import dev.sqlitebackup.domain.model.DriftAlert;
import dev.sqlitebackup.domain.model.DrillFailure;
import dev.sqlitebackup.domain.model.RunReport;
import dev.sqlitebackup.domain.model.RunSummary;

/** Out-port: tells the owner how a run went. Never fails the run and never delays it beyond a bounded time. */
public interface Notifier {

    /** Notifications are off: nothing is sent, and that counts as delivered. */
    Notifier OFF = report -> true;

    /** Sends the report; returns whether it was delivered. Never throws. */
    boolean notify(RunReport report);

    /**
     * Sends the summary of a run over many databases (successes are told once per run this way, not once per
     * database); returns whether it was delivered. Never throws. Notifiers that cannot summarise send nothing.
     */
    default boolean notify(RunSummary summary) {
        return true;
    }

    /**
     * Tells the owner, with high priority, that a restore drill failed and which check failed; returns whether it was
     * delivered. Never throws. Notifiers that cannot tell it send nothing.
     */
    default boolean notify(DrillFailure failure) {
        return true;
    }

    /**
     * Tells the owner, with high priority, that a table shrank or disappeared and which backup was pinned; returns
     * whether it was delivered. Never throws. Notifiers that cannot tell it send nothing.
     */
    default boolean notify(DriftAlert alert) {
        return true;
    }
}
