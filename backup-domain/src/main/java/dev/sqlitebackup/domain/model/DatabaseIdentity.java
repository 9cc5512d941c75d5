package dev.sqlitebackup.domain.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which live database a backup folder, a run in the activity log or an off-site copy belongs to: the database file's
 * absolute, normalized path (the application resolves the symlinks of its folder, so that two spellings of one file
 * are one database). Recorded as one line of text.
 */
public record DatabaseIdentity(Path path) {

    public DatabaseIdentity {
        Objects.requireNonNull(path, "path");
        String text = path.toString();
        if (!path.isAbsolute() || !path.normalize().equals(path) || path.getFileName() == null) {
            throw new IllegalArgumentException("a database identity is an absolute, normalized file path: " + path);
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a database path cannot hold a line break: " + path);
        }
    }

    /** The identity a recorded line names, if it is one. */
    public static Optional<DatabaseIdentity> parse(String recorded) {
        try {
            return Optional.of(new DatabaseIdentity(Path.of(recorded)));
        } catch (RuntimeException notAnIdentity) {
            return Optional.empty();
        }
    }

    /** The recorded form: the path. */
    public String value() {
        return path.toString();
    }

    @Override
    public String toString() {
        return value();
    }
}
