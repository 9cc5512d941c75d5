package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.NewIdentity;
import dev.sqlitebackup.domain.testing.InMemoryEncryptionKeys;
import dev.sqlitebackup.domain.testing.InMemoryFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CreateIdentityServiceTest {

    private final InMemoryFiles files = new InMemoryFiles();
    private final CreateIdentityService service = new CreateIdentityService(new InMemoryEncryptionKeys(files));

    @Test
    void createIdentity_returnsTheFileAndThePublicKeyTheFileHolds() {
        Path file = Path.of("/home/owner/age-identity.txt");

        NewIdentity identity = service.createIdentity(file);

        assertThat(identity.file()).isEqualTo(file);
        assertThat(new String(files.read(file).orElseThrow(), StandardCharsets.US_ASCII))
                .contains(identity.publicKey());
    }

    @Test
    void createIdentity_overAnExistingFile_refuses_andTheFileKeepsItsKey() {
        Path file = Path.of("/home/owner/age-identity.txt");
        NewIdentity first = service.createIdentity(file);
        byte[] before = files.read(file).orElseThrow();

        assertThatThrownBy(() -> service.createIdentity(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("/home/owner/age-identity.txt exists, not overwritten");
        assertThat(files.read(file).orElseThrow()).isEqualTo(before);
        assertThat(new String(before, StandardCharsets.US_ASCII)).contains(first.publicKey());
    }

    @Test
    void twoIdentities_haveDifferentPublicKeys() {
        NewIdentity one = service.createIdentity(Path.of("/keys/one.txt"));
        NewIdentity two = service.createIdentity(Path.of("/keys/two.txt"));

        assertThat(one.publicKey()).isNotEqualTo(two.publicKey());
    }
}
