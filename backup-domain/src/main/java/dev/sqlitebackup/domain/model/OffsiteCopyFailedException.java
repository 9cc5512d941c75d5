package dev.sqlitebackup.domain.model;

/**
 * The local backup is final, verified and retained, but copying it off-site failed. The run counts as failed (the
 * CLI exits 1) while the local copy is safe; {@link #localResult()} says what was made.
 */
public class OffsiteCopyFailedException extends BackupFailedException {
    private static final long serialVersionUID = 1L;

    private final transient RunResult localResult;

    public OffsiteCopyFailedException(String message, RunResult localResult, Throwable cause) {
        super(message, cause);
        this.localResult = localResult;
    }

    public RunResult localResult() {
        return localResult;
    }
}
