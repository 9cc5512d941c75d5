package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfiguredDatabase;
import dev.sqlitebackup.domain.model.VerificationReport;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.VerifyBackupsUseCase;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verify}: checksum and SQLite check of stored backups. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check backups against their sha256 sidecar and with SQLite's quick_check (integrity_check "
                + "with --full). Every backup is reported; exit 1 if any fails (a damaged sidecar or an unreadable "
                + "backup fails too); a missing sidecar is reported.")
public final class VerifyCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The backup to check; default: the latest.")
    String name;

    @Option(names = "--all", description = "Check every backup.")
    boolean all;

    @Option(names = "--full", description = "Run integrity_check instead of quick_check.")
    boolean full;

    @Option(names = "--remote", description = "Check the copies on Google Drive: each is downloaded to the backup "
            + "folder's scratch space, checked against Drive's md5, its SHA-256 tag and the local sidecar, and "
            + "integrity-checked.")
    boolean remote;

    public VerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (all && name != null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "give a backup NAME or --all, not both");
        }
        if (name != null) {
            return verify(common.configuration(context.env()));
        }
        List<ConfiguredDatabase> databases = common.selected(context.env());
        return databases.size() == 1 ? verify(databases.get(0).configuration()) : verifyEach(databases);
    }

    /** Verifies each database's backups; one failing never stops the others. */
    int verifyEach(List<ConfiguredDatabase> databases) {
        return EachDatabase.run(context, databases, this::verify);
    }

    private int verify(Configuration config) {
        String which = all ? "all" : name == null ? "latest" : name;
        List<VerificationReport> reports = context.useCases().verifyBackups(config)
                .verify(new VerifyBackupsUseCase.Command(which, full ? VerifyLevel.FULL : VerifyLevel.QUICK, remote));
        if (reports.isEmpty()) {
            context.out().println("No backups in " + (remote ? "Drive" : config.backupDir()));
        }
        reports.forEach(r -> context.out().println(r.summary() + (remote ? " (Drive copy)" : "")));
        long failed = reports.stream().filter(r -> !r.ok()).count();
        if (reports.size() > 1) {
            context.out().printf("%d checked, %d failed%n", reports.size(), failed);
        }
        context.out().flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
