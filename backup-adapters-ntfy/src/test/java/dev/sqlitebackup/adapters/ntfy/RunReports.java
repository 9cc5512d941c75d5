package dev.sqlitebackup.adapters.ntfy;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RunReport;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SourceDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Run reports as the backup service makes them, for the tests. */
final class RunReports {

    static final Instant FINISHED = Instant.parse("2026-07-01T03:00:05Z");
    static final String LINK = "https://drive.google.com/file/d/1AbC/view";

    private RunReports() {
    }

    /**
     * A run that made {@code backup-2026-07-01-030000.db} of 12.3 MiB in 4.2 s, keeping {@code kept} backups (the
     * new one included) and deleting {@code deleted}.
     */
    static RunResult result(String databaseName, int kept, int deleted) {
        BackupName name = BackupName.at(Instant.parse("2026-07-01T03:00:00Z"));
        List<RetentionPlan.Decision> decisions = new ArrayList<>();
        Instant t = name.instant();
        for (int i = 0; i < kept; i++) {
            decisions.add(new RetentionPlan.Keep(BackupName.at(t.minus(Duration.ofDays(i))), List.of("daily")));
        }
        for (int i = 0; i < deleted; i++) {
            decisions.add(new RetentionPlan.Delete(BackupName.at(t.minus(Duration.ofDays(kept + i)))));
        }
        long size = Math.round(12.3 * 1024 * 1024);
        return new RunResult(new SourceDatabase(Path.of("/srv", databaseName), size),
                new Backup(name, size, Optional.of("ab".repeat(32))), Path.of("/backups", name.value()),
                name.instant(), Duration.ofMillis(4_200), new RetentionPlan(decisions), 0, Optional.empty(),
                Optional.empty());
    }

    static RunReport success(String databaseName, Optional<String> link) {
        return new RunReport(RunReport.Outcome.SUCCESS, databaseName, FINISHED,
                Optional.of(result(databaseName, 14, 2)), link, Optional.empty(),
                Optional.of(FINISHED.minus(Duration.ofDays(1))));
    }

    static RunReport failed(String databaseName, String error, Optional<Instant> lastSuccessAt) {
        return new RunReport(RunReport.Outcome.FAILED, databaseName, FINISHED, Optional.empty(), Optional.empty(),
                Optional.of(error), lastSuccessAt);
    }

    static RunReport localOnly(String databaseName, String error, Optional<Instant> lastSuccessAt) {
        return new RunReport(RunReport.Outcome.LOCAL_ONLY, databaseName, FINISHED,
                Optional.of(result(databaseName, 14, 2)), Optional.empty(), Optional.of(error), lastSuccessAt);
    }
}
