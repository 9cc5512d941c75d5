package dev.sqlitebackup.app.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads {@code DATABASE_URL} in the forms people already use: {@code sqlite:///relative.db} (three slashes),
 * {@code sqlite:////absolute.db} (four), {@code jdbc:sqlite:PATH}, or a plain path.
 */
public final class DatabaseUrl {

    private static final Pattern URL_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://.*");

    private DatabaseUrl() {
    }

    /**
     * The database file the value names; relative paths are relative to the working directory.
     *
     * @throws IllegalArgumentException with the problem, worded to follow the setting's name
     */
    public static Path parse(String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        String path;
        if (v.startsWith("sqlite:")) {
            if (!v.startsWith("sqlite:///")) {
                throw new IllegalArgumentException("'" + value + "' is not a usable sqlite URL: use "
                        + "sqlite:///relative/path.db (three slashes) or sqlite:////absolute/path.db (four)");
            }
            path = v.substring("sqlite:///".length());
        } else if (v.startsWith("jdbc:")) {
            if (!v.startsWith("jdbc:sqlite:")) {
                throw new IllegalArgumentException("'" + value + "' is not an SQLite URL: only jdbc:sqlite:PATH "
                        + "is supported");
            }
            path = v.substring("jdbc:sqlite:".length());
            if (path.startsWith("file:")) {
                path = path.substring("file:".length());
            }
        } else if (URL_SCHEME.matcher(v).matches()) {
            String scheme = v.substring(0, v.indexOf(':'));
            throw new IllegalArgumentException("has unsupported scheme '" + scheme + "': use "
                    + "sqlite:///relative.db, sqlite:////absolute.db, jdbc:sqlite:PATH or a plain path");
        } else {
            path = v;
        }
        if (path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory")) {
            throw new IllegalArgumentException("'" + value + "' names no database file");
        }
        try {
            return Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("'" + value + "' is not a valid path: " + e.getReason());
        }
    }
}
