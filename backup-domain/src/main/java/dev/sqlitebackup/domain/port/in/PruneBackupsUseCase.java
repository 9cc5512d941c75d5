package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import java.time.ZoneId;
import java.util.Objects;

/** In-port: apply the retention policy to the backup folder now, or only show what it would do. */
public interface PruneBackupsUseCase {

    /** The plan; carried out unless {@code dryRun}. */
    RetentionPlan prune(Command command);

    record Command(RetentionPolicy retention, ZoneId zone, boolean dryRun) {
        public Command {
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(zone, "zone");
        }
    }
}
