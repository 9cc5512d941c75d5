package dev.sqlitebackup.domain.port.out;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A backup being written: a file in the repository's own scratch space, not yet a backup. Once written, the
 * repository may record its SHA-256 ({@link BackupRepository#checksum}) so publishing need not read it again.
 */
public record StagedBackup(Path file, Optional<String> sha256) {
    public StagedBackup {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** A staged file whose checksum is not known yet. */
    public StagedBackup(Path file) {
        this(file, Optional.empty());
    }
}
