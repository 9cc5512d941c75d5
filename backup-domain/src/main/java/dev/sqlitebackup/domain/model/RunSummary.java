package dev.sqlitebackup.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How one run over many databases went, in one message: how many were backed up, their total size and the run's
 * duration, and the names of those that failed (each of which also gets a {@link RunReport} of its own) or whose
 * source is gone.
 */
public record RunSummary(Instant finishedAt, int succeeded, long totalBytes, Duration duration, List<String> failed,
        List<String> gone) {

    public RunSummary {
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(duration, "duration");
        failed = List.copyOf(failed);
        gone = List.copyOf(gone);
        if (succeeded < 0 || totalBytes < 0 || duration.isNegative()) {
            throw new IllegalArgumentException("negative count, size or duration in a run summary");
        }
    }
}
