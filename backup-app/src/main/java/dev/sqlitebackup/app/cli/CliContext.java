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
}
