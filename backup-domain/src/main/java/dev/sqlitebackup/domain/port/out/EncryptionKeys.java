package dev.sqlitebackup.domain.port.out;

import java.nio.file.Path;

/**
 * Out-port: makes the key pairs that off-site copies are encrypted to. The private key goes into a new file readable
 * by its owner only; only the public key, which is no secret, comes back.
 */
public interface EncryptionKeys {

    /**
     * Writes a new identity (private key) into {@code file}, which must not exist yet, readable by its owner only
     * from the moment it is created, and returns its public key.
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when {@code file} exists (it is never overwritten)
     *         or cannot be created there; nothing is left behind
     * @throws dev.sqlitebackup.domain.model.BackupFailedException when writing it fails; nothing is left behind
     */
    String createIdentity(Path file);
}
