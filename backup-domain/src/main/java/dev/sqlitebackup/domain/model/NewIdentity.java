package dev.sqlitebackup.domain.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A key pair just made for encrypting off-site copies: the file that holds its private key (keep it off the server:
 * reading copies back needs it, making them does not) and its public key, which backups are encrypted to.
 */
public record NewIdentity(Path file, String publicKey) {
    public NewIdentity {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.isBlank()) {
            throw new IllegalArgumentException("a new identity needs its public key");
        }
    }
}
