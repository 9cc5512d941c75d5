package dev.sqlitebackup.domain.model;

import java.nio.file.Path;
import java.util.Objects;

/** The live database being backed up, as found when a run starts. */
public record SourceDatabase(Path path, long sizeBytes) {
    public SourceDatabase {
        Objects.requireNonNull(path, "path");
    }

    /** The name people know the database by: its file name. */
    public String displayName() {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }
}
