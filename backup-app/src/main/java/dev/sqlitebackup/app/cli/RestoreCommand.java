package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.domain.model.RestoreResult;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase.Overwrite;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code restore}: a verified backup back into place, atomically. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Verify a backup and write it to --to PATH atomically. Refuses to replace an existing file "
                + "unless --force, which also removes the old database's stale -wal/-shm/-journal files, and "
                + "refuses while another process has it open unless --even-if-open. A backup that is only on "
                + "Google Drive is downloaded and verified first.")
public final class RestoreCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME|latest", description = "The backup to restore.")
    String which;

    @Option(names = "--to", required = true, paramLabel = "PATH", description = "Where to write the database.")
    Path target;

    @Option(names = "--force", description = "Replace PATH if it exists, unless another process has it open "
            + "(stop the service using it first).")
    boolean force;

    @Option(names = "--even-if-open", description = "With --force: replace PATH even while another process has it "
            + "open. DANGER: that process keeps writing into the replaced file, so every write it makes afterwards "
            + "is lost.")
    boolean evenIfOpen;

    @Option(names = "--json", description = "Print the result as JSON (docs/json.md).")
    boolean json;

    public RestoreCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (evenIfOpen && !force) {
            throw new ParameterException(spec.commandLine(), "--even-if-open only goes with --force");
        }
        Configuration config = common.configuration(context.env());
        Overwrite overwrite = !force ? Overwrite.NEVER : evenIfOpen ? Overwrite.EVEN_IF_OPEN : Overwrite.UNLESS_OPEN;
        RestoreResult result = context.useCases().restoreBackup(config)
                .restore(new RestoreBackupUseCase.Command(which, target.toAbsolutePath().normalize(), overwrite));
        if (json) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("backup", result.backup().name().value());
            o.addProperty("fromDrive", result.fromOffsite());
            o.addProperty("target", result.target().toString());
            o.addProperty("sizeBytes", result.backup().sizeBytes());
            o.addProperty("replaced", result.replaced());
            o.add("verification", VerifyCommand.toJson(result.verification()));
            Json.print(context.out(), o);
            return ExitCodes.OK;
        }
        context.out().printf("Restored %s%s to %s (%s, %s, %s)%s%n", result.backup().name(),
                result.fromOffsite() ? " from Drive" : "", result.target(),
                Formats.size(result.backup().sizeBytes()), result.verification().checksum().summary(),
                result.verification().integrity().summary(),
                result.replaced() ? "; the previous file was replaced" : "");
        context.out().flush();
        return ExitCodes.OK;
    }
}
