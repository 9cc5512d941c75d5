package dev.sqlitebackup.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The command line run in-process, as {@code Main.execute} runs it but over {@link FakeUseCases}: parsing, settings,
 * error lines and exit codes without starting a JVM.
 */
final class Cli {

    /** What one invocation printed and returned. */
    record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final FakeUseCases useCases;
    private final Clock clock;

    Cli(Clock clock) {
        this.clock = clock;
        this.useCases = new FakeUseCases(clock);
    }

    /** A context over {@link FakeUseCases} whose output goes nowhere. */
    CliContext quietContext() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        PrintWriter writer = new PrintWriter(nowhere, true, StandardCharsets.UTF_8);
        return new CliContext(useCases, Map.of(), writer, writer, nowhere, false, clock);
    }

    Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        CliContext context = new CliContext(useCases, env,
                new PrintWriter(outStream, true, StandardCharsets.UTF_8),
                new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true, StandardCharsets.UTF_8),
                outStream, false, clock);
        int code = SqliteBackupCli.commandLine(context, args).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
