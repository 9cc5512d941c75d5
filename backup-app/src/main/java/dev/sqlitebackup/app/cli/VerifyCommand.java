package dev.sqlitebackup.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfigurationException;
import dev.sqlitebackup.domain.model.InvalidInputException;
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

    @Option(names = "--json", description = "Print the reports as JSON (docs/json.md).")
    boolean json;

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
        if (json) {
            // one JSON document for all of them: each database's result by its name, as prune --json does
            JsonObject all = new JsonObject();
            int worst = ExitCodes.OK;
            for (ConfiguredDatabase db : databases) {
                try {
                    List<VerificationReport> reports = reports(db.configuration());
                    all.add(db.name(), toJson(reports));
                    worst = Math.max(worst, failed(reports) == 0 ? ExitCodes.OK : ExitCodes.FAILED);
                } catch (RuntimeException e) {
                    JsonObject failed = new JsonObject();
                    failed.addProperty("error", SqliteBackupCli.failureLine(e));
                    all.add(db.name(), failed);
                    worst = Math.max(worst, e instanceof ConfigurationException || e instanceof InvalidInputException
                            ? ExitCodes.USAGE : ExitCodes.FAILED);
                }
            }
            Json.print(context.out(), all);
            return worst;
        }
        return EachDatabase.run(context, databases, this::verify);
    }

    private List<VerificationReport> reports(Configuration config) {
        String which = all ? "all" : name == null ? "latest" : name;
        return context.useCases().verifyBackups(config)
                .verify(new VerifyBackupsUseCase.Command(which, full ? VerifyLevel.FULL : VerifyLevel.QUICK, remote));
    }

    private static long failed(List<VerificationReport> reports) {
        return reports.stream().filter(r -> !r.ok()).count();
    }

    private JsonObject toJson(List<VerificationReport> reports) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", failed(reports) == 0);
        o.addProperty("remote", remote);
        o.addProperty("level", full ? "integrity_check" : "quick_check");
        o.addProperty("checked", reports.size());
        o.addProperty("failed", failed(reports));
        JsonArray each = new JsonArray();
        for (VerificationReport r : reports) {
            each.add(toJson(r));
        }
        o.add("backups", each);
        return o;
    }

    /** One backup's verdict; restore --json reports its verification the same way. */
    static JsonObject toJson(VerificationReport r) {
        JsonObject b = new JsonObject();
        b.addProperty("name", r.backup().name().value());
        b.addProperty("storedName", r.backup().storedName());
        b.addProperty("ok", r.ok());
        b.addProperty("checksum", r.checksum().status().name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-'));
        b.addProperty("sha256", r.checksum().actual().orElse(null));
        b.addProperty("checksumDetail", r.checksum().summary());
        b.addProperty("integrity", r.integrity().ok() ? "ok" : "failed");
        b.addProperty("integrityDetail", r.integrity().summary());
        return b;
    }

    private int verify(Configuration config) {
        List<VerificationReport> reports = reports(config);
        if (json) {
            Json.print(context.out(), toJson(reports));
            return failed(reports) == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
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
