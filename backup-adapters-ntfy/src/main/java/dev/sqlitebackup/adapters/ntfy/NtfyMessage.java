package dev.sqlitebackup.adapters.ntfy;

import dev.sqlitebackup.domain.model.DriftAlert;
import dev.sqlitebackup.domain.model.DrillFailure;
import dev.sqlitebackup.domain.model.Redaction;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RunReport;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One notification as ntfy's JSON publishing API takes it (the field names are ntfy's); {@code click} is null when
 * there is no link, and Gson then leaves it out. JSON rather than headers, because header values must be ASCII and
 * database names and error messages often are not.
 */
record NtfyMessage(String topic, String title, String message, int priority, List<String> tags, String click) {

    static final int DEFAULT_PRIORITY = 3;
    static final int HIGH_PRIORITY = 4;
    static final int URGENT_PRIORITY = 5;
    /** A failure is urgent when the last successful backup is older than this. */
    static final Duration URGENT_AFTER = Duration.ofDays(2);

    private static final int ERROR_LINES = 2;
    private static final int SUMMARY_NAMES = 30;
    private static final int ERROR_LINE_LENGTH = 200;

    NtfyMessage {
        tags = List.copyOf(tags);
    }

    /** The notification for a finished run. */
    static NtfyMessage forRun(RunReport report, String topic, ZoneId zone) {
        return switch (report.outcome()) {
            case SUCCESS -> success(report, topic);
            case LOCAL_ONLY -> localOnly(report, topic, zone);
            case FAILED -> failed(report, topic, zone);
        };
    }

    /** The one message of a run over many databases; each failure was also sent on its own. */
    /** Drift: what shrank, which backup was pinned and until when; high priority. */
    static NtfyMessage forDrift(DriftAlert alert, String topic, ZoneId zone) {
        String body = String.join("\n", alert.changes()) + "\n" + alert.pinned() + " (from before) is pinned until "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(alert.until().atZone(zone))
                + ": retention keeps it (sqlite-backup unpin " + alert.pinned() + " releases it).";
        return new NtfyMessage(topic, "Data drift in " + alert.databaseName() + ": " + alert.pinned() + " pinned",
                Redaction.redact(body), HIGH_PRIORITY, List.of("warning"), null);
    }

    /** A restore drill that failed: high priority, the backup and where from, and the check that failed. */
    static NtfyMessage forDrill(DrillFailure failure, String topic) {
        String body = "Not proven restorable: " + failure.backup().map(b -> b.value() + " (" + (failure.remote()
                ? "off-site copy" : "local") + ")").orElse("no backup found") + "\n"
                + Redaction.redact(failure.problem());
        return new NtfyMessage(topic, "Restore drill of " + failure.databaseName() + " FAILED", body, HIGH_PRIORITY,
                List.of("rotating_light"), null);
    }

    static NtfyMessage forSummary(RunSummary summary, String topic) {
        List<String> lines = new ArrayList<>();
        lines.add(summary.succeeded() + (summary.succeeded() == 1 ? " database" : " databases") + " backed up, "
                + HumanUnits.size(summary.totalBytes()) + " in total, took " + HumanUnits.duration(summary.duration()));
        if (!summary.failed().isEmpty()) {
            lines.add("Failed: " + names(summary.failed()));
        }
        if (!summary.gone().isEmpty()) {
            lines.add("Gone (source vanished, backups kept): " + names(summary.gone()));
        }
        boolean failed = !summary.failed().isEmpty();
        String title = "Backups: " + summary.succeeded() + " succeeded"
                + (failed ? ", " + summary.failed().size() + " FAILED" : "")
                + (summary.gone().isEmpty() ? "" : ", " + summary.gone().size() + " gone");
        return new NtfyMessage(topic, title, String.join("\n", lines), failed ? HIGH_PRIORITY : DEFAULT_PRIORITY,
                List.of(failed ? "rotating_light" : "white_check_mark"), null);
    }

    /** At most {@code SUMMARY_NAMES} names: a message about thousands of tenants stays readable. */
    private static String names(List<String> names) {
        String shown = names.stream().limit(SUMMARY_NAMES).collect(Collectors.joining(", "));
        return names.size() > SUMMARY_NAMES ? shown + " and " + (names.size() - SUMMARY_NAMES) + " more" : shown;
    }

