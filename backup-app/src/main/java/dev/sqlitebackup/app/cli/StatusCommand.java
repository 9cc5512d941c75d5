package dev.sqlitebackup.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfiguredDatabase;
import dev.sqlitebackup.app.daemon.BackupSchedule;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.BackupStatus;
import dev.sqlitebackup.domain.model.Redaction;
import dev.sqlitebackup.domain.model.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code status}: where the backups stand; exit 1 when the last success is too old, for monitoring. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the last successful backup and its age, the last run's outcome, the last proven "
                + "restore (drill), the next scheduled time and the local backups. Exit 1 when no backup succeeded "
                + "within --max-age (or, with --max-drill-age, no drill within it). Without --db on a "
                + "config of many databases: one line per database, exit 1 when any is stale.")
public final class StatusCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Option(names = "--max-age", paramLabel = "DURATION", defaultValue = "26h",
            converter = DurationConverter.Positive.class,
            description = "Exit 1 unless a backup succeeded within this long (90m, 26h, 2d, PT26H); default 26h.")
    Duration maxAge;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--max-drill-age", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
            description = "Also exit 1 unless a restore drill succeeded within this long (8d, 192h); default: drills "
                    + "are shown, not required.")
    Duration maxDrillAge;

    public StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<ConfiguredDatabase> databases = common.selected(context.env());
        return databases.size() == 1 ? status(databases.get(0).configuration()) : statusOfEach(databases);
    }

    /**
     * One line per database: its last success and that one's age, ok or STALE, and its last run's outcome; exit 1
     * when any is stale (never backed up, or its status cannot be read, counts as stale).
     */
    int statusOfEach(List<ConfiguredDatabase> databases) {
        Instant now = context.clock().instant();
        JsonArray array = new JsonArray();
        List<String> stale = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        for (ConfiguredDatabase db : databases) {
            JsonObject o = new JsonObject();
            o.addProperty("name", db.name());
            try {
                Configuration config = db.configuration();
                ZoneId zone = config.zone();
                BackupStatus status = context.useCases().checkStatus(config).status();
                boolean fresh = status.freshWithin(maxAge, now)
                        && (maxDrillAge == null || status.provenWithin(maxDrillAge, now));
                if (!fresh) {
                    stale.add(db.name());
                }
                o.addProperty("lastProvenAt", status.lastProven().flatMap(RunRecord::endedAt).map(Instant::toString)
                        .orElse(null));
                o.addProperty("ok", fresh);
                o.addProperty("lastSuccessAt", status.lastSuccessAt().map(Instant::toString).orElse(null));
                o.addProperty("lastSuccessAgeSeconds", status.age(now).map(Duration::toSeconds).orElse(null));
                o.addProperty("lastRunOutcome", status.lastRun().map(HistoryCommand::outcome).orElse(null));
                o.addProperty("backupDir", config.backupDir().toString());
                rows.add(new String[] {db.name(),
                        status.lastSuccessAt().map(at -> Formats.time(at, zone)).orElse("never"),
                        status.age(now).map(StatusCommand::age).orElse("-"), fresh ? "ok" : "STALE",
                        status.lastRun().map(r -> HistoryCommand.outcome(r)
                                + r.error().map(e -> ": " + SqliteBackupCli.oneLine(e)).orElse(""))
                                .orElse("none recorded")});
            } catch (RuntimeException e) {
                stale.add(db.name());
                String problem = SqliteBackupCli.failureLine(e);
                o.addProperty("ok", false);
                o.addProperty("error", problem);
                rows.add(new String[] {db.name(), "?", "-", "STALE", "status unreadable: " + problem});
            }
            array.add(o);
        }
        if (json) {
            context.out().println(Json.GSON.toJson(array));
        } else {
            int width = Math.max(8, rows.stream().mapToInt(r -> r[0].length()).max().orElse(0));
            String format = "%-" + width + "s  %-25s  %-7s  %-5s  %s%n";
            context.out().printf(format, "DATABASE", "LAST SUCCESS", "AGE", "STATE", "LAST RUN");
            rows.forEach(r -> context.out().printf(format, (Object[]) r));
            context.out().println(stale.isEmpty()
                    ? "OK: all " + databases.size() + " databases backed up within " + age(maxAge)
                    : "STALE: " + stale.size() + " of " + databases.size() + " databases without a successful "
                            + "backup within " + age(maxAge) + " (" + String.join(", ", stale) + ")");
        }
        context.out().flush();
        return stale.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private int status(Configuration config) {
        Duration max = maxAge;
        ZoneId zone = config.zone();
        BackupSchedule schedule = config.schedule();
        Instant now = context.clock().instant();
        BackupStatus status = context.useCases().checkStatus(config).status();
        boolean fresh = status.freshWithin(max, now);
        Optional<Instant> next = schedule.nextAfter(now);
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("ok", fresh);
            o.addProperty("maxAge", max.toString());
            o.addProperty("lastSuccessAt", status.lastSuccessAt().map(Instant::toString).orElse(null));
            o.addProperty("lastSuccessAgeSeconds", status.age(now).map(Duration::toSeconds).orElse(null));
            o.addProperty("lastSuccessBackup", status.lastSuccess().map(BackupName::value).orElse(null));
            o.add("lastRun", status.lastRun().<com.google.gson.JsonElement>map(HistoryCommand::toJson)
                    .orElse(com.google.gson.JsonNull.INSTANCE));
            o.addProperty("nextScheduledAt", next.map(Instant::toString).orElse(null));
            o.addProperty("schedule", schedule.given());
            o.addProperty("timezone", zone.getId());
            o.addProperty("backupCount", status.backupCount());
            o.addProperty("totalBytes", status.totalBytes());
            o.addProperty("backupDir", config.backupDir().toString());
            o.addProperty("stateDbProblem", status.logProblem().orElse(null));
            o.addProperty("lastProvenAt", status.lastProven().flatMap(RunRecord::endedAt).map(Instant::toString)
                    .orElse(null));
            o.addProperty("lastProvenBackup", status.lastProven().flatMap(RunRecord::backup).map(BackupName::value)
                    .orElse(null));
            o.addProperty("lastProvenFrom", status.lastProven().map(StatusCommand::from).orElse(null));
            o.addProperty("drillOk", maxDrillAge == null ? null : status.provenWithin(maxDrillAge, now));
            com.google.gson.JsonArray warnings = new com.google.gson.JsonArray();
            status.warnings().forEach(warnings::add);
            config.unencryptedOffsiteWarning().ifPresent(warnings::add);
            o.add("warnings", warnings);
            context.out().println(Json.GSON.toJson(o));
        } else {
            context.out().printf("Last success:  %s%n", status.lastSuccessAt()
                    .map(at -> Formats.time(at, zone) + " (" + age(status.age(now).orElseThrow()) + " ago"
                            + status.lastSuccess().map(b -> ", " + b.value()).orElse("") + ")")
                    .orElse("never"));
            context.out().printf("Last run:      %s%n", status.lastRun()
                    .map(r -> Formats.time(r.startedAt(), zone) + ", " + r.trigger().label() + ", "
                            + HistoryCommand.outcome(r) + r.error().map(e -> ": " + Redaction.redact(e)).orElse(""))
                    .orElse("none recorded"));
            context.out().printf("Proven:        %s%n", status.lastProven()
                    .map(r -> "last proven restorable: " + Formats.time(r.endedAt().orElseThrow(), zone) + " ("
                            + r.backup().map(BackupName::value).orElse("?") + ", " + from(r) + ")")
                    .orElse("never proven restorable (sqlite-backup drill)"));
            context.out().printf("Next run:      %s (schedule %s; if the daemon is running)%n",
                    next.map(at -> Formats.time(at, zone)).orElse("never"), schedule.describe());
            context.out().printf("Backups:       %d in %s, %s%n", status.backupCount(), config.backupDir(),
                    Formats.size(status.totalBytes()));
            status.logProblem().ifPresent(p -> context.out().printf("Warning:       %s%n", p));
            status.warnings().forEach(w -> context.out().printf("Warning:       %s%n", w));
            config.unencryptedOffsiteWarning().ifPresent(w -> context.out().printf("Warning:       %s%n", w));
            context.out().println(fresh ? "OK: a backup succeeded within " + age(max)
                    : "STALE: no successful backup within " + age(max));
            if (maxDrillAge != null) {
                context.out().println(status.provenWithin(maxDrillAge, now)
                        ? "OK: a restore drill succeeded within " + age(maxDrillAge)
                        : "UNPROVEN: no successful restore drill within " + age(maxDrillAge));
            }
        }
        context.out().flush();
        boolean proven = maxDrillAge == null || status.provenWithin(maxDrillAge, now);
        return fresh && proven ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** Where a drill restored from: {@code local} or {@code remote}. */
    private static String from(RunRecord drill) {
        return drill.remoteId().isPresent() ? "remote" : "local";
    }

    /** {@code 2d 3h}, {@code 5h 12m}, {@code 42m}, {@code 12s}. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) {
            return (s / 86_400) + "d " + (s % 86_400 / 3_600) + "h";
        }
        if (s >= 3_600) {
            return (s / 3_600) + "h " + (s % 3_600 / 60) + "m";
        }
        return s >= 60 ? (s / 60) + "m" : s + "s";
    }
}
