package dev.sqlitebackup.domain.model;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rows of one table of a backup: counted ({@code count(*)}), or, for a huge table, SQLite's estimate from
 * {@code sqlite_stat1} ({@code estimated}).
 */
public record TableCount(String table, long rows, boolean estimated) {

    public TableCount {
        Objects.requireNonNull(table, "table");
        if (rows < 0) {
            throw new IllegalArgumentException("negative row count for " + table);
        }
    }

    /**
     * The counts as one line of text, {@code messages=120433 big~=12000000} with {@code separator} between them: names
     * URL-encoded (so they never hold the separator, a space or {@code =}), {@code ~} before {@code =} for an estimate.
     * The sidecar's note and the activity log write them so.
     */
    public static String encode(List<TableCount> counts, char separator) {
        StringBuilder text = new StringBuilder();
        for (TableCount t : counts) {
            if (text.length() > 0) {
                text.append(separator);
            }
            text.append(URLEncoder.encode(t.table(), StandardCharsets.UTF_8)).append(t.estimated() ? "~=" : "=")
                    .append(t.rows());
        }
        return text.toString();
    }

    /** The counts {@link #encode} wrote; what cannot be read is left out (a count is never worth a failed read). */
    public static List<TableCount> decode(String text, char separator) {
        List<TableCount> tables = new ArrayList<>();
        for (String part : text.split(java.util.regex.Pattern.quote(String.valueOf(separator)))) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) {
                continue;
            }
            boolean estimated = part.charAt(eq - 1) == '~';
            String name = part.substring(0, estimated ? eq - 1 : eq);
            try {
                tables.add(new TableCount(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        Long.parseLong(part.substring(eq + 1)), estimated));
            } catch (IllegalArgumentException unreadable) {
                // left out
            }
        }
        return tables;
    }
}
