package dev.sqlitebackup.adapters.codec;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * An age X25519 identity, the private key ({@code AGE-SECRET-KEY-1…}) that opens copies encrypted to its
 * {@link #recipient()}. Needed only to read copies back. It never shows itself: {@link #toString()} names its public
 * key, and no message repeats it.
 */
public final class AgeIdentity {

    private final String secret;
    private final AgeRecipient recipient;

    private AgeIdentity(String secret, AgeRecipient recipient) {
        this.secret = secret;
        this.recipient = recipient;
    }

    /** The identity {@code secret} encodes; the exception says what is wrong without repeating it. */
    public static AgeIdentity parse(String secret) {
        Objects.requireNonNull(secret, "secret");
        String text = secret.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("age-plugin-")) {
            throw new UnusableKeyException("age plugin identities (AGE-PLUGIN-…) are not supported: give an "
                    + "age-keygen identity (AGE-SECRET-KEY-1…)");
        }
        if (lower.startsWith("age1")) {
            throw new UnusableKeyException("a public key (age1…) is not an identity: give the private key, the "
                    + "AGE-SECRET-KEY-1… line of the file age-keygen or sqlite-backup keygen wrote");
        }
        if (lower.startsWith("-----begin")) {
            throw new UnusableKeyException("SSH and other PEM private keys are not supported: give an age-keygen "
                    + "identity (AGE-SECRET-KEY-1…)");
        }
        if (lower.startsWith("age-encryption.org/")) {
            throw new UnusableKeyException("a passphrase-encrypted identity file is not supported: give the "
                    + "identity file itself (AGE-SECRET-KEY-1…)");
        }
        try {
            X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(text);
            Key publicKey = new X25519KeyFactory()
                    .translateKey(new SecretKeySpec(text.getBytes(StandardCharsets.US_ASCII), "X25519"));
            return new AgeIdentity(text, new AgeRecipient(publicKey.toString()));
        } catch (GeneralSecurityException | RuntimeException e) {
            // jagged's message may quote the key's parts: not passed on
            throw new UnusableKeyException("not a valid age X25519 identity (AGE-SECRET-KEY-1… in capitals, "
                    + "74 characters, as age-keygen writes it)");
        }
    }

    /**
     * The identities of a file in {@code age-keygen}'s format ({@code age -i}): one {@code AGE-SECRET-KEY-1…} per
     * line, {@code #} comments and blank lines ignored; several identities may follow each other. An error names the
     * file and the line, never the line's content; a file without an identity is an error too.
     */
    public static List<AgeIdentity> readFile(Path file) {
        List<AgeIdentity> identities = new ArrayList<>();
        for (KeyFiles.Line line : KeyFiles.keyLines(file)) {
            try {
                identities.add(parse(line.text()));
            } catch (UnusableKeyException e) {
                throw new UnusableKeyException(file + " line " + line.number() + ": " + e.getMessage());
            }
        }
        if (identities.isEmpty()) {
            throw new UnusableKeyException(file + " holds no identity (an AGE-SECRET-KEY-1… line, as age-keygen "
                    + "writes it)");
        }
        return List.copyOf(identities);
    }

    /**
     * Whether {@code file}'s mode lets its group or others read it: a private key should be its owner's alone
     * ({@code chmod 600}). False where the file system has no POSIX modes or they cannot be read.
     */
    public static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            return mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The public key that copies for this identity are encrypted to. */
    public AgeRecipient recipient() {
        return recipient;
    }

    /** A reader that opens the X25519 stanzas of this identity's recipient. */
    RecipientStanzaReader reader() {
        try {
            return X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a validated identity was refused", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AgeIdentity that && secret.equals(that.secret);
    }

    @Override
    public int hashCode() {
        return secret.hashCode();
    }

    /** Names the public key only. */
    @Override
    public String toString() {
        return "age identity of " + recipient.value();
    }
}
