package dev.sqlitebackup.domain.port.out;

import java.nio.file.Path;

/** Out-port: where a restored database is written, replacing what was there in one atomic step. */
public interface RestoreDestination {

    /**
     * Whether a file (or anything else) exists at {@code target}.
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when it is a directory, which no restore replaces
     */
    boolean exists(Path target);

    /**
     * Copies {@code verifiedCopy} to a scratch file beside {@code target}, checks the copy's SHA-256 against
     * {@code expectedSha256}, makes it durable and renames it over {@code target}. With {@code replace}, stale
     * {@code -wal}, {@code -shm} and {@code -journal} files of the old database are removed first so SQLite never
     * mixes them into the restored file; without it, an existing target is never overwritten.
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when the target's folder is missing
     * @throws dev.sqlitebackup.domain.model.RestoreTargetExistsException when the target exists and {@code replace}
     *         is false
     */
    void install(Path verifiedCopy, String expectedSha256, Path target, boolean replace);
}
