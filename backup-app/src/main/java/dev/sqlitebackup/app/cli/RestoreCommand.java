package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.domain.model.RestoreResult;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code restore}: a verified backup back into place, atomically. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Verify a backup and write it to --to PATH atomically. Refuses to replace an existing file "
                + "unless --force, which also removes the old database's stale -wal/-shm/-journal files. A backup "
                + "that is only on Google Drive is downloaded and verified first.")
public final class RestoreCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME|latest", description = "The backup to restore.")
    String which;

    @Option(names = "--to", required = true, paramLabel = "PATH", description = "Where to write the database.")
    Path target;

    @Option(names = "--force", description = "Replace PATH if it exists (stop the service using it first).")
    boolean force;

    public RestoreCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Configuration config = common.configuration(context.env());
        RestoreResult result = context.useCases().restoreBackup(config)
                .restore(new RestoreBackupUseCase.Command(which, target.toAbsolutePath().normalize(), force));
        context.out().printf("Restored %s%s to %s (%s, %s, %s)%s%n", result.backup().name(),
                result.fromOffsite() ? " from Drive" : "", result.target(),
                Formats.size(result.backup().sizeBytes()), result.verification().checksum().summary(),
                result.verification().integrity().summary(),
                result.replaced() ? "; the previous file was replaced" : "");
        context.out().flush();
        return ExitCodes.OK;
    }
}
