package dev.sqlitebackup.domain.model;

import java.util.Objects;
import java.util.Optional;

/** A backup in the off-site store: its name, the store's id for it, size, checksums and a link for people. */
public record RemoteBackup(BackupName name, String id, long sizeBytes, Optional<String> sha256,
        Optional<String> md5, Optional<String> link) {
    public RemoteBackup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(link, "link");
    }
}
