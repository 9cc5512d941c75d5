package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** In-memory {@link ActivityLog}: the runs in a list; can play a broken state database. */
public final class InMemoryActivityLog implements ActivityLog {

    private static final Comparator<RunRecord> NEWEST_START_FIRST =
            Comparator.comparing(RunRecord::startedAt).thenComparingLong(RunRecord::id).reversed();

    private final List<RunRecord> runs = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long nextId = 1;
    private boolean broken;

    /** From now on nothing can be written or read, as with a corrupt state database. */
    public synchronized void breakIt() {
        broken = true;
    }

    /** Adds a finished run, as an earlier process would have recorded it. */
    public synchronized RunRecord put(RunRecord run) {
        RunRecord stored = run.withId(nextId++);
        runs.add(stored);
        return stored;
    }

    /** Every run, oldest start first. */
    public synchronized List<RunRecord> all() {
        List<RunRecord> copy = new ArrayList<>(runs);
        copy.sort(NEWEST_START_FIRST.reversed());
        return copy;
    }

    /** What the log would have warned about (the real adapter logs these). */
    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public String describe() {
        return "in-memory activity log";
    }

    @Override
    public synchronized RunRecord start(RunTrigger trigger, Instant startedAt) {
        if (broken) {
            warnings.add("activity log is broken; the run is not recorded");
            return RunRecord.started(0, trigger, startedAt);
        }
        return put(RunRecord.started(0, trigger, startedAt));
    }

    @Override
    public synchronized void finish(RunRecord ended) {
        if (broken) {
            warnings.add("activity log is broken; the run's end is not recorded");
            return;
        }
        if (ended.id() == 0) {
            put(ended);
            return;
        }
        runs.replaceAll(r -> r.id() == ended.id() ? ended : r);
    }

    @Override
    public synchronized List<RunRecord> recent(int limit) {
        failIfBroken();
        return runs.stream().sorted(NEWEST_START_FIRST).limit(limit).toList();
    }

    @Override
    public synchronized Optional<RunRecord> lastSuccess() {
        failIfBroken();
        return runs.stream().filter(RunRecord::succeeded)
                .max(Comparator.comparing((RunRecord r) -> r.endedAt().orElseThrow()).thenComparingLong(RunRecord::id));
    }

    private void failIfBroken() {
        if (broken) {
            throw new BackupFailedException("activity log in memory cannot be read: it is broken");
        }
    }
}
