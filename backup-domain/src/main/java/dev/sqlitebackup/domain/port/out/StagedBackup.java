package dev.sqlitebackup.domain.port.out;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A backup being written: a file in the repository's own scratch space, not yet a backup. Once written, the
 * repository may record its SHA-256 and size ({@link BackupRepository#checksum}) so publishing need not read it again.
 */
public record StagedBackup(Path file, Optional<String> sha256, OptionalLong sizeBytes) {
    public StagedBackup {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(sizeBytes, "sizeBytes");
    }

    /** A staged file whose checksum and size are not known yet. */
    public StagedBackup(Path file) {
        this(file, Optional.empty(), OptionalLong.empty());
    }

    /** A staged file whose checksum was taken over {@code sizeBytes} bytes. */
    public StagedBackup(Path file, String sha256, long sizeBytes) {
        this(file, Optional.of(sha256), OptionalLong.of(sizeBytes));
    }
}
