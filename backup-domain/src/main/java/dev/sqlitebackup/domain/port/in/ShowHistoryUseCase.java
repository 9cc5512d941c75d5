package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.RunRecord;
import java.util.List;

/** In-port: the latest runs from the activity log, newest first. */
public interface ShowHistoryUseCase {

    /** @throws dev.sqlitebackup.domain.model.BackupFailedException when the log cannot be read */
    List<RunRecord> history(int limit);
}
