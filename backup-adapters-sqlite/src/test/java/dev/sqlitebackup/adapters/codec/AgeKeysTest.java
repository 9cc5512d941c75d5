package dev.sqlitebackup.adapters.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipients, recipients files and identity files: what age accepts, and one-line errors that keep secrets. */
class AgeKeysTest {

    @TempDir
    Path dir;

    private final TestKeys.Pair owner = TestKeys.newPair();
    private final TestKeys.Pair other = TestKeys.newPair();

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void aRecipient_isItsAge1Key_blanksAround_ignored() {
        String key = owner.recipient().value();

        assertThat(AgeRecipient.parse("  " + key + "\t").value()).isEqualTo(key);
        assertThat(key).startsWith("age1").hasSize(62);
    }

    @Test
    void aSecretKeyGivenAsRecipient_isRefused_withoutRepeatingIt() {
        assertThatThrownBy(() -> AgeRecipient.parse(owner.secret()))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessageStartingWith("a secret key (AGE-SECRET-KEY-1…) is not a recipient")
                .hasMessageNotContaining(owner.secret().substring(15));
    }

    @Test
    void anSshKey_isRefused_namingItsType() {
        assertThatThrownBy(() -> AgeRecipient.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsK owner@laptop"))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessage("ssh-ed25519 keys are not supported: give an age X25519 recipient (age1…)");
    }

    @Test
    void aPluginRecipient_isRefused() {
        assertThatThrownBy(() -> AgeRecipient.parse(
                "age1yubikey1qgv8rd4fs8tqjcv7d4vmgs7xp6tf2pp0v0zkzpwrwe7yp3xkmh05c5ek0pd"))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessageStartingWith("age plugin recipients (age1yubikey1…) are not supported");
    }

    @Test
    void anAge1KeyWithAWrongCharacter_failsItsChecksum() {
        String key = owner.recipient().value();
        char last = key.charAt(key.length() - 1);
        String broken = key.substring(0, key.length() - 1) + (last == 'q' ? 'p' : 'q');

        assertThatThrownBy(() -> AgeRecipient.parse(broken))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessage("'" + key.substring(0, 12) + "…' is not a valid age X25519 recipient (its length or "
                        + "checksum is wrong: copy the whole age1… key, 62 characters)");
        assertThatThrownBy(() -> AgeRecipient.parse(key.substring(0, 40))).isInstanceOf(UnusableKeyException.class);
    }

    @Test
    void somethingElse_isRefused_withoutRepeatingIt() {
        assertThatThrownBy(() -> AgeRecipient.parse("hunter2-my-password"))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessage("not an age X25519 recipient (age1…)");
    }

    @Test
    void aList_isCommaSeparated_andAnErrorNamesTheItem() {
        String one = owner.recipient().value();
        String two = other.recipient().value();

        assertThat(AgeRecipient.parseList(one + ", " + two)).containsExactly(owner.recipient(), other.recipient());
        assertThat(AgeRecipient.parseList(one)).containsExactly(owner.recipient());
        assertThatThrownBy(() -> AgeRecipient.parseList(one + ",ssh-rsa AAAAB3Nza," + two))
                .hasMessage("item 2 of 3: ssh-rsa keys are not supported: give an age X25519 recipient (age1…)");
        assertThatThrownBy(() -> AgeRecipient.parseList(one + ",," + two))
                .hasMessage("item 2 of 3: empty, not a recipient (age1…)");
        assertThatThrownBy(() -> AgeRecipient.parseList(" ")).hasMessage("no recipient given");
    }

    @Test
    void aRecipientsFile_inAgesFormat_commentsBlankLinesAndCrlf() throws IOException {
        Path keys = file("recipients.txt", "\uFEFF# the owner's laptop\r\n" + owner.recipient().value() + "\r\n\r\n"
                + "   # and the safe at the bank\n" + other.recipient().value());

        assertThat(AgeRecipient.readFile(keys)).containsExactly(owner.recipient(), other.recipient());
    }

    @Test
    void aRecipientsFile_withAnSshKey_namesTheLine() throws IOException {
        Path keys = file("recipients.txt", "# keys\n" + owner.recipient().value() + "\n"
                + "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsK owner@laptop\n");

        assertThatThrownBy(() -> AgeRecipient.readFile(keys))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessage(keys + " line 3: ssh-ed25519 keys are not supported: give an age X25519 recipient "
                        + "(age1…)");
    }

    @Test
    void aRecipientsFile_withoutRecipients_orUnreadable_isRefused() throws IOException {
        Path empty = file("recipients.txt", "# nothing yet\n\n");

        assertThatThrownBy(() -> AgeRecipient.readFile(empty))
                .hasMessage(empty + " holds no recipient (one age1… public key per line)");
        assertThatThrownBy(() -> AgeRecipient.readFile(dir.resolve("missing.txt")))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessage(dir.resolve("missing.txt") + " cannot be read: no such file");
        assertThatThrownBy(() -> AgeRecipient.readFile(dir))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessageStartingWith(dir + " cannot be read: ");
    }

    @Test
    void anIdentityFile_inAgeKeygensFormat_mayHoldSeveralIdentities() throws IOException {
        Path identities = file("identity.txt", "# created: 2026-11-26T03:00:00Z\n# public key: "
                + owner.recipient().value() + "\n" + owner.secret() + "\n\n# created: 2026-11-27T03:00:00Z\n"
                + other.secret() + "\n");

        List<AgeIdentity> read = AgeIdentity.readFile(identities);

        assertThat(read).containsExactly(owner.identity(), other.identity());
        assertThat(read.get(0).recipient()).isEqualTo(owner.recipient());
        assertThat(read.get(1).recipient()).isEqualTo(other.recipient());
    }

    @Test
    void anIdentityFile_withABadLine_namesTheLine_neverItsContent() throws IOException {
        // one character changed (never to itself: the key is random), which bech32's checksum always catches
        char other30 = owner.secret().charAt(30) == 'Q' ? 'P' : 'Q';
        String damaged = owner.secret().substring(0, 30) + other30 + owner.secret().substring(31);
        Path identities = file("identity.txt", "# created: 2026-11-26T03:00:00Z\n" + other.secret() + "\n"
                + damaged + "\n");

        assertThatThrownBy(() -> AgeIdentity.readFile(identities))
                .isInstanceOf(UnusableKeyException.class)
                .hasMessage(identities + " line 3: not a valid age X25519 identity (AGE-SECRET-KEY-1… in capitals, "
                        + "74 characters, as age-keygen writes it)")
                .hasMessageNotContaining(damaged.substring(15, 40))
                .hasMessageNotContaining(other.secret().substring(15, 40));
    }

    @Test
    void anIdentityFile_holdingAPublicKeyOrNothing_isRefused() throws IOException {
        Path publicOnly = file("public.txt", owner.recipient().value() + "\n");
        Path commentsOnly = file("comments.txt", "# public key: " + owner.recipient().value() + "\n");

        assertThatThrownBy(() -> AgeIdentity.readFile(publicOnly))
                .hasMessageStartingWith(publicOnly + " line 1: a public key (age1…) is not an identity");
        assertThatThrownBy(() -> AgeIdentity.readFile(commentsOnly))
                .hasMessageStartingWith(commentsOnly + " holds no identity");
    }

    @Test
    void anIdentity_showsOnlyItsPublicKey() {
        assertThat(owner.identity().toString()).isEqualTo("age identity of " + owner.recipient().value())
                .doesNotContain(owner.secret().substring(15));
        CodecSettings settings = new CodecSettings(true, 3, List.of(owner.recipient()), List.of(owner.identity()));
        assertThat(settings.toString()).doesNotContain(owner.secret().substring(15));
    }

    @Test
    void readableByOthers_isAGroupOrOthersReadBit() throws IOException {
        Path identity = file("identity.txt", owner.secret() + "\n");

        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-------"));
        assertThat(AgeIdentity.readableByOthers(identity)).isFalse();
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(AgeIdentity.readableByOthers(identity)).isTrue();
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw----r--"));
        assertThat(AgeIdentity.readableByOthers(identity)).isTrue();
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw--w--w-"));
        assertThat(AgeIdentity.readableByOthers(identity)).isFalse();
    }

    @Test
    void theZstdLevel_isOneToNineteen() {
        assertThat(new CodecSettings(true, 19, List.of(), List.of()).zstdLevel()).isEqualTo(19);
        assertThatThrownBy(() -> new CodecSettings(true, 0, List.of(), List.of()))
                .hasMessage("zstd level 0 is out of range 1..19");
        assertThatThrownBy(() -> new CodecSettings(true, 20, List.of(), List.of()))
                .hasMessage("zstd level 20 is out of range 1..19");
    }

    @Test
    void theForm_followsCompressionAndRecipients() {
        assertThat(new CodecSettings(true, 3, List.of(owner.recipient()), List.of()).form().label())
                .isEqualTo("zstd+age");
        assertThat(new CodecSettings(true, 3, List.of(), List.of()).form().label()).isEqualTo("zstd");
        assertThat(new CodecSettings(false, 3, List.of(owner.recipient()), List.of()).form().label())
                .isEqualTo("age");
        assertThat(CodecSettings.plain().form().label()).isEqualTo("plain");
    }
}
