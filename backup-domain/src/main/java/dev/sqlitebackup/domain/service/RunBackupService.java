package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.AssertionResult;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.TableCount;
import dev.sqlitebackup.domain.model.Pin;
import dev.sqlitebackup.domain.model.DriftPolicy;
import dev.sqlitebackup.domain.model.DriftAlert;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DomainException;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.OffsiteCopyFailedException;
import dev.sqlitebackup.domain.model.Redaction;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunReport;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.model.SourceDatabase;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.port.out.Heartbeat;
import dev.sqlitebackup.domain.port.out.Notifier;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Takes a backup in the one order that keeps old backups safe: check the source, snapshot into scratch space,
 * verify, publish under a final name, and only then let retention delete anything. A failure at any step before
 * publishing removes the scratch file and deletes nothing; in a folder the run created, it also removes what the
 * run created there (when nothing else is in it), so a failed first run leaves nothing behind. With an off-site
 * store, the finished backup is then uploaded and the remote policy applied there; an off-site failure never
 * touches the local backups. The owner is told how every run ended, and every run that leaves a trace is recorded
 * in the activity log (never fatally).
 */
public final class RunBackupService implements RunBackupUseCase {

    /** Daemon threads, made as needed and gone when idle, so a library user's JVM never waits for them. */
    private static final Executor CHECKSUM_THREADS = runnable -> {
        Thread thread = new Thread(runnable, "sqlite-backup-checksum");
        thread.setDaemon(true);
        thread.start();
    };

    private final DatabaseSnapshotter snapshotter;
    private final BackupRepository repository;
    private final Optional<RemoteBackupStore> offsite;
    private final Notifier notifier;
    private final Clock clock;
    private final ActivityLog activityLog;
    private final Heartbeat heartbeat;
    private final Optional<DriftPolicy> drift;

    /** A service with no off-site store. */
    public RunBackupService(DatabaseSnapshotter snapshotter, BackupRepository repository, Notifier notifier,
            Clock clock) {
        this(snapshotter, repository, Optional.empty(), notifier, clock);
    }

    public RunBackupService(DatabaseSnapshotter snapshotter, BackupRepository repository,
            Optional<RemoteBackupStore> offsite, Notifier notifier, Clock clock) {
        this(snapshotter, repository, offsite, notifier, clock, ActivityLog.OFF);
    }

    private RunBackupService(DatabaseSnapshotter snapshotter, BackupRepository repository,
            Optional<RemoteBackupStore> offsite, Notifier notifier, Clock clock, ActivityLog activityLog,
            Heartbeat heartbeat, Optional<DriftPolicy> drift) {
        this.snapshotter = snapshotter;
        this.repository = repository;
        this.offsite = offsite;
        this.notifier = notifier;
        this.clock = clock;
        this.activityLog = activityLog;
        this.heartbeat = heartbeat;
        this.drift = drift;
    }

    private RunBackupService(DatabaseSnapshotter snapshotter, BackupRepository repository,
            Optional<RemoteBackupStore> offsite, Notifier notifier, Clock clock, ActivityLog activityLog) {
        this(snapshotter, repository, offsite, notifier, clock, activityLog, Heartbeat.OFF, Optional.empty());
    }

    /** The same service, recording every run's start and end in {@code log}. */
    public RunBackupService recordingTo(ActivityLog log) {
        return new RunBackupService(snapshotter, repository, offsite, notifier, clock, log, heartbeat, drift);
    }

    /**
     * The same service, pinging {@code beat} when each run begins and ends (a run of many databases, whose success
     * is summarised, leaves the pings to that summary).
     */
    public RunBackupService withHeartbeat(Heartbeat beat) {
        return new RunBackupService(snapshotter, repository, offsite, notifier, clock, activityLog, beat, drift);
    }

