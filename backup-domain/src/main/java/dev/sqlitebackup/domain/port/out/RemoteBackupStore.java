package dev.sqlitebackup.domain.port.out;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.RemoteBackup;
import java.nio.file.Path;
import java.util.List;

/**
 * Out-port: the off-site copy of finished backups. Only the tool's own files count; nothing else in the store is
 * ever touched. Failures are {@link dev.sqlitebackup.domain.model.BackupFailedException}s with a one-line message.
 */
public interface RemoteBackupStore {

    /** What people call the store, for messages: "Drive" gives "local backup ok, Drive upload failed: ...". */
    String describe();

    /**
     * Copies a finished, verified local backup off-site and checks the store's checksum of what arrived. When the
     * store already holds this backup (same name and SHA-256) it returns that copy instead of making a second one.
     */
    RemoteBackup upload(Backup backup, Path file);

    /** The tool's own backups in the store, newest first. */
    List<RemoteBackup> list();

    void delete(RemoteBackup backup);

    /** Writes the backup's bytes into {@code target} (an existing empty file) and checks them against the store. */
    void download(RemoteBackup backup, Path target);
}
