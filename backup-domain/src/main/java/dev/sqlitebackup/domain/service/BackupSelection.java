package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.NoOffsiteStoreException;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Turns what the user typed ({@code latest}, {@code all} or a backup name) into backups of a store. */
final class BackupSelection {

    static final String LATEST = "latest";
    static final String ALL = "all";

    private BackupSelection() {
    }

    /**
     * The backups {@code which} names, {@code latest} as of {@code now} ({@link #latest}); {@code all} only when
     * {@code allowAll}.
     */
    static List<Backup> select(BackupRepository repository, String which, boolean allowAll, Instant now) {
        List<Backup> backups = repository.exists() ? repository.list() : List.of();
        if (allowAll && ALL.equals(which)) {
            return backups;
        }
        if (LATEST.equals(which)) {
            return List.of(latest(backups, Backup::name, now).orElseThrow(() -> new InvalidInputException(
                    "no backups in " + repository.describe())));
        }
        BackupName name = parse(which);
        return List.of(repository.find(name).orElseThrow(() -> new InvalidInputException(
                "no backup named " + name + " in " + repository.describe())));
    }

    static List<RemoteBackup> selectRemote(RemoteBackupStore store, String which, boolean allowAll, Instant now) {
        List<RemoteBackup> backups = store.list();
        if (allowAll && ALL.equals(which)) {
            return backups;
        }
        if (LATEST.equals(which)) {
            return List.of(latest(backups, RemoteBackup::name, now).orElseThrow(() -> new InvalidInputException(
                    "no backups in " + store.describe())));
        }
        BackupName name = parse(which);
        return List.of(findRemote(store, name).orElseThrow(() -> new InvalidInputException(
                "no backup named " + name + " in " + store.describe())));
    }

    /**
     * The latest of {@code newestFirst} as of {@code now}: the newest whose name is not in the future. A name in the
     * future was given while the clock was ahead (its data is older than the backups named since the clock was put
     * right) or is read while the clock is behind (a machine that booted with a stale clock, whose backups named in
     * the past are its newest); either way the newest name up to now holds the newest data. Only when every name is
     * in the future is the newest of them the latest.
     */
    static <T> Optional<T> latest(List<T> newestFirst, Function<T, BackupName> name, Instant now) {
        return newestFirst.stream().filter(b -> !name.apply(b).isFuture(now)).findFirst()
                .or(() -> newestFirst.stream().findFirst());
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
