package dev.sqlitebackup.domain.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * How a backup's bytes are stored: as the plain database, as a zstd frame, as an age file, or as an age file of a
 * zstd frame. The form shows in the stored file's name ({@code backup-…db}, {@code .db.zst}, {@code .db.age},
 * {@code .db.zst.age}), so standard tools ({@code zstd -d}, {@code age -d}) know what to do with a copy, and one
 * backup (one {@link BackupName}, one timestamp) is the same backup whatever its form.
 */
public enum StoredForm {
    PLAIN("", false, false, "plain"),
    ZSTD(".zst", true, false, "zstd"),
    AGE(".age", false, true, "age"),
    ZSTD_AGE(".zst.age", true, true, "zstd+age");

    private final String suffix;
    private final boolean compressed;
    private final boolean encrypted;
    private final String label;

    StoredForm(String suffix, boolean compressed, boolean encrypted, String label) {
        this.suffix = suffix;
        this.compressed = compressed;
        this.encrypted = encrypted;
        this.label = label;
    }

    /** The form of copies made with these choices. */
    public static StoredForm of(boolean compressed, boolean encrypted) {
        return compressed ? (encrypted ? ZSTD_AGE : ZSTD) : (encrypted ? AGE : PLAIN);
    }

    /** The form a stored file's name says, when the name is a backup's in some form. */
    public static Optional<StoredForm> ofFileName(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        // longest suffix first: ".db.zst.age" is not a ".db.age" of "backup-….db.zst"
        return Arrays.stream(values()).sorted(Comparator.comparingInt((StoredForm f) -> f.suffix.length()).reversed())
                .filter(f -> fileName.endsWith(f.suffix))
                .filter(f -> BackupName.parse(fileName.substring(0, fileName.length() - f.suffix.length())).isPresent())
                .findFirst();
    }

    /** The backup a stored file's name is of, in whatever form; empty for any other file. */
    public static Optional<BackupName> backupOf(String fileName) {
        return ofFileName(fileName).map(f -> new BackupName(fileName.substring(0, fileName.length() - f.suffix.length())));
    }

    /** The form named by {@link #label()} ("plain", "zstd", "age", "zstd+age"), as stores record it. */
    public static Optional<StoredForm> ofLabel(String label) {
        return Arrays.stream(values()).filter(f -> f.label.equals(label)).findFirst();
    }

    /** The name of {@code backup} stored in this form. */
    public String fileName(BackupName backup) {
        return backup.value() + suffix;
    }

    /** What the form adds to a backup's name: "", ".zst", ".age" or ".zst.age". */
    public String suffix() {
        return suffix;
    }

    public boolean compressed() {
        return compressed;
    }

    public boolean encrypted() {
        return encrypted;
    }

    /** The form's name in records and messages: "plain", "zstd", "age", "zstd+age". */
    public String label() {
        return label;
    }
}
