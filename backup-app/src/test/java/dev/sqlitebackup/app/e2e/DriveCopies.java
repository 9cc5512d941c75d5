package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.adapters.drive.FakeDrive;
import dev.sqlitebackup.adapters.drive.FakeDrive.FakeFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the Drive tests through the jar look at: the local backups, their sidecars, and the tool's files on Drive. */
final class DriveCopies {

    private DriveCopies() {
    }

    /** The backups in {@code dir} (plain {@code backup-….db} files), oldest first. */
    static List<Path> backups(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> BackupFolder.BACKUP.matcher(p.getFileName().toString()).matches()).sorted()
                    .toList();
        }
    }

    /** The folders named {@code folderName} on the fake Drive. */
    static List<FakeFile> folders(FakeDrive fake, String folderName) {
        return fake.files().stream().filter(FakeFile::isFolder).filter(f -> f.name.equals(folderName)).toList();
    }

    /** The tool's files in the folder(s) named {@code folderName}. */
    static List<FakeFile> toolFiles(FakeDrive fake, String folderName) {
        return folders(fake, folderName).stream().flatMap(folder -> fake.childrenOf(folder.id).stream())
                .filter(f -> "1".equals(f.appProperties.get("sqlite-backup"))).toList();
    }

    /** The one element of {@code list}, asserting there is exactly one. */
    static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    /** The SHA-256 a backup's sidecar records. */
    static String sidecarSha256(Path backup) throws IOException {
        return Files.readString(Path.of(backup + ".sha256"), StandardCharsets.UTF_8).strip().split("\\s+")[0];
    }
}
