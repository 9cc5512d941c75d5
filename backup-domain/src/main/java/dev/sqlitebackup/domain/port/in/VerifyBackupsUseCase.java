package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.VerificationReport;
import dev.sqlitebackup.domain.model.VerifyLevel;
import java.util.List;
import java.util.Objects;

/** In-port: check stored backups against their checksums and SQLite's integrity check. */
public interface VerifyBackupsUseCase {

    List<VerificationReport> verify(Command command);

    /**
     * @param which  a backup name, {@code latest}, or {@code all}
     * @param remote check the off-site copies: each is downloaded into scratch space, checked against the store's
     *               checksums and the local sidecar (when the backup is also local), and integrity-checked
     */
    record Command(String which, VerifyLevel level, boolean remote) {
        public Command {
            Objects.requireNonNull(which, "which");
            Objects.requireNonNull(level, "level");
        }

        public Command(String which, VerifyLevel level) {
            this(which, level, false);
        }
    }
}
