package dev.sqlitebackup.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.port.out.EncryptionKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What every {@link EncryptionKeys} must do; extended by the fake's test and the real adapter's test. */
public abstract class EncryptionKeysContract {

    protected abstract EncryptionKeys keys();

    /** A path in an existing folder where nothing exists yet. */
    protected abstract Path freshPath();

    protected abstract void createFile(Path path, byte[] content);

    protected abstract byte[] read(Path path);

    @Test
    void createIdentity_writesTheFile_andReturnsAPublicKey() {
        Path file = freshPath();

        String publicKey = keys().createIdentity(file);

        assertThat(publicKey).isNotBlank();
        assertThat(read(file)).isNotEmpty();
    }

    @Test
    void createIdentity_makesANewPairEachTime() {
        Path first = freshPath();
        Path second = freshPath();

        String one = keys().createIdentity(first);
        String other = keys().createIdentity(second);

        assertThat(one).isNotEqualTo(other);
        assertThat(read(first)).isNotEqualTo(read(second));
    }

    @Test
    void createIdentity_neverOverwritesAFile_andSaysSo() {
        Path file = freshPath();
        byte[] precious = "# an identity made last year\n".getBytes(StandardCharsets.US_ASCII);
        createFile(file, precious);

        assertThatThrownBy(() -> keys().createIdentity(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(file + " exists, not overwritten");
        assertThat(read(file)).isEqualTo(precious);
    }

    @Test
    void createIdentity_refusesTheSecondTimeAtOnePath_andKeepsTheFirstKey() {
        Path file = freshPath();
        keys().createIdentity(file);
        byte[] first = read(file);

        assertThatThrownBy(() -> keys().createIdentity(file)).isInstanceOf(InvalidInputException.class);
        assertThat(read(file)).isEqualTo(first);
    }
}
