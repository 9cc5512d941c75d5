package dev.sqlitebackup.adapters.codec;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An age X25519 recipient, the public key ({@code age1…}) that copies are encrypted to. Only a valid one exists:
 * jagged's recipient writer accepts it (right prefix, length and checksum).
 */
public record AgeRecipient(String value) {

    /** The SSH public key types age knows; named in an error (anything else is not repeated: it may be a secret). */
    private static final Set<String> SSH_KEY_TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ssh-dss",
            "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");

    public AgeRecipient {
        Objects.requireNonNull(value, "value");
        String problem = problem(value);
        if (problem != null) {
            throw new UnusableKeyException(problem);
        }
    }

    /** The recipient {@code text} names, surrounding blanks ignored; the exception says what is wrong with it. */
    public static AgeRecipient parse(String text) {
        return new AgeRecipient(text.strip());
    }

    /**
     * The recipients of a comma-separated list ({@code AGE_RECIPIENTS}); an error names the item by its position
     * ("item 2 of 3: …").
     */
    public static List<AgeRecipient> parseList(String commaSeparated) {
        String[] items = commaSeparated.split(",", -1);
        if (commaSeparated.isBlank()) {
            throw new UnusableKeyException("no recipient given");
        }
        List<AgeRecipient> recipients = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            try {
                recipients.add(parse(items[i]));
            } catch (UnusableKeyException e) {
                throw new UnusableKeyException(items.length == 1 ? e.getMessage()
                        : "item " + (i + 1) + " of " + items.length + ": " + e.getMessage());
            }
        }
        return List.copyOf(recipients);
    }

    /**
     * The recipients of a file in age's {@code -R} format: one per line, {@code #} comments and blank lines
     * ignored. An error names the file and the line; a file without any recipient is an error too.
     */
    public static List<AgeRecipient> readFile(Path file) {
        List<AgeRecipient> recipients = new ArrayList<>();
        for (KeyFiles.Line line : KeyFiles.keyLines(file)) {
            try {
                recipients.add(new AgeRecipient(line.text()));
            } catch (UnusableKeyException e) {
                throw new UnusableKeyException(file + " line " + line.number() + ": " + e.getMessage());
            }
        }
        if (recipients.isEmpty()) {
            throw new UnusableKeyException(file + " holds no recipient (one age1… public key per line)");
        }
        return List.copyOf(recipients);
    }

    /** The writer of this recipient's stanza in an age header (a fresh ephemeral share for every file). */
    RecipientStanzaWriter writer() {
        try {
            return X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a validated recipient was refused: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return value;
    }

    /** Why {@code text} is not an X25519 recipient, or null when it is one. Never repeats a secret. */
    private static String problem(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            return "empty, not a recipient (age1…)";
        }
        if (lower.startsWith("age-secret-key-")) {
            return "a secret key (AGE-SECRET-KEY-1…) is not a recipient: give its public key (age1…, shown by "
                    + "age-keygen -y or in the identity file's '# public key:' line), and keep the secret key off "
                    + "this machine";
        }
        String type = text.split("\\s+", 2)[0];
        if (SSH_KEY_TYPES.contains(type)) {
            return type + " keys are not supported: give an age X25519 recipient (age1…)";
        }
        if (!lower.startsWith("age1")) {
            return "not an age X25519 recipient (age1…)";
        }
        if (lower.lastIndexOf('1') > 3) {
            return "age plugin recipients (" + text.substring(0, lower.lastIndexOf('1') + 1)
                    + "…) are not supported: give an age X25519 recipient (age1…)";
        }
        try {
            X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(text);
            return null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return "'" + abbreviated(text) + "' is not a valid age X25519 recipient (its length or checksum is "
                    + "wrong: copy the whole age1… key, 62 characters)";
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 16 ? text : text.substring(0, 12) + "…";
    }
}
