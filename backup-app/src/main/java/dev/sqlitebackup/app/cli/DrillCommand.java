package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfiguredDatabase;
import dev.sqlitebackup.domain.model.AssertionResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.port.in.DrillUseCase;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code drill}: proves the latest backup restorable, as a restore would, and records it. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Restore the latest backup (or with --remote its off-site copy, decrypted with "
                + "AGE_IDENTITY_FILE) into scratch space exactly as restore would, open it with SQLite, run "
                + "integrity_check and the data assertions, then remove it. Recorded in the history; status shows the "
                + "last proven restore. Exit 1 when the drill fails (the owner is notified), naming the check.")
public final class DrillCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Option(names = "--remote", description = "Drill the latest off-site (Drive) copy instead of the local backup.")
    boolean remote;

    @Option(names = "--json", description = "Print the drill's result as JSON (docs/json.md).")
    boolean json;

    public DrillCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<ConfiguredDatabase> databases = common.selected(context.env());
        if (databases.size() == 1) {
            return drill(databases.get(0).configuration());
        }
        return EachDatabase.run(context, databases, this::drill);
    }

    private int drill(Configuration config) {
        DrillUseCase.Command command = new DrillUseCase.Command(remote, config.assertions(), RunTrigger.DRILL);
        DrillUseCase.Result result = context.useCases().drill(config).drill(command);
        if (json) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("ok", result.ok());
            o.addProperty("backup", result.backup().map(b -> b.name().value()).orElse(null));
            o.addProperty("from", result.remote() ? "remote" : "local");
            o.addProperty("integrityCheck", result.integrity().map(i -> i.ok() ? "ok" : i.summary()).orElse(null));
            com.google.gson.JsonArray assertions = new com.google.gson.JsonArray();
            for (AssertionResult a : result.assertions()) {
                com.google.gson.JsonObject each = new com.google.gson.JsonObject();
                each.addProperty("name", a.assertion().name());
                each.addProperty("passed", a.passed());
                each.addProperty("result", a.describe());
                assertions.add(each);
            }
            o.add("assertions", assertions);
            o.addProperty("durationMillis", result.took().toMillis());
            o.addProperty("problem", result.problem().orElse(null));
            Json.print(context.out(), o);
            if (!result.ok()) {
                context.err().println("sqlite-backup: " + SqliteBackupCli.oneLine(result.problem().orElseThrow()));
                context.err().flush();
            }
            return result.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        if (!result.ok()) {
            context.err().println("sqlite-backup: " + SqliteBackupCli.oneLine(result.problem().orElseThrow()));
            context.err().flush();
            return ExitCodes.FAILED;
        }
        long passed = result.assertions().stream().filter(AssertionResult::passed).count();
        context.out().printf("Proven restorable: %s (%s) restored, integrity_check ok%s, in %s%n",
                result.backup().orElseThrow().name(), result.remote() ? "off-site copy" : "local",
                result.assertions().isEmpty() ? "" : ", " + passed + " data assertion" + (passed == 1 ? "" : "s")
                        + " ok", Formats.duration(result.took()));
        context.out().flush();
        return ExitCodes.OK;
    }
}
