package dev.sqlitebackup.domain.service;

import dev.sqlitebackup.domain.model.NewIdentity;
import dev.sqlitebackup.domain.port.in.CreateIdentityUseCase;
import dev.sqlitebackup.domain.port.out.EncryptionKeys;
import java.nio.file.Path;
import java.util.Objects;

/** Makes a key pair through {@link EncryptionKeys}; the port keeps the private key in a new owner-only file. */
public final class CreateIdentityService implements CreateIdentityUseCase {

    private final EncryptionKeys keys;

    public CreateIdentityService(EncryptionKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public NewIdentity createIdentity(Path file) {
        Objects.requireNonNull(file, "file");
        return new NewIdentity(file, keys.createIdentity(file));
    }
}
