package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.port.out.EncryptionKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * In-memory {@link EncryptionKeys}: "identity files" in the shared {@link InMemoryFiles}, never over an existing
 * one. The keys are random names, not keys: enough for the rules (a fresh pair each time, nothing overwritten).
 */
public final class InMemoryEncryptionKeys implements EncryptionKeys {

    private final InMemoryFiles files;

    public InMemoryEncryptionKeys(InMemoryFiles files) {
        this.files = files;
    }

    @Override
    public String createIdentity(Path file) {
        if (files.exists(file)) {
            throw new InvalidInputException(file + " exists, not overwritten");
        }
        String pair = UUID.randomUUID().toString();
        String publicKey = "fake-age1-" + pair;
        files.write(file, ("# public key: " + publicKey + "\nFAKE-SECRET-KEY-" + pair + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        return publicKey;
    }
}
