package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.DomainException;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.VerificationReport;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.VerifyBackupsUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/** Checks stored backups: the bytes against the sidecar, then SQLite's own integrity check; locally or off-site. */
public final class VerifyBackupsService implements VerifyBackupsUseCase {

    private final BackupRepository repository;
    private final DatabaseSnapshotter snapshotter;
    private final Optional<RemoteBackupStore> offsite;
    private final Clock clock;

    public VerifyBackupsService(BackupRepository repository, DatabaseSnapshotter snapshotter,
            Optional<RemoteBackupStore> offsite) {
        this(repository, snapshotter, offsite, Clock.systemUTC());
    }

    private VerifyBackupsService(BackupRepository repository, DatabaseSnapshotter snapshotter,
            Optional<RemoteBackupStore> offsite, Clock clock) {
        this.repository = repository;
        this.snapshotter = snapshotter;
        this.offsite = offsite;
        this.clock = clock;
    }

    /** The same service, telling by {@code now} which backup is the latest (one named in the future is not). */
    public VerifyBackupsService withClock(Clock now) {
        return new VerifyBackupsService(repository, snapshotter, offsite, now);
    }

    public VerifyBackupsService(BackupRepository repository, DatabaseSnapshotter snapshotter) {
        this(repository, snapshotter, Optional.empty());
    }

    @Override
    public List<VerificationReport> verify(Command command) {
        if (command.remote()) {
            RemoteBackupStore store = offsite.orElseThrow(BackupSelection::noOffsiteStore);
            return BackupSelection.selectRemote(store, command.which(), true, clock.instant()).stream()
                    .map(remote -> verifyRemote(store, remote, command.level()))
                    .toList();
        }
        return BackupSelection.select(repository, command.which(), true, clock.instant()).stream()
                .map(backup -> verify(backup, command.level()))
                .toList();
    }

    /**
     * One backup's report; a backup that cannot be read (or is gone by now) is a failed report, never an exception,
     * so that checking all of them reports every one.
     */
    VerificationReport verify(Backup backup, VerifyLevel level) {
        return verify(backup, level, (report, plain) -> report);
    }

    /**
     * Checks one backup and hands the report and the plain database it checked to {@code then}: the stored file of
     * a plain backup; for a compressed one, its stored bytes are checked against the sidecar first, then decoded
     * into scratch space, where the SHA-256 of the database and its integrity are checked, and the scratch file is
     * removed once {@code then} returns. A compressed backup whose stored bytes fail is not decoded at all.
     */
    <T> T verify(Backup backup, VerifyLevel level, BiFunction<VerificationReport, Path, T> then) {
        ChecksumCheck checksum;
        try {
            checksum = repository.checkChecksum(backup.name());
        } catch (DomainException unreadable) {
            checksum = ChecksumCheck.unreadable(backup.sidecar(), unreadable.getMessage());
        }
        if (!backup.form().compressed()) {
            Path file = repository.locate(backup.name());
            return then.apply(new VerificationReport(backup, checksum, snapshotter.check(file, level)), file);
        }
        if (!checksum.passed()) {
            return then.apply(new VerificationReport(backup, checksum, new IntegrityReport(level,
                    List.of("not checked: the stored " + backup.storedName() + " failed its checksum"))), null);
        }
        StagedBackup plain;
        try {
            repository.prepare(); // its scratch space
            plain = repository.expand(backup);
        } catch (DomainException damaged) {
            return then.apply(new VerificationReport(backup, ChecksumCheck.unreadable(backup.sidecar(),
                    damaged.getMessage()), new IntegrityReport(level, List.of("not checked: not decoded"))), null);
        }
        try {
            // the stored bytes are as recorded; now the database they decode to, against the SHA-256 taken at publish
            // (without a sidecar there is no SHA-256 to hold it to: reported as such, with the database's own)
            ChecksumCheck database = ChecksumCheck.of(backup.recordedSha256(), plain.sha256().orElseThrow());
            IntegrityReport integrity = snapshotter.check(plain.file(), level);
            return then.apply(new VerificationReport(backup, database, integrity), plain.file());
        } finally {
            repository.discard(plain);
        }
    }

    /**
     * Downloads the copy into scratch space (the store checks the transfer against its own checksums), compares the
     * SHA-256 of the bytes that arrived with the local sidecar when the backup is also local (else with the SHA-256
     * the copy was tagged with), and integrity-checks them. The scratch file is always removed.
     */
    private VerificationReport verifyRemote(RemoteBackupStore store, RemoteBackup remote, VerifyLevel level) {
        repository.prepare();
        StagedBackup scratch = repository.stage();
        try {
            try {
                store.download(remote, scratch.file());
            } catch (NoMatchingIdentityException noKey) {
                // not a fault of the copy: without its key nothing can be said about it, and the run says why
                throw noKey;
            } catch (BackupFailedException damaged) {
                // a copy that cannot be downloaded intact is a failed verification, not the end of --all
                Backup backup = new Backup(remote.name(), remote.sizeBytes(), remote.sha256());
                return new VerificationReport(backup, ChecksumCheck.unreadable(backup.sidecar(), "not downloaded"),
                        new IntegrityReport(level, List.of(damaged.getMessage())));
            }
            IntegrityReport integrity = snapshotter.check(scratch.file(), level);
            Optional<String> localSidecar = repository.find(remote.name()).flatMap(Backup::recordedSha256);
            StagedBackup arrivedBytes = repository.checksum(scratch);
            String arrived = arrivedBytes.sha256().orElseThrow();
            ChecksumCheck checksum = ChecksumCheck.of(localSidecar.or(remote::sha256), arrived);
            return new VerificationReport(new Backup(remote.name(), arrivedBytes.sizeBytes().orElseThrow(),
                    remote.sha256()), checksum, integrity);
        } finally {
            repository.discard(scratch);
        }
    }
}
