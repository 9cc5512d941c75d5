package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.domain.model.SnapshotProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress display on a terminal, shown only once a copy has taken more than two seconds, so quick
 * backups stay quiet and logs stay clean.
 */
final class TerminalProgress implements SnapshotProgress {

    private static final long SHOW_AFTER_NANOS = 2_000_000_000L;
    private static final long EVERY_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final long started = System.nanoTime();
    private long lastShown;
    private boolean shown;

    TerminalProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void update(long written, long expectedTotal) {
        long now = System.nanoTime();
        if (now - started < SHOW_AFTER_NANOS || now - lastShown < EVERY_NANOS) {
            return;
        }
        lastShown = now;
        shown = true;
        String percent = expectedTotal > 0
                ? String.format(Locale.ROOT, " (%d%%)", Math.min(100, written * 100 / expectedTotal)) : "";
        err.print("\r  copying: " + Formats.size(written) + " of " + Formats.size(expectedTotal) + percent + "   ");
        err.flush();
    }

    /** Clears the line, if anything was shown. */
    synchronized void finish() {
        if (shown) {
            err.print("\r" + " ".repeat(60) + "\r");
            err.flush();
        }
    }
}
