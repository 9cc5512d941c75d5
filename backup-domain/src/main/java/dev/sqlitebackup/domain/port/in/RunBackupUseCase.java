package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;

/** In-port: take one consistent, verified backup of the live database, then apply retention. */
public interface RunBackupUseCase {

    RunResult run(Command command);

    /**
     * @param database the live database file
     * @param compact  VACUUM INTO the copy (smaller, defragmented) instead of the page-for-page online backup
     * @param verify   how deeply the copy is checked before it gets a backup name
     */
    record Command(Path database, boolean compact, VerifyLevel verify, RetentionPolicy retention, ZoneId zone,
            SnapshotProgress progress) {
        public Command {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(verify, "verify");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(progress, "progress");
        }
    }
}
