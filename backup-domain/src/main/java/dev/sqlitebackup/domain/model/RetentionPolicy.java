package dev.sqlitebackup.domain.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How many backups to keep: every backup of the {@code keepDaily} most recent days that have one, the newest of each
 * of the {@code keepWeekly} most recent ISO weeks and {@code keepMonthly} most recent months that have one, and the
 * {@code keepLast} newest. Periods count only when they hold a backup, so a long pause never costs history.
 */
public record RetentionPolicy(int keepDaily, int keepWeekly, int keepMonthly, int keepLast) {

    /** 7 daily, 4 weekly, 12 monthly, and never fewer than the 7 newest. */
    public static final RetentionPolicy DEFAULT = new RetentionPolicy(7, 4, 12, 7);

    public RetentionPolicy {
        requireNotNegative("daily", keepDaily);
        requireNotNegative("weekly", keepWeekly);
        requireNotNegative("monthly", keepMonthly);
        requireNotNegative("last", keepLast);
        if (keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0 && keepLast == 0) {
            throw new InvalidInputException("retention policy keeps nothing: at least one of daily, weekly, "
                    + "monthly or last must be above 0");
        }
    }

    private static void requireNotNegative(String what, int count) {
        if (count < 0) {
            throw new InvalidInputException("retention " + what + " count must not be negative, got " + count);
        }
    }

    /** The reason a backup named after now is kept: its time has not come, so no rule can judge it yet. */
    public static final String FUTURE = "future";

    /** The reason a pinned backup is kept ({@link Pin}): until it is unpinned or its pin expires. */
    public static final String PINNED = "pinned";

    /** {@link #plan(Collection, ZoneId, Instant, Collection)} without pins. */
    public RetentionPlan plan(Collection<BackupName> backups, ZoneId zone, Instant now) {
        return plan(backups, zone, now, List.of());
    }

    /**
     * Decides, as a pure function of the backups, the zone, this policy and the time, which backups to keep (with the
     * reasons) and which to delete. A backup's day, week and month are those of its instant in {@code zone}. A
     * backup named after {@code now} (a clock that was ahead, a folder copied from another machine) is kept for the
     * reason {@value #FUTURE}, and the others are planned as if it were not there: so the newest backup up to now
     * is always kept, and one backup from the future can neither take the place of the ones the policy keeps nor
     * make the backup just taken a candidate for deletion. A backup with a pin that holds at {@code now} is kept for
     * the reason {@value #PINNED} as well, whatever else the rules say; pins of other backups change nothing (a
     * pinned backup takes no rule's place, as one from the future does not).
     */
    public RetentionPlan plan(Collection<BackupName> backups, ZoneId zone, Instant now, Collection<Pin> pins) {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(pins, "pins");
        List<BackupName> all = backups.stream().distinct().sorted(Comparator.reverseOrder()).toList();
        Map<BackupName, Set<String>> reasons = new LinkedHashMap<>();
        all.forEach(name -> reasons.put(name, new LinkedHashSet<>()));
        List<BackupName> newestFirst = new ArrayList<>(all.size());
        for (BackupName name : all) {
            if (name.instant().isAfter(now)) {
                reasons.get(name).add(FUTURE);
            } else {
                newestFirst.add(name);
            }
        }

        List<ZonedDateTime> local = newestFirst.stream().map(n -> n.instant().atZone(zone)).toList();

        // daily: all backups of the most recent days that have a backup
        Set<LocalDate> days = new HashSet<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            LocalDate day = local.get(i).toLocalDate();
            if (days.contains(day) || days.size() < keepDaily) {
                days.add(day);
                reasons.get(newestFirst.get(i)).add("daily");
            }
        }
        keepNewestPerPeriod(newestFirst, local, keepWeekly, RetentionPolicy::isoWeek, "weekly ", reasons);
        keepNewestPerPeriod(newestFirst, local, keepMonthly, t -> YearMonth.from(t).toString(), "monthly ", reasons);
        for (int i = 0; i < Math.min(keepLast, newestFirst.size()); i++) {
            reasons.get(newestFirst.get(i)).add("last");
        }

        for (Pin pin : pins) {
            if (pin.holdsAt(now) && reasons.containsKey(pin.backup())) {
                reasons.get(pin.backup()).add(PINNED);
            }
        }

        List<RetentionPlan.Decision> decisions = new ArrayList<>(all.size());
        reasons.forEach((name, why) -> decisions.add(why.isEmpty()
                ? new RetentionPlan.Delete(name)
                : new RetentionPlan.Keep(name, List.copyOf(why))));
        return new RetentionPlan(decisions);
    }

    private static void keepNewestPerPeriod(List<BackupName> newestFirst, List<ZonedDateTime> local, int count,
            Function<ZonedDateTime, String> periodOf, String reasonPrefix, Map<BackupName, Set<String>> reasons) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < newestFirst.size() && seen.size() < count; i++) {
            String period = periodOf.apply(local.get(i));
            if (seen.add(period)) {
                // newest first, so the first backup met in a period is its newest
                reasons.get(newestFirst.get(i)).add(reasonPrefix + period);
            }
        }
    }

    private static String isoWeek(ZonedDateTime time) {
        return String.format("%04d-W%02d",
                time.get(IsoFields.WEEK_BASED_YEAR), time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
