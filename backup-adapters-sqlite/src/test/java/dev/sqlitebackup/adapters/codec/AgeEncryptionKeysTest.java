package dev.sqlitebackup.adapters.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.port.out.EncryptionKeys;
import dev.sqlitebackup.domain.testing.EncryptionKeysContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New identity files: the contract, age-keygen's format and mode 0600, and what age itself makes of them. */
class AgeEncryptionKeysTest extends EncryptionKeysContract {

    @TempDir
    Path dir;

    private final AtomicInteger counter = new AtomicInteger();
    private final AgeEncryptionKeys keys = new AgeEncryptionKeys(
            Clock.fixed(Instant.parse("2026-11-26T16:41:16.250Z"), ZoneOffset.UTC));

    @Override
    protected EncryptionKeys keys() {
        return keys;
    }

    @Override
    protected Path freshPath() {
        return dir.resolve("identity-" + counter.incrementAndGet() + ".txt");
    }

    @Override
    protected void createFile(Path path, byte[] content) {
        try {
            Files.write(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theFile_isInAgeKeygensFormat_ownerOnly_andHoldsTheKeyReturned() throws IOException {
        Path file = freshPath();

        String publicKey = keys.createIdentity(file);

        assertThat(Files.readAllLines(file, StandardCharsets.US_ASCII)).satisfiesExactly(
                created -> assertThat(created).isEqualTo("# created: 2026-11-26T16:41:16Z"),
                comment -> assertThat(comment).isEqualTo("# public key: " + publicKey),
                secret -> assertThat(secret).startsWith("AGE-SECRET-KEY-1").hasSize(74));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(AgeIdentity.readFile(file)).singleElement()
                .satisfies(identity -> assertThat(identity.recipient().value()).isEqualTo(publicKey));
    }

    @Test
    void theCreationTime_isTheClocksInItsZone_asRfc3339() throws IOException {
        Path file = freshPath();
        new AgeEncryptionKeys(Clock.fixed(Instant.parse("2026-07-01T10:00:00Z"), ZoneId.of("Europe/Berlin")))
                .createIdentity(file);

        assertThat(Files.readAllLines(file).get(0)).isEqualTo("# created: 2026-07-01T12:00:00+02:00");
    }

    @Test
    void aFolderThatDoesNotExist_isRefused_andNothingIsCreated() {
        Path file = dir.resolve("no-such-folder").resolve("identity.txt");

        assertThatThrownBy(() -> keys.createIdentity(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("cannot create " + file + ": its folder does not exist");
        assertThat(dir.resolve("no-such-folder")).doesNotExist();
    }

    @Test
    void aSymlinkAtThePath_isNotFollowed_evenWhenItPointsNowhere() throws IOException {
        Path target = dir.resolve("elsewhere.txt");
        Path link = Files.createSymbolicLink(dir.resolve("identity.txt"), target);

        assertThatThrownBy(() -> keys.createIdentity(link))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(link + " exists, not overwritten");
        assertThat(target).doesNotExist();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void ageKeygen_derivesTheSamePublicKey_andAgeDecryptsWithTheFile() throws IOException {
        StandardTools.require("age", "age-keygen");
        Path file = freshPath();
        String publicKey = keys.createIdentity(file);
        Path message = Files.writeString(dir.resolve("message.txt"), "for the owner only\n");

        assertThat(StandardTools.run(dir, "age-keygen", "-y", file.toString())).isEqualTo(publicKey);
        StandardTools.run(dir, "age", "-r", publicKey, "-o", "message.txt.age", message.toString());
        StandardTools.run(dir, "age", "-d", "-i", file.toString(), "-o", "decrypted.txt", "message.txt.age");
        assertThat(dir.resolve("decrypted.txt")).hasContent("for the owner only");
    }

    @Test
    void anIdentityFileMadeByAgeKeygen_isRead() throws IOException {
        StandardTools.require("age-keygen");
        Path file = dir.resolve("made-by-age-keygen.txt");
        StandardTools.run(dir, "age-keygen", "-o", file.toString());

        assertThat(AgeIdentity.readFile(file)).singleElement().satisfies(identity -> assertThat(
                identity.recipient().value()).isEqualTo(StandardTools.run(dir, "age-keygen", "-y", file.toString())));
    }
}
