package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.RemoteBackup;
import java.util.List;

/** In-port: the backups in the backup folder, or in the off-site store, newest first. */
public interface ListBackupsUseCase {
    List<Backup> list();

    /**
     * The tool's own copies in the off-site store.
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when no off-site store is configured
     */
    List<RemoteBackup> listRemote();
}
