package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.domain.model.NewIdentity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keygen}: a new age key pair for encrypted off-site copies, so the owner needs no other tool. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Create a new age identity (private key) file, readable by its owner only (mode 0600), and "
                + "print its public key, the value for AGE_RECIPIENTS. Never overwrites a file.",
                "Keep the identity file somewhere other than the server (a password manager, another machine): "
                        + "backups need only the public key; restore and verify --remote need the identity "
                        + "(AGE_IDENTITY_FILE). age -d -i FILE reads the copies too."},
        footer = {"", "Exit codes: 0 written, 1 writing failed (nothing left behind), 2 the file exists or cannot "
                + "be created there (nothing changed)."})
public final class KeygenCommand implements Callable<Integer> {

    static final String DEFAULT_OUT = "age-identity.txt";

    private final CliContext context;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the identity; default " + DEFAULT_OUT + " in the current directory.")
    Path out;

    // Read by Main before the command line is parsed (it sets the log level); declared so every command takes it.
    @Option(names = {"-v", "--verbose"}, description = "Debug logging, and stack traces for errors.")
    boolean verbose;

    @Option(names = "--json", description = "Print the public key and the identity file as JSON (docs/json.md).")
    boolean json;

    @Option(names = "--log-format", paramLabel = "plain|json", description = CommonOptions.LOG_FORMAT)
    String logFormat;

    public KeygenCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        NewIdentity identity = context.useCases().createIdentity()
                .createIdentity(out == null ? Path.of(DEFAULT_OUT) : out);
        // stdout: the public key alone, for scripts (AGE_RECIPIENTS=$(sqlite-backup keygen --out ...))
        if (json) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("publicKey", identity.publicKey());
            o.addProperty("identityFile", identity.file().toAbsolutePath().normalize().toString());
            Json.print(context.out(), o);
        } else {
            context.out().println(identity.publicKey());
        }
        context.out().flush();
        context.err().println("Wrote the identity (private key) to " + identity.file().toAbsolutePath().normalize()
                + " (mode 0600): keep it off the server, somewhere safe; restores need it as AGE_IDENTITY_FILE, "
                + "backups need only the public key above, as AGE_RECIPIENTS");
        context.err().flush();
        return ExitCodes.OK;
    }
}
