package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DomainException;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.OffsiteCopyFailedException;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RunReport;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SourceDatabase;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.port.out.Notifier;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Takes a backup in the one order that keeps old backups safe: check the source, snapshot into scratch space,
 * verify, publish under a final name, and only then let retention delete anything. A failure at any step before
 * publishing removes the scratch file and deletes nothing. With an off-site store, the finished backup is then
 * uploaded and the remote policy applied there; an off-site failure never touches the local backups. The owner is
 * told how every run ended.
 */
public final class RunBackupService implements RunBackupUseCase {

    private final DatabaseSnapshotter snapshotter;
    private final BackupRepository repository;
    private final Optional<RemoteBackupStore> offsite;
    private final Notifier notifier;
    private final Clock clock;

    /** A service with no off-site store. */
    public RunBackupService(DatabaseSnapshotter snapshotter, BackupRepository repository, Notifier notifier,
            Clock clock) {
        this(snapshotter, repository, Optional.empty(), notifier, clock);
    }

    public RunBackupService(DatabaseSnapshotter snapshotter, BackupRepository repository,
            Optional<RemoteBackupStore> offsite, Notifier notifier, Clock clock) {
        this.snapshotter = snapshotter;
        this.repository = repository;
        this.offsite = offsite;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** Tells the owner about every run, success or failure; a notification never changes the run's outcome. */
    @Override
    public RunResult run(Command command) {
        String database = displayName(command.database());
        RunResult result;
        try {
            result = backUp(command);
        } catch (OffsiteCopyFailedException failure) {
            RunResult local = failure.localResult();
            notifier.notify(new RunReport(RunReport.Outcome.LOCAL_ONLY, database, clock.instant(), Optional.of(local),
                    Optional.empty(), Optional.of(failure.getMessage()), Optional.of(local.backup().takenAt())));
            throw failure;
        } catch (RuntimeException failure) {
            notifier.notify(new RunReport(RunReport.Outcome.FAILED, database, clock.instant(), Optional.empty(),
                    Optional.empty(), Optional.of(messageOf(failure)), lastSuccess()));
            throw failure;
        }
        notifier.notify(new RunReport(RunReport.Outcome.SUCCESS, database, clock.instant(), Optional.of(result),
                result.remote().flatMap(RemoteBackup::link), Optional.empty(),
                Optional.of(result.backup().takenAt())));
        return result;
    }

    @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
    private RunResult backUp(Command command) {
        // Before anything is created: a bad source must leave no folder behind.
        SourceDatabase source = snapshotter.inspect(command.database());
        repository.prepare();
        try (BackupRepository.Lock lock = repository.lock("backup of " + source.path())) {
            int swept = repository.sweepLeftovers();
            Instant startedAt = clock.instant();
            Backup backup = snapshotAndPublish(source, command, startedAt);
            RetentionPlan plan = applyRetention(command, backup.name());
            Duration duration = Duration.between(startedAt, clock.instant());
            RunResult local = new RunResult(source, backup, repository.locate(backup.name()), startedAt, duration,
                    plan, swept, Optional.empty(), Optional.empty());
            if (!command.offsite() || offsite.isEmpty()) {
                return local;
            }
            return copyOffsite(offsite.get(), local, command);
        }
    }

    /**
     * Uploads the finished backup and applies the remote policy to the store's copies. Any failure here leaves the
     * local backup and local retention as they are, and is reported as such.
     */
    private RunResult copyOffsite(RemoteBackupStore store, RunResult local, Command command) {
        try {
            RemoteBackup copy = store.upload(local.backup(), local.file());
            List<RemoteBackup> remote = store.list();
            RetentionPlan plan = command.remoteRetention()
                    .plan(remote.stream().map(RemoteBackup::name).toList(), command.zone());
            for (RemoteBackup r : remote) {
                if (plan.deleted().contains(r.name()) && !r.id().equals(copy.id())) {
                    store.delete(r);
                }
            }
            return local.withRemote(copy, plan, Duration.between(local.startedAt(), clock.instant()));
        } catch (RuntimeException failure) {
            throw new OffsiteCopyFailedException("local backup ok, " + store.describe() + " upload failed: "
                    + messageOf(failure), local, failure);
        }
    }

    private Backup snapshotAndPublish(SourceDatabase source, Command command, Instant startedAt) {
        StagedBackup staged = repository.stage();
        boolean published = false;
        try {
            snapshotter.snapshot(source.path(), staged.file(), command.compact(), command.progress());
            IntegrityReport integrity = snapshotter.check(staged.file(), command.verify());
            if (!integrity.ok()) {
                throw new BackupFailedException("backup of " + source.path() + " failed verification, "
                        + integrity.summary() + "; the database itself may be corrupt");
            }
            Backup backup = repository.publish(staged, startedAt);
            published = true;
            return backup;
        } finally {
            if (!published) {
                repository.discard(staged);
            }
        }
    }

    /** When the newest backup in the folder was taken, if the folder can be read at all. */
    private Optional<Instant> lastSuccess() {
        try {
            return repository.exists() ? repository.list().stream().findFirst().map(Backup::takenAt)
                    : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static String displayName(Path database) {
        Path name = database.getFileName();
        return name == null ? database.toString() : name.toString();
    }

    private static String messageOf(RuntimeException failure) {
        return failure instanceof DomainException || failure.getMessage() == null
                ? String.valueOf(failure.getMessage()) : failure.getClass().getSimpleName() + ": "
                + failure.getMessage();
    }

    private RetentionPlan applyRetention(Command command, BackupName justTaken) {
        List<BackupName> names = repository.list().stream().map(Backup::name).toList();
        RetentionPlan plan = command.retention().plan(names, command.zone());
        if (plan.deleted().contains(justTaken)) {
            // Cannot happen with a valid policy (the newest backup is always kept); never risk it.
            throw new IllegalStateException("retention would delete the backup just taken: " + justTaken);
        }
        plan.deleted().forEach(repository::delete);
        return plan;
    }
}
