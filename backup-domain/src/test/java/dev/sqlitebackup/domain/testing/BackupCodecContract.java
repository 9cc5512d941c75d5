package dev.sqlitebackup.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link BackupCodec} must do; extended by the fake's test and the real codec's test, so the fake the
 * domain's tests run on cannot drift from zstd and age.
 */
public abstract class BackupCodecContract {

    /** A codec that writes {@code form} (to the contract's key when encrypted) and holds that key's identity. */
    protected abstract BackupCodec codec(StoredForm form);

    /** A codec that holds the identity of another key only. */
    protected abstract BackupCodec codecWithAnotherIdentity();

    /** A codec that holds no identity at all (the daemon's: it only writes). */
    protected abstract BackupCodec codecWithoutIdentity();

    private static final BackupName BACKUP = new BackupName("backup-2026-11-26-030000.db");

    protected static String storedName(StoredForm form) {
        return form.fileName(BACKUP);
    }

    /**
     * A database's worth of bytes, larger than one age chunk (64 KiB), half text (compresses) and half random
     * (does not), so the middle of any stored form lies in its payload, not in a header.
     */
    protected static byte[] plain() {
        byte[] bytes = new byte[300_000];
        byte[] text = "INSERT INTO notes VALUES ('the quick brown fox', 42);\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length / 2; i++) {
            bytes[i] = text[i % text.length];
        }
        byte[] noise = new byte[bytes.length - bytes.length / 2];
        new Random(11).nextBytes(noise);
        System.arraycopy(noise, 0, bytes, bytes.length / 2, noise.length);
        return bytes;
    }

    /** The stored bytes, written the way an upload writes them: in pieces of odd sizes. */
    protected static byte[] encode(BackupCodec codec, byte[] plain) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream encoding = codec.encoding(stored)) {
            for (int at = 0; at < plain.length; at += 8191) {
                encoding.write(plain, at, Math.min(8191, plain.length - at));
            }
        }
        return stored.toByteArray();
    }

    protected static byte[] decode(BackupCodec codec, byte[] stored, StoredForm form) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (InputStream decoding = codec.decoding(new ByteArrayInputStream(stored), form, storedName(form))) {
            byte[] buffer = new byte[5000];
            for (int n; (n = decoding.read(buffer)) != -1; ) {
                plain.write(buffer, 0, n);
            }
        }
        return plain.toByteArray();
    }

    private static byte[] flipped(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x20;
        return copy;
    }

    private static void assertDamaged(BackupCodec codec, byte[] stored, StoredForm form, String what) {
        assertThatThrownBy(() -> decode(codec, stored, form))
                .as(what)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(storedName(form))
                .message().containsAnyOf("damaged", "cut short");
    }

    @ParameterizedTest
    @EnumSource(StoredForm.class)
    void roundTrip_givesBackTheExactBytes(StoredForm form) throws IOException {
        BackupCodec codec = codec(form);

        byte[] stored = encode(codec, plain());

        assertThat(codec.form()).isEqualTo(form);
        assertThat(decode(codec, stored, form)).isEqualTo(plain());
    }

    @ParameterizedTest
    @EnumSource(StoredForm.class)
    void anyCodecHoldingTheIdentity_readsEveryForm(StoredForm form) throws IOException {
        byte[] stored = encode(codec(form), plain());

        for (StoredForm writes : StoredForm.values()) {
            assertThat(decode(codec(writes), stored, form)).as("read by a codec writing %s", writes)
                    .isEqualTo(plain());
        }
    }

    @ParameterizedTest
    @EnumSource(StoredForm.class)
    void roundTrip_ofNoBytesAtAll(StoredForm form) throws IOException {
        assertThat(decode(codec(form), encode(codec(form), new byte[0]), form)).isEmpty();
    }

    @Test
    void plainForm_storesThePlainBytes_andReadingPassesAnyBytesThrough() throws IOException {
        assertThat(encode(codec(StoredForm.PLAIN), plain())).isEqualTo(plain());
        byte[] anything = "not even a database".getBytes(StandardCharsets.US_ASCII);
        assertThat(decode(codecWithoutIdentity(), anything, StoredForm.PLAIN)).isEqualTo(anything);
    }

    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"ZSTD", "ZSTD_AGE"})
    void compressedForms_storeFewerBytesOfText(StoredForm form) throws IOException {
        byte[] text = Arrays.copyOf(plain(), plain().length / 2);

        assertThat(encode(codec(form), text).length).isLessThan(text.length / 4);
    }

    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"AGE", "ZSTD_AGE"})
    void encryptedForms_differEveryTime_andHideThePlainBytes(StoredForm form) throws IOException {
        byte[] one = encode(codec(form), plain());
        byte[] two = encode(codec(form), plain());

        assertThat(one).isNotEqualTo(two);
        String stored = new String(one, StandardCharsets.US_ASCII);
        assertThat(stored).doesNotContain("the quick brown fox");
    }

    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"ZSTD", "AGE", "ZSTD_AGE"})
    void aStoredCopyCutShort_failsNamingIt(StoredForm form) throws IOException {
        byte[] stored = encode(codec(form), plain());

        assertDamaged(codec(form), Arrays.copyOf(stored, stored.length - 1), form, "the last byte cut off");
        assertDamaged(codec(form), Arrays.copyOf(stored, stored.length / 2), form, "cut in half");
        assertDamaged(codec(form), new byte[0], form, "empty");
    }

    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"ZSTD", "AGE", "ZSTD_AGE"})
    void aFlippedByte_failsNamingIt(StoredForm form) throws IOException {
        byte[] stored = encode(codec(form), plain());

        for (int at : new int[] {stored.length / 2, stored.length * 3 / 4, stored.length - 1}) {
            assertDamaged(codec(form), flipped(stored, at), form, "byte " + at + " of " + stored.length + " flipped");
        }
    }

    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"ZSTD", "AGE", "ZSTD_AGE"})
    void aCopyNotInTheFormItsNameSays_failsNamingIt(StoredForm form) {
        assertDamaged(codec(form), plain(), form, "the plain bytes, named as " + form.label());
    }

    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"AGE", "ZSTD_AGE"})
    void anEncryptedCopy_readWithAnotherIdentity_isNoMatchingIdentity(StoredForm form) throws IOException {
        byte[] stored = encode(codec(form), plain());

        assertThatThrownBy(() -> decode(codecWithAnotherIdentity(), stored, form))
                .isInstanceOfSatisfying(NoMatchingIdentityException.class,
                        e -> assertThat(e.storedName()).isEqualTo(storedName(form)));
    }

    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"AGE", "ZSTD_AGE"})
    void anEncryptedCopy_readWithoutAnyIdentity_isNoMatchingIdentity(StoredForm form) throws IOException {
        byte[] stored = encode(codec(form), plain());

        assertThatThrownBy(() -> decode(codecWithoutIdentity(), stored, form))
                .isInstanceOfSatisfying(NoMatchingIdentityException.class,
                        e -> assertThat(e.storedName()).isEqualTo(storedName(form)));
    }

    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"PLAIN", "ZSTD"})
    void unencryptedCopies_needNoIdentity(StoredForm form) throws IOException {
        byte[] stored = encode(codec(form), plain());

        assertThat(decode(codecWithoutIdentity(), stored, form)).isEqualTo(plain());
    }
}
