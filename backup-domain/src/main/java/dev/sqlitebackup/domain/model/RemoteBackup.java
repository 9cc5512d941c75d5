package dev.sqlitebackup.domain.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A backup in the off-site store: which backup it is, the form its bytes are stored in, the store's id for it, the
 * stored size, the SHA-256 of the plain database (the same in every form), the store's md5 of the stored bytes and a
 * link for people.
 */
public record RemoteBackup(BackupName name, StoredForm form, String id, long sizeBytes, Optional<String> sha256,
        Optional<String> md5, Optional<String> link) {
    public RemoteBackup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(link, "link");
    }

    /** The stored file's name, e.g. {@code backup-2026-11-26-030000.db.zst.age}. */
    public String storedName() {
        return form.fileName(name);
    }
}
