package dev.sqlitebackup.app.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drive-auth}: the one-time Google consent that gives the tool access to its own Drive files. */
@Command(name = "drive-auth", mixinStandardHelpOptions = true,
        description = "Authorise Google Drive access once: prints an address to open in a browser, receives the "
                + "answer on 127.0.0.1, and writes an authorized_user credentials file (mode 0600) for "
                + "GOOGLE_DRIVE_CREDENTIALS. Scope drive.file: the tool sees only the files it created.")
public final class DriveAuthCommand implements Callable<Integer> {

    private final CliContext context;

    @Option(names = "--client-secrets", required = true, paramLabel = "FILE",
            description = "The OAuth client (type Desktop app) JSON downloaded from the Google Cloud console.")
    Path clientSecrets;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the credentials; default ~/.config/sqlite-backup/drive-credentials.json.")
    Path out;

    // Read by Main before the command line is parsed (it sets the log level); declared so every command takes it.
    @Option(names = {"-v", "--verbose"}, description = "Debug logging, and stack traces for errors.")
    boolean verbose;

    @Option(names = "--json", description = "Print the credentials file written as JSON (docs/json.md); the "
            + "address to open goes to stderr then.")
    boolean json;

    @Option(names = "--log-format", paramLabel = "plain|json", description = CommonOptions.LOG_FORMAT)
    String logFormat;

    public DriveAuthCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        // under --json stdout holds the one document: the address to open is for the person, on stderr
        Path written = context.useCases().authoriseDrive(clientSecrets, Optional.ofNullable(out), context.env(),
                json ? context.errStream() : context.outStream());
        if (json) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("credentialsFile", written.toAbsolutePath().normalize().toString());
            o.addProperty("setting", "GOOGLE_DRIVE_CREDENTIALS=" + written);
            Json.print(context.out(), o);
            return ExitCodes.OK;
        }
        context.out().println("Wrote " + written + "; set GOOGLE_DRIVE_CREDENTIALS=" + written);
        context.out().flush();
        return ExitCodes.OK;
    }
}
