package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.Pin;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.in.PinBackupsUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import java.time.Instant;
import java.util.List;

/** The pins of the backup folder, read and released. */
public final class PinBackupsService implements PinBackupsUseCase {

    private final BackupRepository repository;

    public PinBackupsService(BackupRepository repository) {
        this.repository = repository;
    }

    @Override
    public List<Pin> pins() {
        return repository.exists() ? repository.pins() : List.of();
    }

    @Override
    public Pin pin(BackupName name, Instant until, String reason) {
        Pin pin = new Pin(name, until, reason);
        repository.pin(pin);
        return repository.pins().stream().filter(p -> p.backup().equals(name)).findFirst().orElse(pin);
    }

    @Override
    public Pin unpin(String which) {
        BackupName name = StoredForm.backupOf(which).orElseThrow(() -> new InvalidInputException(
                "'" + which + "' is not a backup name (backup-YYYY-MM-DD-HHMMSS.db)"));
        if (!repository.exists()) {
            throw notPinned(name);
        }
        return repository.unpin(name).orElseThrow(() -> notPinned(name));
    }

    private InvalidInputException notPinned(BackupName name) {
        return new InvalidInputException("backup " + name + " is not pinned in " + repository.describe());
    }
}
