package dev.sqlitebackup.domain.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * When a backup's tables count as drifted from the previous backup's: a table of at least {@code minRows} rows that
 * lost more than {@code maxShrink} of them (0.5: more than half), or that is gone. The previous backup is then pinned
 * for {@code pinFor}.
 */
public record DriftPolicy(double maxShrink, Duration pinFor, long minRows) {

    /** Tables smaller than this are not judged: a queue of 30 jobs emptied overnight is no mass delete. */
    public static final long DEFAULT_MIN_ROWS = 100;

    public DriftPolicy {
        Objects.requireNonNull(pinFor, "pinFor");
        if (!(maxShrink > 0 && maxShrink < 1)) {
            throw new IllegalArgumentException("maxShrink must be between 0 and 1, got " + maxShrink);
        }
        if (pinFor.isNegative() || pinFor.isZero() || minRows < 0) {
            throw new IllegalArgumentException("pinFor must be positive and minRows not negative");
        }
    }

    /** What drifted from {@code before} to {@code now}, one line per table ({@code table messages: 120,433 -> 12 rows}). */
    public List<String> changes(List<TableCount> before, List<TableCount> now) {
        Map<String, TableCount> current = now.stream().collect(Collectors.toMap(TableCount::table,
                Function.identity(), (a, b) -> a));
        List<String> changes = new ArrayList<>();
        for (TableCount was : before) {
            if (was.rows() < minRows) {
                continue;
            }
            TableCount is = current.get(was.table());
            if (is == null) {
                changes.add(String.format(Locale.ROOT, "table %s: gone (%,d rows before)", was.table(), was.rows()));
            } else if (is.rows() < was.rows() * (1 - maxShrink)) {
                changes.add(String.format(Locale.ROOT, "table %s: %,d -> %,d rows", was.table(), was.rows(),
                        is.rows()));
            }
        }
        return changes;
    }
}
