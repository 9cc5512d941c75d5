package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.port.in.ShowHistoryUseCase;
import dev.sqlitebackup.domain.port.out.ActivityLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the activity log. Runs dated in the future (recorded while a clock was ahead) come after the current ones,
 * so they never push the latest real runs, a current failure say, out of the list.
 */
public final class ShowHistoryService implements ShowHistoryUseCase {

    private final ActivityLog log;
    private final Clock clock;

    public ShowHistoryService(ActivityLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    @Override
    public List<RunRecord> history(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        Instant now = clock.instant();
        List<RunRecord> latest = log.recent(limit);
        if (latest.stream().noneMatch(r -> r.isFuture(now))) {
            return latest;
        }
        List<RunRecord> all = log.recent(Integer.MAX_VALUE);
        List<RunRecord> runs = new ArrayList<>(all.stream().filter(r -> !r.isFuture(now)).limit(limit).toList());
        runs.addAll(all.stream().filter(r -> r.isFuture(now)).limit(limit).toList());
        return runs;
    }
}
