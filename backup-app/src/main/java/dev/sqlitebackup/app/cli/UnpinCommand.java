package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.domain.model.Pin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code unpin NAME}: releases a pinned backup to the retention policy. */
@Command(name = "unpin", mixinStandardHelpOptions = true,
        description = "Release a pinned backup (one kept from before a table shrank, or from before an exec): "
                + "retention judges it by its rules again from the next run or prune. Exit 2 when it is not pinned.")
public final class UnpinCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pinned backup (as list shows it).")
    String name;

    @picocli.CommandLine.Option(names = "--json", description = "Print the released pin as JSON (docs/json.md).")
    boolean json;

    public UnpinCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Configuration config = common.configuration(context.env());
        Pin released = context.useCases().pinBackups(config).unpin(name);
        if (json) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("backup", released.backup().value());
            o.addProperty("wasPinnedUntil", released.until().equals(java.time.Instant.MAX) ? null
                    : released.until().toString());
            o.addProperty("reason", released.reason());
            Json.print(context.out(), o);
            return ExitCodes.OK;
        }
        context.out().printf("Unpinned %s (it was pinned until %s: %s)%n", released.backup(),
                Formats.pinnedUntil(released.until(), config.zone()), released.reason());
        context.out().flush();
        return ExitCodes.OK;
    }
}
