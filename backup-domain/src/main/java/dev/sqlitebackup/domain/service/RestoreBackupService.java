package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.DatabaseInUseException;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.RestoreResult;
import dev.sqlitebackup.domain.model.RestoreTargetExistsException;
import dev.sqlitebackup.domain.model.VerificationReport;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase.Overwrite;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import dev.sqlitebackup.domain.port.out.RestoreDestination;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Restores a backup: refuses to clobber an existing database without force, verifies the backup first, and lets the
 * destination swap it in atomically, so the target is either the old database or the whole verified backup. A
 * backup that is not in the local folder is downloaded from the off-site store into scratch space first.
 */
public final class RestoreBackupService implements RestoreBackupUseCase {

    private final BackupRepository repository;
    private final DatabaseSnapshotter snapshotter;
    private final RestoreDestination destination;
    private final Optional<RemoteBackupStore> offsite;
    private final Clock clock;

    public RestoreBackupService(BackupRepository repository, DatabaseSnapshotter snapshotter,
            RestoreDestination destination, Optional<RemoteBackupStore> offsite) {
        this(repository, snapshotter, destination, offsite, Clock.systemUTC());
    }

    private RestoreBackupService(BackupRepository repository, DatabaseSnapshotter snapshotter,
            RestoreDestination destination, Optional<RemoteBackupStore> offsite, Clock clock) {
        this.repository = repository;
        this.snapshotter = snapshotter;
        this.destination = destination;
        this.offsite = offsite;
        this.clock = clock;
    }

    /** The same service, telling by {@code now} which backup is the latest (one named in the future is not). */
    public RestoreBackupService withClock(Clock now) {
        return new RestoreBackupService(repository, snapshotter, destination, offsite, now);
    }

    public RestoreBackupService(BackupRepository repository, DatabaseSnapshotter snapshotter,
            RestoreDestination destination) {
        this(repository, snapshotter, destination, Optional.empty());
    }

    @Override
    public RestoreResult restore(Command command) {
        if (command.offsiteOnly()) {
            RemoteBackupStore store = offsite.orElseThrow(BackupSelection::noOffsiteStore);
            return restoreFromOffsite(store,
                    BackupSelection.selectRemote(store, command.which(), false, clock.instant()).get(0), command);
        }
        Optional<RemoteBackup> remote = remoteChoice(command.which());
        if (remote.isPresent()) {
            return restoreFromOffsite(offsite.orElseThrow(), remote.get(), command);
        }
        Backup backup = BackupSelection.select(repository, command.which(), false, clock.instant()).get(0);
        boolean exists = refuseToClobber(command);
        // a compressed backup is decoded into scratch space and checked there; nothing is installed before that
        return new VerifyBackupsService(repository, snapshotter).verify(backup, VerifyLevel.QUICK, (report, plain) -> {
            requireOk(report);
            refuseWhileOpen(command, exists);
            destination.install(plain, report.checksum().actual().orElseThrow(), command.target(),
                    command.replaces());
            return new RestoreResult(backup, command.target(), exists, report, false);
        });
    }

    /** The off-site copy to restore, when the wanted backup is (or the latest one is) only off-site. */
    private Optional<RemoteBackup> remoteChoice(String which) {
        if (offsite.isEmpty()) {
            return Optional.empty();
        }
        List<Backup> local = repository.exists() ? repository.list() : List.of();
        if (BackupSelection.LATEST.equals(which)) {
            Instant now = clock.instant();
            Optional<BackupName> here = BackupSelection.latest(local, Backup::name, now).map(Backup::name);
            Optional<RemoteBackup> there = BackupSelection.latest(offsite.get().list(), RemoteBackup::name, now);
            if (there.isEmpty() || here.equals(there.map(RemoteBackup::name))) {
                return Optional.empty(); // none off-site, or the same backup: the local one
            }
            // the latest of the two, by the same rule as within one store
            List<BackupName> both = Stream.concat(here.stream(), Stream.of(there.get().name()))
                    .sorted(Comparator.reverseOrder()).toList();
            return BackupSelection.latest(both, Function.identity(), now).equals(here) ? Optional.empty() : there;
        }
        BackupName name = BackupSelection.parse(which);
        if (local.stream().anyMatch(b -> b.name().equals(name))) {
            return Optional.empty();
        }
        return BackupSelection.findRemote(offsite.get(), name);
    }

    private RestoreResult restoreFromOffsite(RemoteBackupStore store, RemoteBackup remote, Command command) {
        boolean exists = refuseToClobber(command);
        repository.prepare();
        StagedBackup scratch = repository.stage();
        try {
            store.download(remote, scratch.file());
            IntegrityReport integrity = snapshotter.check(scratch.file(), VerifyLevel.QUICK);
            if (remote.sha256().isEmpty()) {
                throw new BackupFailedException("the " + store.describe() + " copy of " + remote.name()
                        + " has no recorded SHA-256; nothing restored");
            }
            // the store checked the stored bytes against its own checksum and decoded them; this holds the plain
            // bytes that arrived to the SHA-256 recorded when the backup was made
            StagedBackup arrivedBytes = repository.checksum(scratch);
            String arrived = arrivedBytes.sha256().orElseThrow();
            Backup backup = new Backup(remote.name(), arrivedBytes.sizeBytes().orElseThrow(), remote.sha256());
            VerificationReport report = new VerificationReport(backup, ChecksumCheck.of(remote.sha256(), arrived),
                    integrity);
            requireOk(report);
            refuseWhileOpen(command, exists);
            destination.install(scratch.file(), arrived, command.target(), command.replaces());
            return new RestoreResult(backup, command.target(), exists, report, true);
        } finally {
            repository.discard(scratch);
        }
    }

    /** Checked before the work starts, and again just before the swap, which comes after a verification. */
    private boolean refuseToClobber(Command command) {
        boolean exists = destination.exists(command.target());
        if (exists && !command.replaces()) {
            throw new RestoreTargetExistsException(command.target());
        }
        refuseWhileOpen(command, exists);
        return exists;
    }

    /**
     * A process that has the old database open keeps writing into the file the restore replaced: every write it
     * makes afterwards is lost. Unless told to go ahead anyway, such a restore is refused.
     */
    private void refuseWhileOpen(Command command, boolean exists) {
        if (!exists || command.overwrite() == Overwrite.EVEN_IF_OPEN) {
            return;
        }
        snapshotter.openElsewhere(command.target()).ifPresent(who -> {
            throw new DatabaseInUseException(command.target(), who);
        });
    }

    private static void requireOk(VerificationReport report) {
        if (!report.ok()) {
            throw new BackupFailedException("backup " + report.backup().name() + " failed verification, nothing "
                    + "restored: " + report.checksum().summary() + ", " + report.integrity().summary());
        }
    }
}
