package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Settings;
import dev.sqlitebackup.app.config.ConfigurationException;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sqlite-backup} command line: subcommands, exit codes, and one-line errors. */
@Command(name = "sqlite-backup", mixinStandardHelpOptions = true, versionProvider = SqliteBackupCli.Version.class,
        description = "Consistent, verified, rotated backups of a live SQLite database.",
        footer = {"", "Exit codes: 0 done, 1 the work failed (nothing deleted, no partial file left), "
                + "2 usage or configuration error (nothing created, changed or deleted)."})
public final class SqliteBackupCli implements Callable<Integer> {

    private final CliContext context;

    private SqliteBackupCli(CliContext context) {
        this.context = context;
    }

    /** The command line with every subcommand, writing to the context's streams. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cl = new CommandLine(new SqliteBackupCli(context));
        subcommands(context).values().forEach(make -> cl.addSubcommand(make.get()));
        return configured(cl, context);
    }

    /**
     * The command line for {@code args}: with the subcommand they name alone when they name one (picocli builds the
     * model of every subcommand it is given, about a tenth of a second of a tiny run's start), with every one
     * otherwise (no subcommand, an option, a mistyped name: the root's help and suggestions list them all).
     */
    public static CommandLine commandLine(CliContext context, String[] args) {
        Supplier<Object> named = args.length == 0 ? null : subcommands(context).get(args[0]);
        if (named == null) {
            return commandLine(context);
        }
        return configured(new CommandLine(new SqliteBackupCli(context)).addSubcommand(named.get()), context);
    }

    /** Every subcommand by its name, made only when asked for. */
    static Map<String, Supplier<Object>> subcommands(CliContext context) {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("run", () -> new RunCommand(context));
        all.put("daemon", () -> new DaemonCommand(context));
        all.put("history", () -> new HistoryCommand(context));
        all.put("status", () -> new StatusCommand(context));
        all.put("list", () -> new ListCommand(context));
        all.put("prune", () -> new PruneCommand(context));
        all.put("unpin", () -> new UnpinCommand(context));
        all.put("exec", () -> new ExecCommand(context));
        all.put("drill", () -> new DrillCommand(context));
        all.put("verify", () -> new VerifyCommand(context));
        all.put("restore", () -> new RestoreCommand(context));
        all.put("notify-test", () -> new NotifyTestCommand(context));
        all.put("drive-auth", () -> new DriveAuthCommand(context));
        all.put("keygen", () -> new KeygenCommand(context));
        all.put("sample", () -> new SampleCommand(context));
        return all;
    }

    private static CommandLine configured(CommandLine cl, CliContext context) {
        cl.setOut(context.out());
        cl.setErr(context.err());
        cl.setExecutionStrategy(parsed -> {
            // a mistyped variable would otherwise be silently ignored: say so before the command runs
            Settings.environmentWarnings(context.env())
                    .forEach(w -> context.err().println("sqlite-backup: warning: " + w));
            context.err().flush();
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler(SqliteBackupCli::handleFailure);
        cl.setParameterExceptionHandler(SqliteBackupCli::handleUsageError);
        return cl;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(context.out());
        context.out().flush();
        return ExitCodes.USAGE;
    }

    private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        int code;
        String message;
        if (e instanceof ConfigurationException || e instanceof InvalidInputException) {
            code = ExitCodes.USAGE;
            message = Remedies.messageOf(e);
        } else if (e instanceof BackupFailedException) {
            code = ExitCodes.FAILED;
            message = Remedies.messageOf(e);
        } else if (e instanceof CommandLine.ParameterException pe) {
            return handleUsageError(pe, parsed.originalArgs().toArray(new String[0]));
        } else {
            code = ExitCodes.FAILED;
            message = "unexpected error: " + e;
        }
        java.io.PrintWriter err = cl.getErr();
        String line = oneLine(FileNameEncoding.explain(message));
        err.println("sqlite-backup: " + line);
        if (Json.wanted(parsed.originalArgs())) {
            Json.print(cl.getOut(), Json.error(code, line));
        }
        if (verbose(parsed)) {
            // a server's answer in a cause's message may echo a token: the trace is filtered like the line
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            err.print(Redaction.redact(trace.toString()));
        }
        err.flush();
        return code;
    }

    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String line = oneLine(e.getMessage());
        cl.getErr().println("sqlite-backup: " + line + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        cl.getErr().flush();
        if (Json.wanted(java.util.Arrays.asList(args))) {
            Json.print(cl.getOut(), Json.error(ExitCodes.USAGE, line));
        }
        return ExitCodes.USAGE;
    }

    /**
     * A command line refused before picocli reads it ({@code message} is the one line): on stderr, and as the error
     * document on stdout when {@code args} ask for JSON.
     */
    public static int refuse(CliContext context, String[] args, String message) {
        context.err().println("sqlite-backup: " + message);
        context.err().flush();
        if (Json.wanted(java.util.Arrays.asList(args))) {
            Json.print(context.out(), Json.error(ExitCodes.USAGE, message));
        }
        return ExitCodes.USAGE;
    }

    /**
     * The one line a failure of one database's work is told in, as {@link #handleFailure} would tell it for the
     * whole invocation: for a run over many databases, where each may fail on its own.
     */
    static String failureLine(Exception e) {
        String message = e instanceof ConfigurationException || e instanceof InvalidInputException
                || e instanceof BackupFailedException ? Remedies.messageOf(e) : "unexpected error: " + e;
        return oneLine(FileNameEncoding.explain(message));
    }

    static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("-v")) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLite and the JDK sometimes put newlines in messages; an error is one line. Every error leaves the process
     * here, so here any secret in it (a server's echo, a password in a URL) is masked.
     */
    static String oneLine(String message) {
        return message == null ? "(no message)"
                : Redaction.redact(message.strip().replaceAll("\\s*\\R\\s*", "; "));
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SqliteBackupCli.class.getPackage().getImplementationVersion();
            return new String[] {"sqlite-backup " + (v == null ? "(development build)" : v)};
        }
    }
}
