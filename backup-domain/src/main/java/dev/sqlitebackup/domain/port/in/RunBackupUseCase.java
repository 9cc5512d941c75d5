package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;

/**
 * In-port: take one consistent, verified backup of the live database, apply retention, and copy it off-site.
 * Throws {@link dev.sqlitebackup.domain.model.OffsiteCopyFailedException} when only the off-site copy failed.
 */
public interface RunBackupUseCase {

    RunResult run(Command command);

    /**
     * @param database the live database file
     * @param compact  VACUUM INTO the copy (smaller, defragmented) instead of the page-for-page online backup
     * @param verify   how deeply the copy is checked before it gets a backup name
     * @param offsite  copy the new backup to the off-site store, if one is configured, and apply
     *                 {@code remoteRetention} there
     */
    record Command(Path database, boolean compact, VerifyLevel verify, RetentionPolicy retention, ZoneId zone,
            SnapshotProgress progress, boolean offsite, RetentionPolicy remoteRetention) {
        public Command {
            Objects.requireNonNull(remoteRetention, "remoteRetention");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(verify, "verify");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(progress, "progress");
        }

        /** A local-only run: no off-site copy, whatever store is configured. */
        public Command(Path database, boolean compact, VerifyLevel verify, RetentionPolicy retention, ZoneId zone,
                SnapshotProgress progress) {
            this(database, compact, verify, retention, zone, progress, false, retention);
        }
    }
}
