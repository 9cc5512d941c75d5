package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.RestoreResult;
import java.nio.file.Path;
import java.util.Objects;

/** In-port: verify a backup and put it in place as a database file, atomically. */
public interface RestoreBackupUseCase {

    RestoreResult restore(Command command);

    /**
     * @param which       a backup name or {@code latest}
     * @param overwrite   whether an existing {@code target} is replaced
     * @param offsiteOnly restore the off-site copy ({@code latest}: the newest there), not the folder's
     */
    record Command(String which, Path target, Overwrite overwrite, boolean offsiteOnly) {
        public Command {
            Objects.requireNonNull(which, "which");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(overwrite, "overwrite");
        }

        /** A restore from wherever the backup is: the backup folder, or the off-site store when only there. */
        public Command(String which, Path target, Overwrite overwrite) {
            this(which, target, overwrite, false);
        }

        /** The same restore, from the off-site copy even when the folder holds the backup too. */
        public Command fromOffsite() {
            return new Command(which, target, overwrite, true);
        }

        /** Whether an existing target may be replaced at all. */
        public boolean replaces() {
            return overwrite != Overwrite.NEVER;
        }
    }

    /** What may happen to a database that already exists at the target. */
    enum Overwrite {
        /** Never replace it. */
        NEVER,
        /** Replace it unless another process has it open (its later writes would go to the replaced file). */
        UNLESS_OPEN,
        /** Replace it even while another process has it open, losing whatever that process writes afterwards. */
        EVEN_IF_OPEN
    }
}
