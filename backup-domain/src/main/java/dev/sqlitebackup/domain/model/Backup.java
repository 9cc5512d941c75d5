package dev.sqlitebackup.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished backup in a backup folder: its name, the form its bytes are stored in (the plain database or a zstd
 * frame of it), the stored file's size and what its sidecar says (the SHA-256s it records; missing, e.g. for a file
 * copied in by hand; or damaged).
 */
public record Backup(BackupName name, StoredForm form, long sizeBytes, Sidecar sidecar) {

    public Backup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(sidecar, "sidecar");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("negative size: " + sizeBytes);
        }
    }

    /** A backup stored as the plain database. */
    public Backup(BackupName name, long sizeBytes, Sidecar sidecar) {
        this(name, StoredForm.PLAIN, sizeBytes, sidecar);
    }

    /** A backup whose SHA-256 is recorded ({@code recordedSha256} present) or not (empty). */
    public Backup(BackupName name, long sizeBytes, Optional<String> recordedSha256) {
        this(name, sizeBytes, Sidecar.of(recordedSha256));
    }

    /**
     * The SHA-256 of the plain database its sidecar records (for a compressed backup the sidecar's comment line, not
     * its checksum line of the stored file); empty when it has none or a damaged one.
     */
    public Optional<String> recordedSha256() {
        return form == StoredForm.PLAIN ? sidecar.sha256() : sidecar.databaseSha256();
    }

    /** The stored file's name, e.g. {@code backup-2026-11-26-030000.db.zst}. */
    public String storedName() {
        return form.fileName(name);
    }

    public Instant takenAt() {
        return name.instant();
    }
}
