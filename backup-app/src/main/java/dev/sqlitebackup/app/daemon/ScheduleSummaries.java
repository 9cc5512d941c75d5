package dev.sqlitebackup.app.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The successes of one run of the schedule, told once: the databases that share a schedule fire together, and when
 * the last of them has ended, their outcomes go out as one summary (failures are told on their own, at once, by each
 * run). A database whose run was skipped (still running from before) never ends that run: its group's summary goes
 * out when a later run of the group ends, or when the daemon stops.
 */
public final class ScheduleSummaries implements BackupDaemon.RunListener {

    /** How one database's scheduled run ended. */
    public record Outcome(String name, boolean succeeded, long sizeBytes) {
    }

    /** Where a summary goes. */
    @FunctionalInterface
    public interface Sink {
        void summary(List<Outcome> outcomes, Instant finishedAt, Duration took);
    }

    private record Group(String cron, String zone) {
    }

    private record Due(Group group, Instant fireTime) {
    }

    private final Sink sink;
    private final java.time.Clock clock;
    private final Map<Group, Set<String>> members = new HashMap<>();
    private final Map<Due, Map<String, Outcome>> pending = new LinkedHashMap<>();

    public ScheduleSummaries(Sink sink, java.time.Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static Group group(BackupSchedule schedule) {
        return new Group(schedule.quartz(), schedule.zone().getId());
    }

    /** {@code name} runs on {@code schedule} from now on. */
    public synchronized void member(String name, BackupSchedule schedule) {
        members.computeIfAbsent(group(schedule), g -> new LinkedHashSet<>()).add(name);
    }

    /** {@code name} is no longer scheduled (its source vanished, or the daemon stops it). */
    public synchronized void remove(String name) {
        members.values().forEach(names -> names.remove(name));
    }

    @Override
    public void scheduledRunEnded(String name, BackupSchedule schedule, Instant fireTime, boolean succeeded,
            long sizeBytes) {
        List<Map.Entry<Due, Map<String, Outcome>>> due = new ArrayList<>();
        synchronized (this) {
            Group group = group(schedule);
            Due at = new Due(group, fireTime);
            pending.computeIfAbsent(at, d -> new LinkedHashMap<>()).put(name, new Outcome(name, succeeded,
                    sizeBytes));
            Set<String> expected = members.getOrDefault(group, Set.of());
            for (Iterator<Map.Entry<Due, Map<String, Outcome>>> it = pending.entrySet().iterator(); it.hasNext();) {
                Map.Entry<Due, Map<String, Outcome>> e = it.next();
                boolean complete = e.getKey().equals(at) && e.getValue().keySet().containsAll(expected);
                boolean overtaken = e.getKey().group().equals(group) && e.getKey().fireTime().isBefore(fireTime);
                if (complete || overtaken) {
                    due.add(e);
                    it.remove();
                }
            }
        }
        due.forEach(this::send);
    }

    /** Sends what is pending: at stop, the runs that will not all end now. */
    public void flush() {
        List<Map.Entry<Due, Map<String, Outcome>>> due;
        synchronized (this) {
            due = new ArrayList<>(pending.entrySet());
            pending.clear();
        }
        due.forEach(this::send);
    }

    private void send(Map.Entry<Due, Map<String, Outcome>> run) {
        Instant now = clock.instant();
        Duration took = Duration.between(run.getKey().fireTime(), now);
        sink.summary(List.copyOf(run.getValue().values()), now, took.isNegative() ? Duration.ZERO : took);
    }
}
