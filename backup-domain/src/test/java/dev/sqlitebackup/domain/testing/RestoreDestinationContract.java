package dev.sqlitebackup.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.RestoreTargetExistsException;
import dev.sqlitebackup.domain.port.out.RestoreDestination;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What every {@link RestoreDestination} must do; extended by the fake's test and the real adapter's test. */
public abstract class RestoreDestinationContract {

    protected abstract RestoreDestination destination();

    /** A path in an existing folder where nothing exists yet. */
    protected abstract Path freshTarget();

    /** Makes a file with {@code content} that the destination can read as a verified copy. */
    protected abstract Path copyWith(byte[] content);

    protected abstract void createFile(Path path, byte[] content);

    protected abstract byte[] read(Path path);

    protected abstract boolean exists(Path path);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    @Test
    void install_writesTheCopyToANewTarget() throws Exception {
        Path target = freshTarget();
        Path copy = copyWith(bytes("restored"));

        destination().install(copy, sha256(bytes("restored")), target, false);

        assertThat(destination().exists(target)).isTrue();
        assertThat(read(target)).isEqualTo(bytes("restored"));
    }

    @Test
    void install_refusesToOverwriteWithoutReplace_andLeavesTheOldFile() throws Exception {
        Path target = freshTarget();
        createFile(target, bytes("live data"));
        Path copy = copyWith(bytes("restored"));

        assertThatThrownBy(() -> destination().install(copy, sha256(bytes("restored")), target, false))
                .isInstanceOf(RestoreTargetExistsException.class)
                .hasMessage(target + " exists; restore will not overwrite it");
        assertThat(read(target)).isEqualTo(bytes("live data"));
    }

    @Test
    void install_withReplace_swapsTheFile_andRemovesTheStaleWalAndShm() throws Exception {
        Path target = freshTarget();
        createFile(target, bytes("old"));
        Path wal = Path.of(target + "-wal");
        Path shm = Path.of(target + "-shm");
        createFile(wal, bytes("old wal"));
        createFile(shm, bytes("old shm"));
        Path copy = copyWith(bytes("restored"));

        destination().install(copy, sha256(bytes("restored")), target, true);

        assertThat(read(target)).isEqualTo(bytes("restored"));
        assertThat(exists(wal)).isFalse();
        assertThat(exists(shm)).isFalse();
    }

    @Test
    void install_whenTheCopyDoesNotMatchItsChecksum_changesNothing() throws Exception {
        Path target = freshTarget();
        createFile(target, bytes("old"));
        Path copy = copyWith(bytes("restored"));

        assertThatThrownBy(() -> destination().install(copy, sha256(bytes("something else")), target, true))
                .isInstanceOf(BackupFailedException.class);
        assertThat(read(target)).isEqualTo(bytes("old"));
    }
}
