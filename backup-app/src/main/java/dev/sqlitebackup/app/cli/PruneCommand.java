package dev.sqlitebackup.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfiguredDatabase;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.port.in.PruneBackupsUseCase;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prune}: retention now, or its plan with {@code --dry-run}. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Apply the retention policy now; with --dry-run, print the plan with reasons and delete "
                + "nothing. Without --db, every database of the config, each under its name.")
public final class PruneCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Option(names = "--dry-run", description = "Print what would be kept (and why) and deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    public PruneCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<ConfiguredDatabase> databases = common.selected(context.env());
        return databases.size() == 1 ? prune(databases.get(0).configuration()) : pruneEach(databases);
    }

    /** Prunes each database's folder under its own policy; one failing never stops the others. */
    int pruneEach(List<ConfiguredDatabase> databases) {
        if (json) {
            // one JSON document for all of them: an object of each database's plan by its name
            JsonObject all = new JsonObject();
            int worst = ExitCodes.OK;
            for (ConfiguredDatabase db : databases) {
                try {
                    all.add(db.name(), toJson(plan(db.configuration())));
                } catch (RuntimeException e) {
                    JsonObject failed = new JsonObject();
                    failed.addProperty("error", SqliteBackupCli.failureLine(e));
                    all.add(db.name(), failed);
                    worst = ExitCodes.FAILED;
                }
            }
            context.out().println(Json.GSON.toJson(all));
            context.out().flush();
            return worst;
        }
        return EachDatabase.run(context, databases, this::prune);
    }

    private RetentionPlan plan(Configuration config) {
        return context.useCases().pruneBackups(config)
                .prune(new PruneBackupsUseCase.Command(config.retention(), config.zone(), dryRun));
    }

    private JsonObject toJson(RetentionPlan plan) {
        JsonObject o = new JsonObject();
        o.addProperty("dryRun", dryRun);
        JsonArray kept = new JsonArray();
        for (RetentionPlan.Keep k : plan.kept()) {
            JsonObject keep = new JsonObject();
            keep.addProperty("name", k.name().value());
            JsonArray reasons = new JsonArray();
            k.reasons().forEach(reasons::add);
            keep.add("reasons", reasons);
            kept.add(keep);
        }
        o.add("kept", kept);
        JsonArray deleted = new JsonArray();
        plan.deleted().forEach(n -> deleted.add(n.value()));
        o.add("deleted", deleted);
        return o;
    }

    private int prune(Configuration config) {
        PruneBackupsUseCase.Command command =
                new PruneBackupsUseCase.Command(config.retention(), config.zone(), dryRun);
        RetentionPlan plan = context.useCases().pruneBackups(config).prune(command);
        if (json) {
            context.out().println(Json.GSON.toJson(toJson(plan)));
        } else {
            for (RetentionPlan.Decision d : plan.decisions()) {
                if (d instanceof RetentionPlan.Keep k) {
                    context.out().printf("keep    %s  (%s)%n", k.name(), String.join(", ", k.reasons()));
                } else {
                    context.out().printf("%s  %s%n", dryRun ? "delete?" : "deleted", d.name());
                }
            }
            context.out().printf("%s%d kept, %d %s%n", dryRun ? "Dry run: " : "", plan.kept().size(),
                    plan.deleted().size(), dryRun ? "would be deleted; nothing was deleted" : "deleted");
        }
        context.out().flush();
        return ExitCodes.OK;
    }
}
