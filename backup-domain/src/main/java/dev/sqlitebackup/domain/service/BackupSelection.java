package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.NoOffsiteStoreException;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import java.util.List;
import java.util.Optional;

/** Turns what the user typed ({@code latest}, {@code all} or a backup name) into backups of a store. */
final class BackupSelection {

    static final String LATEST = "latest";
    static final String ALL = "all";

    private BackupSelection() {
    }

    static List<Backup> select(BackupRepository repository, String which, boolean allowAll) {
        List<Backup> backups = repository.exists() ? repository.list() : List.of();
        if (allowAll && ALL.equals(which)) {
            return backups;
        }
        if (LATEST.equals(which)) {
            if (backups.isEmpty()) {
                throw new InvalidInputException("no backups in " + repository.describe());
            }
            return List.of(backups.get(0));
        }
        BackupName name = parse(which);
        return List.of(repository.find(name).orElseThrow(() -> new InvalidInputException(
                "no backup named " + name + " in " + repository.describe())));
    }

    static List<RemoteBackup> selectRemote(RemoteBackupStore store, String which, boolean allowAll) {
        List<RemoteBackup> backups = store.list();
        if (allowAll && ALL.equals(which)) {
            return backups;
        }
        if (LATEST.equals(which)) {
            if (backups.isEmpty()) {
                throw new InvalidInputException("no backups in " + store.describe());
            }
            return List.of(backups.get(0));
        }
        BackupName name = parse(which);
        return List.of(findRemote(store, name).orElseThrow(() -> new InvalidInputException(
                "no backup named " + name + " in " + store.describe())));
    }

    static Optional<RemoteBackup> findRemote(RemoteBackupStore store, BackupName name) {
        return store.list().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    static BackupName parse(String which) {
        // a stored copy's name (backup-….db.zst.age, as Drive shows it) names its backup too
        return StoredForm.backupOf(which).orElseThrow(() -> new InvalidInputException(
                "'" + which + "' is not a backup name (backup-YYYY-MM-DD-HHMMSS.db) or 'latest'"));
    }

    static NoOffsiteStoreException noOffsiteStore() {
        return new NoOffsiteStoreException();
    }
}
