package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.RestoreResult;
import java.nio.file.Path;
import java.util.Objects;

/** In-port: verify a backup and put it in place as a database file, atomically. */
public interface RestoreBackupUseCase {

    RestoreResult restore(Command command);

    /** @param which a backup name or {@code latest}; @param force replace {@code target} if it exists */
    record Command(String which, Path target, boolean force) {
        public Command {
            Objects.requireNonNull(which, "which");
            Objects.requireNonNull(target, "target");
        }
    }
}
