package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.port.in.ShowHistoryUseCase;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import java.util.List;

/** Reads the activity log. */
public final class ShowHistoryService implements ShowHistoryUseCase {

    private final ActivityLog log;

    public ShowHistoryService(ActivityLog log) {
        this.log = log;
    }

    @Override
    public List<RunRecord> history(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return log.recent(limit);
    }
}
