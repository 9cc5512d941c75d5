package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.RunTrigger;

/**
 * In-port: a run that never started because its settings are unusable (a negative count, an unknown zone, a broken
 * credentials file) still belongs in the history, so {@code status} and {@code history} show why no backup was made.
 */
public interface RecordRefusedRunUseCase {

    /**
     * Records a failed run with {@code reason} as its error, when the backup folder exists (a folder that does not
     * exist is never created for it). Never throws: the refusal itself is what the caller reports.
     *
     * @return whether it was recorded
     */
    boolean record(RunTrigger trigger, String reason);
}
