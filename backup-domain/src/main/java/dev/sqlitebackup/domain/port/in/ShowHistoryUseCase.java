package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.RunRecord;
import java.util.List;

/**
 * In-port: the latest runs from the activity log, newest first; then those dated in the future
 * ({@link dev.sqlitebackup.domain.model.RunRecord#isFuture}), which never take the place of a current run.
 */
public interface ShowHistoryUseCase {

    /**
     * The {@code limit} latest runs up to now, then up to {@code limit} runs dated in the future.
     *
     * @throws dev.sqlitebackup.domain.model.BackupFailedException when the log cannot be read
     */
    List<RunRecord> history(int limit);
}
