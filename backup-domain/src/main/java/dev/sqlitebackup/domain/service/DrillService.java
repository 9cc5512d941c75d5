package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.AssertionResult;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.DrillFailure;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.Redaction;
import dev.sqlitebackup.domain.model.RestoreResult;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.DrillUseCase;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.port.out.Notifier;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Proves the latest backup restorable: restores it ({@link RestoreBackupUseCase}, local or off-site) over a scratch
 * file of the backup folder, runs {@code integrity_check} and the data assertions on what was restored, and removes
 * it. The scratch file is one of the folder's temporary files, so a drill that is killed leaves nothing the next run
 * does not sweep. Never deletes or changes a backup.
 */
public final class DrillService implements DrillUseCase {

    private final String databaseName;
    private final BackupRepository repository;
    private final RestoreBackupUseCase restore;
    private final DatabaseSnapshotter snapshotter;
    private final ActivityLog log;
    private final Notifier notifier;
    private final Clock clock;

    public DrillService(String databaseName, BackupRepository repository, RestoreBackupUseCase restore,
            DatabaseSnapshotter snapshotter, ActivityLog log, Notifier notifier, Clock clock) {
        this.databaseName = databaseName;
        this.repository = repository;
        this.restore = restore;
        this.snapshotter = snapshotter;
        this.log = log;
        this.notifier = notifier;
        this.clock = clock;
    }

    @Override
    public Result drill(Command command) {
        Instant started = clock.instant();
        RunRecord record = log.start(command.trigger(), started);
        Optional<Backup> backup = Optional.empty();
        Optional<IntegrityReport> integrity = Optional.empty();
        List<AssertionResult> results = List.of();
        Optional<String> problem;
        StagedBackup scratch = null;
        try {
            repository.prepare();
            scratch = repository.stage();
            RestoreBackupUseCase.Command restoring = new RestoreBackupUseCase.Command(BackupSelection.LATEST,
                    scratch.file(), RestoreBackupUseCase.Overwrite.EVEN_IF_OPEN);
            RestoreResult restored = restore.restore(command.remote() ? restoring.fromOffsite() : restoring);
            backup = Optional.of(restored.backup());
            IntegrityReport full = snapshotter.check(scratch.file(), VerifyLevel.FULL);
            integrity = Optional.of(full);
            results = full.ok() ? snapshotter.evaluate(scratch.file(), command.assertions()) : List.of();
            List<AssertionResult> failed = results.stream().filter(r -> !r.passed()).toList();
            if (!full.ok()) {
                problem = Optional.of("integrity_check of the restored copy: " + full.summary());
            } else if (!failed.isEmpty()) {
                problem = Optional.of((failed.size() == 1 ? "data assertion " : "data assertions ")
                        + failed.stream().map(AssertionResult::describe).collect(Collectors.joining("; ")));
            } else {
                problem = Optional.empty();
            }
        } catch (RuntimeException failure) {
            problem = Optional.of(Redaction.redact(String.valueOf(failure.getMessage())));
        } finally {
            if (scratch != null) {
                repository.discard(scratch);
            }
        }
        Instant ended = clock.instant();
        Duration took = Duration.between(started, ended);
        String where = command.remote() ? "off-site copy" : "local backup";
        Optional<Backup> drilled = backup;
        Optional<String> error = problem.map(p -> "restore drill of the latest " + where
                + drilled.map(b -> " (" + b.name() + ")").orElse("") + " failed: " + p);
        log.finish(record.ended(ended.isBefore(started) ? started : ended, problem.isEmpty()
                ? RunRecord.Outcome.SUCCESS : RunRecord.Outcome.FAILED, backup,
                command.remote() ? Optional.of("remote") : Optional.empty(), error));
        error.ifPresent(e -> notifier.notify(new DrillFailure(databaseName, ended, drilled.map(Backup::name),
                command.remote(), e)));
        return new Result(databaseName, backup, command.remote(), integrity, results,
                took.isNegative() ? Duration.ZERO : took, error);
    }
}
