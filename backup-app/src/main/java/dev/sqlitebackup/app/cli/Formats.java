package dev.sqlitebackup.app.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How sizes, durations and times read for people. */
final class Formats {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private Formats() {
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %d s", millis / 60_000, (millis % 60_000) / 1000);
    }

    static String time(Instant instant, ZoneId zone) {
        return LOCAL.format(instant.atZone(zone));
    }

    /** When a pin ends: its time, or "unpin" for one that holds until unpinned (a pin file that cannot be read). */
    static String pinnedUntil(Instant until, ZoneId zone) {
        return until.equals(Instant.MAX) ? "unpinned by hand" : time(until, zone);
    }
}
