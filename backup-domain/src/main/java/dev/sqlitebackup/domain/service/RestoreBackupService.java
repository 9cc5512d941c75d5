package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.RestoreResult;
import dev.sqlitebackup.domain.model.VerificationReport;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.port.out.RestoreDestination;

/**
 * Restores a backup: refuses to clobber an existing database without force, verifies the backup first, and lets the
 * destination swap it in atomically, so the target is either the old database or the whole verified backup.
 */
public final class RestoreBackupService implements RestoreBackupUseCase {

    private final BackupRepository repository;
    private final DatabaseSnapshotter snapshotter;
    private final RestoreDestination destination;

    public RestoreBackupService(BackupRepository repository, DatabaseSnapshotter snapshotter,
            RestoreDestination destination) {
        this.repository = repository;
        this.snapshotter = snapshotter;
        this.destination = destination;
    }

    @Override
    public RestoreResult restore(Command command) {
        Backup backup = BackupSelection.select(repository, command.which(), false).get(0);
        boolean exists = destination.exists(command.target());
        if (exists && !command.force()) {
            throw new InvalidInputException(command.target() + " exists; restore will not overwrite it without "
                    + "--force");
        }
        VerificationReport report = new VerifyBackupsService(repository, snapshotter)
                .verify(backup, VerifyLevel.QUICK);
        if (!report.ok()) {
            throw new BackupFailedException("backup " + backup.name() + " failed verification, nothing restored: "
                    + report.checksum().summary() + ", " + report.integrity().summary());
        }
        destination.install(repository.locate(backup.name()), report.checksum().actual(), command.target(),
                command.force());
        return new RestoreResult(backup, command.target(), exists, report);
    }
}
