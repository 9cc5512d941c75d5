package dev.sqlitebackup.domain.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file name of a backup, {@code backup-YYYY-MM-DD-HHMMSS.db}, the time in UTC. Only a whole name of exactly this
 * form (and a real date) is a backup name; every other file in a backup folder is foreign and never touched.
 */
public record BackupName(String value) implements Comparable<BackupName> {

    private static final Pattern FORM =
            Pattern.compile("backup-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})(\\d{2})(\\d{2})\\.db");
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("'backup-'uuuu-MM-dd-HHmmss'.db'").withZone(ZoneOffset.UTC);
    /** The suffix of the checksum file written beside each backup, in {@code sha256sum} format. */
    public static final String SIDECAR_SUFFIX = ".sha256";

    public BackupName {
        if (value == null || parseInstant(value).isEmpty()) {
            throw new IllegalArgumentException("not a backup name (backup-YYYY-MM-DD-HHMMSS.db): " + value);
        }
    }

    /** The name for a backup taken at {@code instant}, to the second. */
    public static BackupName at(Instant instant) {
        return new BackupName(FORMAT.format(instant.truncatedTo(ChronoUnit.SECONDS)));
    }

    /** The backup name this file name is, or empty when it is any other file. */
    public static Optional<BackupName> parse(String fileName) {
        return fileName != null && parseInstant(fileName).isPresent()
                ? Optional.of(new BackupName(fileName)) : Optional.empty();
    }

    /** The instant the backup was taken, from its name (UTC). */
    public Instant instant() {
        return parseInstant(value).orElseThrow();
    }

    /** The name one second later: where a backup goes when its own second is taken already. */
    public BackupName nextSecond() {
        return at(instant().plusSeconds(1));
    }

    /** Whether the name is in the future by the rule of {@link FutureTimes}. */
    public boolean isFuture(Instant now) {
        return FutureTimes.isFuture(instant(), now);
    }

    public String sidecarName() {
        return value + SIDECAR_SUFFIX;
    }

    @Override
    public int compareTo(BackupName other) {
        // Fixed-width digits: the lexical order is the time order.
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static Optional<Instant> parseInstant(String name) {
        Matcher m = FORM.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDateTime time = LocalDateTime.of(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
            return Optional.of(time.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException notARealTime) {
            return Optional.empty();
        }
    }
}
