package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.Backup;
import java.util.List;

/** In-port: the backups in the backup folder, newest first. */
public interface ListBackupsUseCase {
    List<Backup> list();
}