    /**
     * The same service, guarding against drift: each backup's tables are counted (recorded in the activity log and
     * the sidecar), and when one shrank by more than the policy allows, or is gone, since the previous backup, the
     * new backup is still published but the previous one is pinned and the owner told with high priority.
     */
    public RunBackupService withDriftGuard(DriftPolicy policy) {
        return new RunBackupService(snapshotter, repository, offsite, notifier, clock, activityLog, heartbeat,
                Optional.of(policy));
    }

    /** Tells the owner about every run, success or failure; a notification never changes the run's outcome. */
    @Override
    public RunResult run(Command command) {
        boolean alone = !command.successSummarised();
        if (alone) {
            heartbeat.started();
        }
        Recording recording = new Recording(command.trigger(), clock.instant());
        return reported(displayName(command.database()), recording, alone, () -> backUp(command, recording));
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
    public RunResult copyOffsite(OffsiteCommand command) {
        RunResult local = command.local();
        Recording recording = new Recording(command.trigger(), clock.instant());
        return reported(local.source().displayName(), recording, true, () -> {
            RemoteBackupStore store = offsite.orElseThrow(() -> new InvalidInputException(
                    "no off-site store is configured, so " + local.backup().name() + " cannot be copied off-site"));
            if (!repository.exists()) {
                throw gone(local);
            }
            try (BackupFolderLock.Lock lock = repository.folderLock().lock("backup of " + local.source().path(),
                    command.lockWait())) {
                recording.tookFolder(clock.instant());
                recording.started();
                try {
                    // Retention of a later run may have deleted it, or someone replaced it: copy only that backup.
                    if (!repository.find(local.backup().name()).equals(Optional.of(local.backup()))) {
                        throw gone(local);
                    }
                    return copyOffsite(store, local, command.remoteRetention(), command.zone());
                } finally {
                    recording.letGo(clock.instant());
                }
            }
        });
    }

    private InvalidInputException gone(RunResult local) {
        return new InvalidInputException("backup " + local.backup().name() + " is no longer in "
                + repository.describe() + ", so it cannot be copied off-site");
    }

    /**
     * Records how the work ended and tells the owner (a success only when {@code tellSuccess}: else a summary of
     * many tells it); a failure is rethrown as it was.
     */
    private RunResult reported(String database, Recording recording, boolean tellSuccess,
            Supplier<RunResult> work) {
        RunResult result;
        try {
            result = work.get();
        } catch (OffsiteCopyFailedException failure) {
            RunResult local = failure.localResult();
            recording.ended(RunRecord.Outcome.LOCAL_ONLY, Optional.of(local.backup()), Optional.empty(),
                    Optional.of(messageOf(failure)));
            notifier.notify(new RunReport(RunReport.Outcome.LOCAL_ONLY, database, clock.instant(), Optional.of(local),
                    Optional.empty(), Optional.of(messageOf(failure)), Optional.of(local.backup().takenAt())));
            if (tellSuccess) {
                heartbeat.ended(false, database + ": " + messageOf(failure));
            }
            throw failure;
        } catch (RuntimeException failure) {
            recording.ended(RunRecord.Outcome.FAILED, Optional.empty(), Optional.empty(),
                    Optional.of(messageOf(failure)));
            notifier.notify(new RunReport(RunReport.Outcome.FAILED, database, clock.instant(), Optional.empty(),
                    Optional.empty(), Optional.of(messageOf(failure)), lastSuccess()));
            if (tellSuccess) {
                heartbeat.ended(false, database + ": " + messageOf(failure));
            }
            throw failure;
        }
        recording.ended(RunRecord.Outcome.SUCCESS, Optional.of(result.backup()), result.remote().map(RemoteBackup::id),
                Optional.empty());
        if (!tellSuccess) {
            return result;
        }
        heartbeat.ended(true, database + ": backed up " + result.backup().name() + " (" + result.backup().sizeBytes()
                + " bytes) in " + result.duration().toMillis() + " ms" + result.remote().map(r -> ", copied off-site")
                .orElse(""));
        notifier.notify(new RunReport(RunReport.Outcome.SUCCESS, database, clock.instant(), Optional.of(result),
                result.remote().flatMap(RemoteBackup::link), Optional.empty(),
                Optional.of(result.backup().takenAt())));
        return result;
    }

    @SuppressWarnings("try") // the lock is held for the block's duration, not used in it
    private RunResult backUp(Command command, Recording recording) {
        // Before anything is created: a bad source must leave no folder behind.
        SourceDatabase source = snapshotter.inspect(command.database());
        BackupRepository.Preparation prepared;
        try {
            prepared = repository.prepare();
        } catch (RuntimeException unusable) {
            // The log lives in the folder by default: recording would only add a warning to the error.
            recording.notRecorded();
            throw unusable;
        }
        try (BackupFolderLock.Lock lock = repository.folderLock().lock("backup of " + source.path(),
                command.lockWait())) {
            // recorded from here (not while it queued behind another run) to its release: runs never overlap
            recording.tookFolder(clock.instant());
            if (!prepared.createdAnything()) {
                recording.started();
            }
            try {
                return backUpHoldingTheFolder(command, recording, source, prepared);
            } finally {
                recording.letGo(clock.instant());
            }
        }
    }

    private RunResult backUpHoldingTheFolder(Command command, Recording recording, SourceDatabase source,
            BackupRepository.Preparation prepared) {
        int swept;
        Instant startedAt;
        Backup backup;
        try {
            swept = repository.sweepLeftovers();
            startedAt = clock.instant();
            backup = snapshotAndPublish(source, command, startedAt, recording);
        } catch (RuntimeException | Error failure) {
            // A first run that publishes nothing leaves no trace: not the folder it made, not a history entry.
            if (prepared.createdAnything()) {
                repository.undo(prepared);
                recording.notRecorded();
            }
            throw failure;
        }
        // the backup's own time: retention and the off-site copy are reported on their own
        Duration duration = Duration.between(startedAt, clock.instant());
        recording.started();
        guardDrift(source, backup, recording.tables);
        RetentionPlan plan = applyRetention(command, backup.name());
        RunResult local = new RunResult(source, backup, repository.locate(backup.name()), startedAt, duration,
                plan, swept, Optional.empty(), Optional.empty());
        if (command.offsite().isEmpty() || offsite.isEmpty()) {
            return local;
        }
        return copyOffsite(offsite.get(), local, command.offsite().get().retention(), command.zone());
    }

    /**
     * Uploads the finished backup and applies the remote policy to the store's copies. Any failure here leaves the
     * local backup and local retention as they are, and is reported as such.
     */
    private RunResult copyOffsite(RemoteBackupStore store, RunResult local, RetentionPolicy remoteRetention,
            ZoneId zone) {
        try {
            RemoteBackup copy = store.upload(local.backup(), local.file());
            List<RemoteBackup> remote = store.list();
            // a backup pinned here is kept there too: the copy off-site is the one that survives losing the machine
            RetentionPlan plan = remoteRetention.plan(remote.stream().map(RemoteBackup::name).toList(), zone,
                    clock.instant(), repository.pins());
            for (RemoteBackup r : remote) {
                if (plan.deleted().contains(r.name()) && !r.id().equals(copy.id())) {
                    store.delete(r);
                }
            }
            return local.withRemote(copy, plan);
        } catch (RuntimeException failure) {
            throw new OffsiteCopyFailedException("local backup ok, " + store.describe() + " upload failed: "
                    + messageOf(failure), local, failure);
        }
    }

    private Backup snapshotAndPublish(SourceDatabase source, Command command, Instant startedAt,
            Recording recording) {
        StagedBackup staged = repository.stage();
        boolean published = false;
        try {
            CompletableFuture<Optional<DatabaseSnapshotter.CopyChecksum>> landed = snapshotter.snapshotHashed(
                    source.path(), staged.file(), command.compact(), command.progress());
            // Both only read the finished copy: hash it on another core while SQLite checks it (or, when the copy
            // was hashed as it was written, let that hashing finish meanwhile).
            CompletableFuture<StagedBackup> summed = landed.thenCompose(checksum -> checksum
                    .map(c -> CompletableFuture.completedFuture(new StagedBackup(staged.file(), c.sha256(),
                            c.sizeBytes())))
                    .orElseGet(() -> CompletableFuture.supplyAsync(() -> repository.checksum(staged),
                            CHECKSUM_THREADS)));
            IntegrityReport integrity = snapshotter.check(staged.file(), command.verify());
            StagedBackup checked = joined(summed);
            if (!integrity.ok()) {
                throw new BackupFailedException("backup of " + source.path() + " failed verification, "
                        + integrity.summary() + "; the database itself may be corrupt");
            }
            List<AssertionResult> failed = snapshotter.evaluate(staged.file(), command.assertions()).stream()
                    .filter(r -> !r.passed()).toList();
            if (!failed.isEmpty()) {
                throw new BackupFailedException("backup of " + source.path() + " failed "
                        + (failed.size() == 1 ? "data assertion " : failed.size() + " data assertions: ")
                        + failed.stream().map(AssertionResult::describe).collect(Collectors.joining("; "))
                        + "; the copy was not published and nothing was deleted");
            }
            List<TableCount> counts = drift.isPresent() ? snapshotter.countRows(staged.file()) : List.of();
            recording.tables = counts;
            Backup backup = repository.publish(checked, startedAt, rowNotes(counts));
            published = true;
            return backup;
        } finally {
            if (!published) {
                repository.discard(staged);
            }
        }
    }

    /** The sidecar's note of the row counts: {@code # rows: messages=120433 big~=12000000} (~ an estimate). */
    private static List<String> rowNotes(List<TableCount> counts) {
        return counts.isEmpty() ? List.of()
                : List.of("# rows (count(*); ~ an sqlite_stat1 estimate): " + TableCount.encode(counts, ' '));
    }

    /**
     * Compares the new backup's tables with those the previous successful run recorded; on drift, pins that
     * previous backup (before retention runs) and tells the owner. Never fails the run: a log that cannot be read
     * only means no comparison.
     */
    private void guardDrift(SourceDatabase source, Backup backup, List<TableCount> now) {
        if (drift.isEmpty() || now.isEmpty()) {
            return;
        }
        Optional<RunRecord> previous;
        try {
            previous = activityLog.lastSuccess();
        } catch (RuntimeException unreadable) {
            return;
        }
        if (previous.isEmpty() || previous.get().tables().isEmpty() || previous.get().backup().isEmpty()
                || previous.get().backup().get().equals(backup.name())) {
            return;
        }
        List<String> changes = drift.get().changes(previous.get().tables(), now);
        BackupName earlier = previous.get().backup().get();
        if (changes.isEmpty() || repository.find(earlier).isEmpty()) {
            return;
        }
        Instant until = clock.instant().plus(drift.get().pinFor());
        String reason = String.join("; ", changes);
        repository.pin(new Pin(earlier, until, reason.length() > 500 ? reason.substring(0, 500) + "…" : reason));
        notifier.notify(new DriftAlert(source.displayName(), clock.instant(), earlier, until, changes));
    }

    private static StagedBackup joined(CompletableFuture<StagedBackup> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** When the newest backup in the folder was taken (none from the future), if the folder can be read at all. */
    private Optional<Instant> lastSuccess() {
        try {
            Instant now = clock.instant();
            return repository.exists() ? repository.list().stream().filter(b -> !b.name().isFuture(now))
                    .findFirst().map(Backup::takenAt) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static String displayName(Path database) {
        Path name = database.getFileName();
        return name == null ? database.toString() : name.toString();
    }

    /** The failure as the history and the owner see it: one message, with any secret a server echoed masked. */
    private static String messageOf(RuntimeException failure) {
        return Redaction.redact(failure instanceof DomainException || failure.getMessage() == null
                ? String.valueOf(failure.getMessage()) : failure.getClass().getSimpleName() + ": "
                + failure.getMessage());
    }

    private RetentionPlan applyRetention(Command command, BackupName justTaken) {
        List<BackupName> names = repository.list().stream().map(Backup::name).toList();
        RetentionPlan plan = command.retention().plan(names, command.zone(), clock.instant(), repository.pins());
        if (plan.deleted().contains(justTaken)) {
            // Cannot happen with a valid policy (the newest backup up to now is always kept, and one named after
            // now is kept as from the future); never risk it.
            throw new IllegalStateException("retention would delete the backup just taken: " + justTaken);
        }
        plan.deleted().forEach(repository::delete);
        return plan;
    }

    /**
     * One run's entry in the activity log. Never fatal: a log that fails is the adapter's to report (it warns), and
     * the backup goes on. The start is written once the run holds the folder's lock (the log lives in the folder by
     * default, a run that fails its source check must create nothing, and a run queued behind another has not
     * started); a run that fails before that is recorded at its end only when the folder exists already. In a folder
     * the run itself created, the start is written only once the backup is published: a first run that fails before
     * then removes what it created and is not recorded at all; nor is a run whose folder cannot be prepared. A run
     * that held the folder is recorded from when it took it to when it let go, so that two runs of one folder never
     * overlap in its history.
     */
    private final class Recording {

        private enum State {
            /** Nothing written yet: the run is recorded at its end, whole, if its folder exists by then. */
            NOT_STARTED,
            /** The start is written (or its write failed: the end then stores the run whole). */
            STARTED,
            /** The run must leave no trace: its folder is unusable, or the run removed all it created. */
            UNRECORDED,
            /** The end is written (or its write failed, which the log warns about): nothing more to do. */
            ENDED
        }

        private final RunTrigger trigger;
        /** When the run was asked for, then (once it holds the folder, if not yet written) when it took it. */
        private Instant startedAt;
        /** When it let go of the folder: its end, even though the end is written after. */
        private Instant letGo;
        private State state = State.NOT_STARTED;
        private RunRecord record;
        /** The row counts of the backup this run made, once made. */
        private List<TableCount> tables = List.of();

        Recording(RunTrigger trigger, Instant startedAt) {
            this.trigger = trigger;
            this.startedAt = startedAt;
        }

        /** The run holds the folder from {@code at}: its start, unless the start is written already. */
        void tookFolder(Instant at) {
            if (state == State.NOT_STARTED) {
                startedAt = at;
            }
        }

        /** The run let go of the folder at {@code at}: its end, when the end is written. */
        void letGo(Instant at) {
            letGo = at;
        }

        /** Writes the start, once; later calls do nothing. */
        void started() {
            if (state != State.NOT_STARTED) {
                return;
            }
            try {
                record = activityLog.start(trigger, startedAt);
            } catch (RuntimeException broken) {
                record = RunRecord.started(0, trigger, startedAt);
            }
            state = State.STARTED;
        }

        /** The folder is unusable, or the run removed all it created: writing its end would create it again. */
        void notRecorded() {
            state = State.UNRECORDED;
        }

        void ended(RunRecord.Outcome outcome, Optional<Backup> backup, Optional<String> remoteId,
                Optional<String> error) {
            if (state == State.UNRECORDED || state == State.ENDED) {
                return;
            }
            try {
                if (state == State.NOT_STARTED) {
                    if (!repository.exists()) {
                        return;
                    }
                    record = RunRecord.started(0, trigger, startedAt);
                }
                state = State.ENDED;
                Instant now = letGo != null ? letGo : clock.instant();
                activityLog.finish(record.ended(now.isBefore(startedAt) ? startedAt : now, outcome, backup,
                        remoteId, error).withTables(tables));
            } catch (RuntimeException broken) {
                // the log's own warning says so; a history entry is never worth a failed backup
            }
        }
    }
}
