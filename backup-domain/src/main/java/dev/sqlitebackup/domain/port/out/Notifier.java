package dev.sqlitebackup.domain.port.out;

import dev.sqlitebackup.domain.model.RunReport;

/** Out-port: tells the owner how a run went. Never fails the run and never delays it beyond a bounded time. */
public interface Notifier {

    /** Notifications are off: nothing is sent, and that counts as delivered. */
    Notifier OFF = report -> true;

    /** Sends the report; returns whether it was delivered. Never throws. */
    boolean notify(RunReport report);
}
