package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.VerificationReport;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.VerifyBackupsUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import java.util.List;

/** Checks stored backups: the bytes against the sidecar, then SQLite's own integrity check. */
public final class VerifyBackupsService implements VerifyBackupsUseCase {

    private final BackupRepository repository;
    private final DatabaseSnapshotter snapshotter;

    public VerifyBackupsService(BackupRepository repository, DatabaseSnapshotter snapshotter) {
        this.repository = repository;
        this.snapshotter = snapshotter;
    }

    @Override
    public List<VerificationReport> verify(Command command) {
        return BackupSelection.select(repository, command.which(), true).stream()
                .map(backup -> verify(backup, command.level()))
                .toList();
    }

    VerificationReport verify(Backup backup, VerifyLevel level) {
        ChecksumCheck checksum = repository.checkChecksum(backup.name());
        IntegrityReport integrity = snapshotter.check(repository.locate(backup.name()), level);
        return new VerificationReport(backup, checksum, integrity);
    }
}
