package dev.sqlitebackup.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.sqlitebackup.app.cli.CliContext;
import dev.sqlitebackup.app.cli.FileNameEncoding;
import dev.sqlitebackup.app.cli.SqliteBackupCli;
import dev.sqlitebackup.app.logging.LogFormat;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** Entry point of the runnable jar. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), System.out, System.err, System.console() != null));
    }

    /** Runs one command as the jar would, with the given environment and streams; returns the exit code. */
    public static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
            boolean interactive) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        Clock clock = Clock.systemUTC();
        CliContext context = new CliContext(new CompositionRoot(clock), env, outWriter, errWriter, out,
                interactive, clock);
        Optional<String> format = LogFormat.given(Arrays.asList(args));
        if (format.isPresent() && LogFormat.named(format.get()).isEmpty()) {
            return SqliteBackupCli.refuse(context, args, "--log-format: expected plain or json, got '"
                    + format.get() + "'");
        }
        LogFormat.use(format.flatMap(LogFormat::named).orElse(LogFormat.PLAIN), LogFormat.underJournald(env));
        configureLogging(Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose"));
        Optional<String> garbled = FileNameEncoding.garbled(args, env);
        if (garbled.isPresent()) {
            return SqliteBackupCli.refuse(context, args, garbled.get());
        }
        return SqliteBackupCli.commandLine(context, args).execute(args);
    }

    private static void configureLogging(boolean verbose) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.DEBUG : Level.WARN);
        QuietLogging.useCurrentFormat(root.getLoggerContext());
    }
}
