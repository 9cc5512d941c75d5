package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.NewIdentity;
import java.nio.file.Path;

/** In-port: a new key pair for encrypted off-site copies, its private half in a new owner-only file. */
public interface CreateIdentityUseCase {

    /**
     * Writes a new identity into {@code file} (never over an existing file) and returns where it went and its
     * public key, the value the backups are encrypted to.
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when {@code file} exists or cannot be created
     * @throws dev.sqlitebackup.domain.model.BackupFailedException when writing it fails
     */
    NewIdentity createIdentity(Path file);
}