    /** The clearly-labelled message {@code notify-test} sends. */
    static NtfyMessage test(String topic, Instant now, ZoneId zone) {
        return new NtfyMessage(topic, "sqlite-backup test notification",
                "This is a test message from sqlite-backup notify-test, sent " + HumanUnits.time(now, zone)
                        + ". If you can read it, run notifications reach you.",
                DEFAULT_PRIORITY, List.of("test_tube"), null);
    }

    /**
     * High for a failure, urgent when the last successful backup is more than two days older than this run. With no
     * successful backup on record it stays high: that is a new install, whose first runs are watched anyway.
     */
    static int failurePriority(RunReport report) {
        return report.lastSuccessAt()
                .filter(last -> Duration.between(last, report.finishedAt()).compareTo(URGENT_AFTER) > 0)
                .map(last -> URGENT_PRIORITY)
                .orElse(HIGH_PRIORITY);
    }

    private static NtfyMessage success(RunReport report, String topic) {
        List<String> lines = new ArrayList<>();
        report.result().ifPresent(result -> {
            lines.add("Backup " + describe(result));
            lines.add(retention(result.retention()));
        });
        report.offsiteLink().ifPresent(link -> lines.add("Drive: " + link));
        if (lines.isEmpty()) {
            lines.add("The run finished without problems.");
        }
        return new NtfyMessage(topic, "Backup of " + report.databaseName() + " succeeded", String.join("\n", lines),
                DEFAULT_PRIORITY, List.of("white_check_mark"), report.offsiteLink().orElse(null));
    }

    private static NtfyMessage localOnly(RunReport report, String topic, ZoneId zone) {
        List<String> lines = new ArrayList<>();
        lines.add(report.result()
                .map(result -> "The local copy is safe: " + describe(result) + ".")
                .orElse("The local copy is safe."));
        lines.add("The copy to Drive failed: " + error(report));
        lines.add(lastSuccess(report, zone));
        return new NtfyMessage(topic, "Backup of " + report.databaseName() + " failed to reach Drive (local copy safe)",
                String.join("\n", lines), failurePriority(report), List.of("warning"), null);
    }

    private static NtfyMessage failed(RunReport report, String topic, ZoneId zone) {
        String body = "Error: " + error(report) + "\n" + lastSuccess(report, zone);
        return new NtfyMessage(topic, "Backup of " + report.databaseName() + " FAILED", body,
                failurePriority(report), List.of("rotating_light"), null);
    }

    /** {@code backup-2026-07-01-030000.db, 12.3 MiB, took 4.2 s}. */
    private static String describe(RunResult result) {
        return result.backup().name() + ", " + HumanUnits.size(result.backup().sizeBytes()) + ", took "
                + HumanUnits.duration(result.duration());
    }

    private static String retention(RetentionPlan plan) {
        int kept = plan.kept().size();
        int deleted = plan.deleted().size();
        return "Kept " + kept + (kept == 1 ? " backup" : " backups") + ", deleted " + deleted;
    }

    private static String lastSuccess(RunReport report, ZoneId zone) {
        return report.lastSuccessAt()
                .map(last -> "Last successful backup: " + HumanUnits.time(last, zone) + " ("
                        + HumanUnits.duration(Duration.between(last, report.finishedAt())) + " ago)")
                .orElse("Last successful backup: none on record");
    }

    /** The error in at most two lines, each cut to a readable length: a notification is not a log. */
    private static String error(RunReport report) {
        String error = report.error().orElse("unknown error");
        List<String> lines = error.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "unknown error";
        }
        String shown = lines.stream().limit(ERROR_LINES).map(NtfyMessage::cut).collect(Collectors.joining("\n"));
        return lines.size() > ERROR_LINES ? shown + " …" : shown;
    }

    private static String cut(String line) {
        if (line.length() <= ERROR_LINE_LENGTH) {
            return line;
        }
        int end = ERROR_LINE_LENGTH;
        if (Character.isHighSurrogate(line.charAt(end - 1))) {
            end--; // never split a character in two
        }
        return line.substring(0, end) + "…";
    }
}
