package dev.sqlitebackup.app.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;

/**
 * What every command shares: its use cases, the environment, where to write ({@code outStream} is the stream under
 * {@code out}, for libraries that print), and whether a person watches.
 */
public record CliContext(UseCases useCases, Map<String, String> env, PrintWriter out, PrintWriter err,
        PrintStream outStream, boolean interactive, Clock clock) {

    /** {@code err} as a stream, for libraries that print what is meant for the person rather than for stdout. */
    public PrintStream errStream() {
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream() {
            @Override
            public synchronized void flush() {
                err.print(toString(java.nio.charset.StandardCharsets.UTF_8));
                err.flush();
                reset();
            }
        };
        return new PrintStream(pending, true, java.nio.charset.StandardCharsets.UTF_8);
    }
}
