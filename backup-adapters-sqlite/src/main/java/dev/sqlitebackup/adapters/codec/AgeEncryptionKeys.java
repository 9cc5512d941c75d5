package dev.sqlitebackup.adapters.codec;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.port.out.EncryptionKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Set;
import javax.security.auth.DestroyFailedException;

/**
 * Adapter: new age X25519 key pairs, written as {@code age-keygen} writes them ({@code # created:}, {@code # public
 * key:}, the {@code AGE-SECRET-KEY-1…} line), into a new file that is its owner's alone from the moment it exists.
 */
public final class AgeEncryptionKeys implements EncryptionKeys {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Clock clock;

    public AgeEncryptionKeys(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String createIdentity(Path file) {
        KeyPair pair;
        try {
            pair = new X25519KeyPairGenerator().generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new BackupFailedException("cannot make an X25519 key pair: " + e.getMessage(), e);
        }
        String publicKey = pair.getPublic().toString();
        String created = ZonedDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        byte[] content = ("# created: " + created + "\n# public key: " + publicKey + "\n" + pair.getPrivate() + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        try {
            write(file, content);
        } finally {
            Arrays.fill(content, (byte) 0);
            try {
                pair.getPrivate().destroy();
            } catch (DestroyFailedException ignored) {
                // the key object keeps its bytes until collected; the file is what matters
            }
        }
        return publicKey;
    }

    /**
     * Creates {@code file} with mode 0600 in the same call that creates it (no moment at which another user could
     * open it), writes it and forces it and its folder to disk; on any failure after creating it, removes it.
     */
    private static void write(Path file, byte[] content) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    OWNER_ONLY);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException(file + " exists, not overwritten");
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("cannot create " + file + ": its folder does not exist");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("cannot create " + file + ": permission denied");
        } catch (UnsupportedOperationException e) {
            throw new InvalidInputException("cannot create " + file + " readable by its owner only: its file "
                    + "system has no POSIX permissions");
        } catch (IOException e) {
            throw new InvalidInputException("cannot create " + file + ": " + reason(e));
        }
        try (channel) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw new BackupFailedException("cannot write " + file + ": " + reason(e) + "; nothing kept", e);
        }
        Path folder = file.toAbsolutePath().getParent();
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // the file is whole and forced; only its name might not survive a crash right now
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
