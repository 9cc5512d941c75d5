package dev.sqlitebackup.domain.port.out;

import java.nio.file.Path;
import java.util.Objects;

/** A backup being written: an empty file in the repository's own scratch space, not yet a backup. */
public record StagedBackup(Path file) {
    public StagedBackup {
        Objects.requireNonNull(file, "file");
    }
}
