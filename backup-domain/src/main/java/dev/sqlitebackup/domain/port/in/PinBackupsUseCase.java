package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.Pin;
import java.time.Instant;
import java.util.List;

/** In-port: the backups retention must keep ({@code list} shows them) and releasing one ({@code unpin}). */
public interface PinBackupsUseCase {

    /** The folder's pins, expired ones included, in backup order; none for a folder that does not exist. */
    List<Pin> pins();

    /**
     * Pins a backup of the folder until {@code until}, for {@code reason} (a later pin of it already there is kept).
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when the folder has no such backup
     */
    Pin pin(BackupName name, Instant until, String reason);

    /**
     * Releases a pinned backup: retention judges it by its rules again from now on.
     *
     * @param which the backup's name, or a stored copy's name ({@code backup-….db.zst})
     * @return the pin that was removed
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when that is no backup name, or the backup is not
     *                                                             pinned
     */
    Pin unpin(String which);
}
