package dev.sqlitebackup.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sample}: a small database to try the tool on. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Create a small sample SQLite database (WAL mode) at PATH to try the tool on. Never "
                + "overwrites an existing file.")
public final class SampleCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "PATH", description = "Where to create the sample database.")
    Path path;

    // Read by Main before the command line is parsed (it sets the log level); declared so every command takes it.
    @Option(names = {"-v", "--verbose"}, description = "Debug logging, and stack traces for errors.")
    boolean verbose;

    @Option(names = "--json", description = "Print the result as JSON (docs/json.md).")
    boolean json;

    @Option(names = "--log-format", paramLabel = "plain|json", description = CommonOptions.LOG_FORMAT)
    String logFormat;

    public SampleCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.useCases().createSampleDatabase(path);
        if (json) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("database", path.toAbsolutePath().normalize().toString());
            Json.print(context.out(), o);
            return ExitCodes.OK;
        }
        context.out().println("Created sample database " + path.toAbsolutePath().normalize());
        context.out().flush();
        return ExitCodes.OK;
    }
}
