package dev.sqlitebackup.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.Redaction;
import dev.sqlitebackup.domain.model.RunRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code history}: the activity log, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show the latest runs, manual and scheduled, newest first: start, trigger (manual, scheduled, "
                + "catch-up, retry), outcome (success, failed, local-only), backup, size, Drive id, error. Runs "
                + "dated in the future (a clock ahead) come last, marked.")
public final class HistoryCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs; default 20.")
    int limit;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    public HistoryCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--limit must be at least 1, got " + limit);
        }
        Configuration config = common.configuration(context.env());
        ZoneId zone = config.zone();
        List<RunRecord> runs = context.useCases().showHistory(config).history(limit);
        Instant now = context.clock().instant();
        if (json) {
            JsonArray array = new JsonArray();
            runs.forEach(r -> {
                JsonObject o = toJson(r);
                o.addProperty("future", r.isFuture(now));
                array.add(o);
            });
            context.out().println(Json.GSON.toJson(array));
        } else if (runs.isEmpty()) {
            context.out().println("No runs recorded in " + config.stateDb());
        } else {
            context.out().printf("%-25s  %-9s  %-10s  %9s  %-29s  %10s  %s%n", "STARTED", "TRIGGER", "OUTCOME",
                    "DURATION", "BACKUP", "SIZE", "DETAIL");
            for (RunRecord r : runs) {
                context.out().printf("%-25s  %-9s  %-10s  %9s  %-29s  %10s  %s%n", Formats.time(r.startedAt(), zone),
                        r.trigger().label(), outcome(r), r.duration().map(Formats::duration).orElse("-"),
                        r.backup().map(BackupName::value).orElse("-"),
                        r.sizeBytes().isPresent() ? Formats.size(r.sizeBytes().getAsLong()) : "-",
                        detail(r, now));
            }
        }
        context.out().flush();
        return ExitCodes.OK;
    }

    private static String detail(RunRecord r, Instant now) {
        String detail = r.error().map(Redaction::redact).orElse(r.remoteId().map(id -> "Drive id " + id).orElse(""));
        if (!r.isFuture(now)) {
            return detail;
        }
        return "dated in the future (a clock ahead?), not counted" + (detail.isEmpty() ? "" : "; " + detail);
    }

    /** A run with no outcome is running, or its process died before it could record one. */
    static String outcome(RunRecord r) {
        return r.outcome().map(RunRecord.Outcome::label).orElse("unfinished");
    }

    static JsonObject toJson(RunRecord r) {
        JsonObject o = new JsonObject();
        o.addProperty("id", r.id());
        o.addProperty("trigger", r.trigger().label());
        o.addProperty("startedAt", r.startedAt().toString());
        o.addProperty("endedAt", r.endedAt().map(Instant::toString).orElse(null));
        o.addProperty("outcome", outcome(r));
        o.addProperty("backup", r.backup().map(BackupName::value).orElse(null));
        if (r.sizeBytes().isPresent()) {
            o.addProperty("sizeBytes", r.sizeBytes().getAsLong());
        } else {
            o.add("sizeBytes", com.google.gson.JsonNull.INSTANCE);
        }
        o.addProperty("remoteId", r.remoteId().orElse(null));
        // rows an older version stored may hold a secret a server echoed
        o.addProperty("error", r.error().map(Redaction::redact).orElse(null));
        return o;
    }
}
