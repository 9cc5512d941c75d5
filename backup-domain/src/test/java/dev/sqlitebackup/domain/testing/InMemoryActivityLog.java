package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory {@link ActivityLog}: the runs in a list, each with the database it was recorded for; can play a broken
 * state database. Views for other databases ({@link #forDatabase}) share the list, as installations share a file.
 */
public final class InMemoryActivityLog implements ActivityLog {

    private static final Comparator<RunRecord> NEWEST_START_FIRST =
            Comparator.comparing(RunRecord::startedAt).thenComparingLong(RunRecord::id).reversed();

    /** What every view of one log shares. */
    private static final class Store {
        private final List<RunRecord> runs = new ArrayList<>();
        private final Map<Long, DatabaseIdentity> databaseOf = new HashMap<>();
        private final List<String> warnings = new ArrayList<>();
        private long nextId = 1;
        private boolean broken;
    }

    private final Store store;
    private final Optional<DatabaseIdentity> database;

    /** Every run, recording new ones without a database. */
    public InMemoryActivityLog() {
        this(new Store(), Optional.empty());
    }

    private InMemoryActivityLog(Store store, Optional<DatabaseIdentity> database) {
        this.store = store;
        this.database = database;
    }

    /** The same log, for {@code of}'s runs only (and those recorded without a database). */
    public InMemoryActivityLog forDatabase(DatabaseIdentity of) {
        return new InMemoryActivityLog(store, Optional.of(of));
    }

    /** From now on nothing can be written or read, as with a corrupt state database. */
    public void breakIt() {
        synchronized (store) {
            store.broken = true;
        }
    }

    /** Adds a finished run, as an earlier process would have recorded it. */
    public RunRecord put(RunRecord run) {
        synchronized (store) {
            RunRecord stored = run.withId(store.nextId++);
            store.runs.add(stored);
            database.ifPresent(d -> store.databaseOf.put(stored.id(), d));
            return stored;
        }
    }

    /** Every run of this log's database, oldest start first. */
    public List<RunRecord> all() {
        synchronized (store) {
            List<RunRecord> copy = new ArrayList<>(visible());
            copy.sort(NEWEST_START_FIRST.reversed());
            return copy;
        }
    }

    /** What the log would have warned about (the real adapter logs these). */
    public List<String> warnings() {
        synchronized (store) {
            return List.copyOf(store.warnings);
        }
    }

    @Override
    public String describe() {
        return "in-memory activity log";
    }

    @Override
    public RunRecord start(RunTrigger trigger, Instant startedAt) {
        synchronized (store) {
            if (store.broken) {
                store.warnings.add("activity log is broken; the run is not recorded");
                return RunRecord.started(0, trigger, startedAt);
            }
            return put(RunRecord.started(0, trigger, startedAt));
        }
    }

    @Override
    public void finish(RunRecord ended) {
        synchronized (store) {
            if (store.broken) {
                store.warnings.add("activity log is broken; the run's end is not recorded");
                return;
            }
            if (ended.id() == 0) {
                put(ended);
                return;
            }
            store.runs.replaceAll(r -> r.id() == ended.id() ? ended : r);
        }
    }

    @Override
    public List<RunRecord> recent(int limit) {
        synchronized (store) {
            failIfBroken();
            return visible().stream().sorted(NEWEST_START_FIRST).limit(limit).toList();
        }
    }

    @Override
    public Optional<RunRecord> lastSuccess() {
        synchronized (store) {
            failIfBroken();
            return visible().stream().filter(RunRecord::succeeded).filter(r -> r.trigger().backsUp())
                    .max(Comparator.comparing((RunRecord r) -> r.endedAt().orElseThrow())
                            .thenComparingLong(RunRecord::id));
        }
    }

    @Override
    public Optional<RunRecord> lastProven() {
        synchronized (store) {
            failIfBroken();
            return visible().stream().filter(RunRecord::succeeded).filter(r -> !r.trigger().backsUp())
                    .max(Comparator.comparing((RunRecord r) -> r.endedAt().orElseThrow())
                            .thenComparingLong(RunRecord::id));
        }
    }

    /** The runs of this log's database and those recorded without one; every run for a log of no database. */
    private List<RunRecord> visible() {
        return store.runs.stream().filter(r -> database.isEmpty() || !store.databaseOf.containsKey(r.id())
                || store.databaseOf.get(r.id()).equals(database.get())).toList();
    }

    private void failIfBroken() {
        if (store.broken) {
            throw new BackupFailedException("activity log in memory cannot be read: it is broken");
        }
    }
}
