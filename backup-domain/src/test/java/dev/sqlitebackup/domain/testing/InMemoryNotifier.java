package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.DriftAlert;
import dev.sqlitebackup.domain.model.DrillFailure;
import dev.sqlitebackup.domain.model.RunReport;
import dev.sqlitebackup.domain.model.RunSummary;
import dev.sqlitebackup.domain.port.out.Notifier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory {@link Notifier}: keeps every report; can play a server that is down. */
public final class InMemoryNotifier implements Notifier {

    private final List<RunReport> reports = new CopyOnWriteArrayList<>();
    private final List<RunSummary> summaries = new CopyOnWriteArrayList<>();
    private final List<DrillFailure> drillFailures = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    /** From now on nothing is delivered (reports are still recorded as attempted). */
    public void serverDown() {
        down = true;
    }

    public List<RunReport> reports() {
        return List.copyOf(reports);
    }

    /** The summaries of runs over many databases, in the order sent. */
    public List<RunSummary> summaries() {
        return List.copyOf(summaries);
    }

    @Override
    public boolean notify(RunReport report) {
        reports.add(report);
        return !down;
    }

    @Override
    public boolean notify(RunSummary summary) {
        summaries.add(summary);
        return !down;
    }

    private final List<DriftAlert> driftAlerts = new CopyOnWriteArrayList<>();

    /** The drift alerts told, in the order sent. */
    public List<DriftAlert> driftAlerts() {
        return List.copyOf(driftAlerts);
    }

    @Override
    public boolean notify(DriftAlert alert) {
        driftAlerts.add(alert);
        return !down;
    }

    /** The failed restore drills told, in the order sent. */
    public List<DrillFailure> drillFailures() {
        return List.copyOf(drillFailures);
    }

    @Override
    public boolean notify(DrillFailure failure) {
        drillFailures.add(failure);
        return !down;
    }
}
