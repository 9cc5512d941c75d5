package dev.sqlitebackup.adapters.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.RestoreTargetExistsException;
import dev.sqlitebackup.domain.port.out.RestoreDestination;
import dev.sqlitebackup.domain.testing.RestoreDestinationContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemRestoreDestinationTest extends RestoreDestinationContract {

    @TempDir
    Path temp;

    private final RestoreDestination destination = new FilesystemRestoreDestination();
    private final AtomicInteger copies = new AtomicInteger();
    private Path appDir;

    @BeforeEach
    void folders() throws IOException {
        appDir = Files.createDirectories(temp.resolve("app"));
        Files.createDirectories(temp.resolve("copies"));
    }

    @Override
    protected RestoreDestination destination() {
        return destination;
    }

    @Override
    protected Path freshTarget() {
        return appDir.resolve("app.db");
    }

    @Override
    protected Path copyWith(byte[] content) {
        Path copy = temp.resolve("copies/copy-" + copies.incrementAndGet() + ".db");
        createFile(copy, content);
        return copy;
    }

    @Override
    protected void createFile(Path path, byte[] content) {
        try {
            Files.write(path, content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> namesInAppDir() throws IOException {
        try (Stream<Path> entries = Files.list(appDir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void install_intoAMissingFolder_failsAndCreatesNothing() throws Exception {
        Path target = temp.resolve("nowhere/app.db");
        Path copy = copyWith(bytes("restored"));

        assertThatThrownBy(() -> destination.install(copy, sha256(bytes("restored")), target, false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("restore target folder " + temp.resolve("nowhere") + " does not exist");
        assertThat(temp.resolve("nowhere")).doesNotExist();
    }

    @Test
    void install_ofANewTarget_isOwnerOnly_andLeavesNoTempFile() throws Exception {
        Path target = freshTarget();
        destination.install(copyWith(bytes("restored")), sha256(bytes("restored")), target, false);

        assertThat(mode(target)).isEqualTo("rw-------");
        assertThat(Files.getAttribute(target, "unix:nlink")).isEqualTo(1);
        assertThat(namesInAppDir()).containsExactly("app.db");
    }

    @Test
    void install_withReplace_keepsTheReplacedFilesMode_andRemovesTheStaleJournal() throws Exception {
        Path target = freshTarget();
        createFile(target, bytes("old"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        createFile(Path.of(target + "-journal"), bytes("hot journal of the old file"));

        destination.install(copyWith(bytes("restored")), sha256(bytes("restored")), target, true);

        assertThat(read(target)).isEqualTo(bytes("restored"));
        assertThat(mode(target)).isEqualTo("rw-r-----");
        assertThat(namesInAppDir()).containsExactly("app.db");
    }

    @Test
    void install_refusingToOverwrite_orMismatchingItsChecksum_leavesNoTempFile() throws Exception {
        Path target = freshTarget();
        createFile(target, bytes("live"));
        Path copy = copyWith(bytes("restored"));

        assertThatThrownBy(() -> destination.install(copy, sha256(bytes("restored")), target, false))
                .isInstanceOf(RestoreTargetExistsException.class)
                .hasMessage(target + " exists; restore will not overwrite it"); // the CLI adds the flag
        assertThatThrownBy(() -> destination.install(copy, sha256(bytes("other")), target, true))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("does not match its checksum");
        assertThatThrownBy(() -> destination.install(copy, sha256(bytes("other")), appDir.resolve("new.db"), false))
                .isInstanceOf(BackupFailedException.class);

        assertThat(namesInAppDir()).containsExactly("app.db");
        assertThat(read(target)).isEqualTo(bytes("live"));
    }

    @Test
    void install_withoutReplace_refusesADanglingSymlinkToo() throws Exception {
        Path target = freshTarget();
        Files.createSymbolicLink(target, temp.resolve("missing.db"));

        assertThat(destination.exists(target)).isTrue();
        assertThatThrownBy(() -> destination.install(copyWith(bytes("r")), sha256(bytes("r")), target, false))
                .isInstanceOf(InvalidInputException.class);
        assertThat(temp.resolve("missing.db")).doesNotExist();
    }

    @Test
    void install_withReplace_throughASymlink_replacesTheFileItPointsAt() throws Exception {
        Path real = Files.createDirectories(temp.resolve("data")).resolve("real.db");
        createFile(real, bytes("old"));
        createFile(Path.of(real + "-wal"), bytes("old wal"));
        Path link = Files.createSymbolicLink(freshTarget(), real);

        destination.install(copyWith(bytes("restored")), sha256(bytes("restored")), link, true);

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(read(real)).isEqualTo(bytes("restored"));
        assertThat(Path.of(real + "-wal")).doesNotExist();
    }

    @Test
    void install_withReplace_overADirectory_refuses_andLeavesItAlone() throws Exception {
        Path target = freshTarget();
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");

        assertThatThrownBy(() -> destination.install(copyWith(bytes("r")), sha256(bytes("r")), target, true))
                .isInstanceOf(InvalidInputException.class);
        assertThat(target.resolve("inside")).hasContent("x");
        assertThat(namesInAppDir()).containsExactly("app.db");
    }
}
