package dev.sqlitebackup.app.daemon;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * When the daemon backs up: a Quartz cron expression (seconds first, {@code 0 0 3 * * ?} is daily at 03:00) or a
 * standard 5-field cron line ({@code 0 3 * * *}), in a time zone.
 *
 * @param given  the expression as the user wrote it
 * @param quartz the same as Quartz reads it
 */
public record BackupSchedule(String given, String quartz, ZoneId zone) {

    /** Daily at 03:00. */
    public static final String DEFAULT = "0 0 3 * * ?";

    /** How far back {@link #lastAtOrBefore} looks: a schedule that fires less often than this never caught up. */
    private static final Duration LOOK_BACK = Duration.ofDays(5 * 366);
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    public BackupSchedule {
        Objects.requireNonNull(given, "given");
        Objects.requireNonNull(quartz, "quartz");
        Objects.requireNonNull(zone, "zone");
    }

    /** @throws IllegalArgumentException with a one-line reason when the expression is not usable */
    public static BackupSchedule parse(String expression, ZoneId zone) {
        String given = expression.strip().replaceAll("\\s+", " ");
        String[] fields = given.isEmpty() ? new String[0] : given.split(" ");
        String quartz = switch (fields.length) {
            case 5 -> fromStandardCron(fields);
            case 6, 7 -> given;
            default -> throw new IllegalArgumentException("a cron expression has 5 fields (minute hour day month "
                    + "weekday) or, for Quartz, 6 or 7 (seconds first), not " + fields.length);
        };
        try {
            CronExpression.validateExpression(quartz);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage() == null ? "invalid" : e.getMessage().strip(), e);
        }
        BackupSchedule schedule = new BackupSchedule(given, quartz, zone);
        if (schedule.nextAfter(Instant.now()).isEmpty()) {
            throw new IllegalArgumentException("it never fires");
        }
        return schedule;
    }

    /**
     * {@code m h dom mon dow} to Quartz's {@code s m h dom mon dow}: seconds 0, and '?' for whichever day field is
     * '*' (Quartz takes one of them only). Numeric weekdays move from cron's 0-7 (0 and 7 Sunday) to Quartz's 1-7
     * (1 Sunday); names (MON-FRI) mean the same in both.
     */
    private static String fromStandardCron(String[] f) {
        String dom = f[2];
        String dow = f[4];
        if (dow.equals("*") || dow.equals("?")) {
            dow = "?";
            if (dom.equals("?")) {
                dom = "*";
            }
        } else if (dom.equals("*") || dom.equals("?")) {
            dom = "?";
            dow = quartzWeekdays(dow);
        } else {
            throw new IllegalArgumentException("a day of the month and a day of the week together are not "
                    + "supported; give one and '*' for the other");
        }
        return String.join(" ", "0", f[0], f[1], dom, f[3], dow);
    }

    private static String quartzWeekdays(String dow) {
        List<String> parts = new ArrayList<>();
        for (String part : dow.split(",", -1)) {
            String[] stepped = part.split("/", 2);
            String range = stepped[0];
            String converted;
            if (range.contains("#")) {
                // "1#2" is the second Monday: only the weekday moves to Quartz's numbering, never the count
                String[] nth = range.split("#", 2);
                if (!nth[1].matches("[1-5]") || stepped.length > 1) {
                    throw new IllegalArgumentException("'" + part + "': the week of the month after '#' must be "
                            + "1 to 5");
                }
                converted = (NUMBER.matcher(nth[0]).matches() ? String.valueOf(shift(Integer.parseInt(nth[0])))
                        : nth[0]) + "#" + nth[1];
            } else if (range.matches("\\d+-7")) {
                // "5-7" (Friday to Sunday) is "6-7,1" in Quartz: its week ends on Saturday
                int from = Integer.parseInt(range.substring(0, range.indexOf('-')));
                converted = from == 0 ? "1-7" : (shift(from) + "-7,1");
                if (stepped.length > 1) {
                    throw new IllegalArgumentException("a weekday range ending on 7 with a step is not supported");
                }
            } else {
                Matcher m = NUMBER.matcher(range);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(sb, String.valueOf(shift(Integer.parseInt(m.group()))));
                }
                m.appendTail(sb);
                converted = sb.toString();
            }
            parts.add(stepped.length > 1 ? converted + "/" + stepped[1] : converted);
        }
        return String.join(",", parts);
    }

    private static int shift(int cronWeekday) {
        if (cronWeekday > 7) {
            throw new IllegalArgumentException("weekday " + cronWeekday + " is out of range 0-7");
        }
        return cronWeekday == 7 ? 1 : cronWeekday + 1;
    }

    /** A fresh Quartz expression in the zone (CronExpression is not safe to share between threads). */
    public CronExpression cron() {
        try {
            CronExpression cron = new CronExpression(quartz);
            cron.setTimeZone(TimeZone.getTimeZone(zone));
            return cron;
        } catch (ParseException e) {
            throw new IllegalStateException("validated expression no longer parses: " + quartz, e);
        }
    }

    /**
     * The first fire time strictly after {@code instant}; empty when it never fires again. A fire time that falls
     * into a daylight-saving gap (02:30 on the night clocks jump from 02:00 to 03:00) does not exist, and Quartz
     * would skip that day; here it fires once at the first instant after the gap (03:00), unless the schedule fires
     * anyway within the gap's length after it (an hourly or quarter-hourly schedule loses nothing).
     */
    public Optional<Instant> nextAfter(Instant instant) {
        return nextAfter(cron(), instant);
    }

    private Optional<Instant> nextAfter(CronExpression cron, Instant instant) {
        Optional<Instant> regular = Optional.ofNullable(cron.getTimeAfter(Date.from(instant))).map(Date::toInstant);
        Instant limit = regular.orElse(instant.plus(LOOK_BACK));
        ZoneRules rules = zone.getRules();
        for (ZoneOffsetTransition t = rules.nextTransition(instant); t != null && t.getInstant().isBefore(limit);
                t = rules.nextTransition(t.getInstant())) {
            if (t.isGap() && firesInGap(t) && !firesWithin(cron, t.getInstant(), t.getDuration())) {
                return Optional.of(t.getInstant());
            }
        }
        return regular;
    }

    /**
     * The next fire time after {@code instant} when it is one moved out of a daylight-saving gap, which Quartz's cron
     * trigger knows nothing of (so the daemon schedules it itself); empty when the next fire time is a regular one.
     */
    public Optional<Instant> movedOutOfGapAfter(Instant instant) {
        CronExpression cron = cron();
        Date regular = cron.getTimeAfter(Date.from(instant));
        return nextAfter(cron, instant).filter(next -> regular == null || next.isBefore(regular.toInstant()));
    }

    /** Whether one of the schedule's wall-clock times lies in the gap (read on the clock before the jump). */
    private boolean firesInGap(ZoneOffsetTransition gap) {
        try {
            CronExpression before = new CronExpression(quartz);
            before.setTimeZone(TimeZone.getTimeZone(gap.getOffsetBefore()));
            Date fire = before.getTimeAfter(Date.from(gap.getInstant().minusSeconds(1)));
            return fire != null && fire.toInstant().isBefore(gap.getInstant().plus(gap.getDuration()));
        } catch (ParseException e) {
            throw new IllegalStateException("validated expression no longer parses: " + quartz, e);
        }
    }

    private static boolean firesWithin(CronExpression cron, Instant from, Duration length) {
        Date fire = cron.getTimeAfter(Date.from(from.minusSeconds(1)));
        return fire != null && fire.toInstant().isBefore(from.plus(length));
    }

    /**
     * The latest fire time at or before {@code now} (Quartz cannot compute it backwards): the last of the fire
     * times in a window before now, the window doubling from a minute until one is found. A run moved out of a
     * daylight-saving gap counts at the time it runs (see {@link #nextAfter}).
     */
    public Optional<Instant> lastAtOrBefore(Instant now) {
        CronExpression cron = cron();
        // Quartz works in whole seconds: a fire at exactly now counts
        Instant end = now.plusMillis(1);
        for (Duration window = Duration.ofMinutes(1); window.compareTo(LOOK_BACK.multipliedBy(2)) < 0;
                window = window.multipliedBy(2)) {
            Instant last = null;
            Optional<Instant> t = nextAfter(cron, end.minus(window));
            while (t.isPresent() && t.get().isBefore(end)) {
                last = t.get();
                t = nextAfter(cron, last);
            }
            if (last != null) {
                return Optional.of(last);
            }
        }
        return Optional.empty();
    }

    /** For messages: {@code '0 0 3 * * ?' in Europe/Berlin}. */
    public String describe() {
        return "'" + given + "' in " + zone.getId();
    }
}
