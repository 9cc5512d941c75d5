package dev.sqlitebackup.adapters.ntfy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Sizes, durations and times as people read them in a notification: "12.3 MiB", "4.2 s", ISO-8601. */
final class HumanUnits {

    private static final String[] BINARY_UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private HumanUnits() {
    }

    /** {@code 512 B}, {@code 1.0 KiB}, {@code 12.3 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes / 1024.0;
        int unit = 0;
        // 1023.95 would print as "1024.0 KiB": show it as "1.0 MiB" instead.
        while (value >= 1023.95 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BINARY_UNITS[unit]);
    }

    /** {@code 850 ms}, {@code 4.2 s}, {@code 3 min 12 s}, {@code 2 h 5 min}, {@code 3 d 4 h}. */
    static String duration(Duration duration) {
        Duration d = duration.isNegative() ? Duration.ZERO : duration;
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 59_950) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 24 * 60) {
            return minutes / 60 + " h " + minutes % 60 + " min";
        }
        long hours = minutes / 60;
        return hours / 24 + " d " + hours % 24 + " h";
    }

    /** ISO-8601 to the second in {@code zone}: {@code 2026-07-01T03:00:00Z}, {@code 2026-07-01T05:00:00+02:00}. */
    static String time(Instant instant, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                ZonedDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), zone));
    }
}
