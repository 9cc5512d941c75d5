package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders the tool did not make itself: hand-copied or older backups with no {@code .sqlite-backup/} are pruned
 * like any others, and one unreadable backup among many never stops {@code verify --all} from reporting them all.
 */
class OlderFoldersAndUnreadableBackupsIT {

    private static final List<String> NAMES = List.of("backup-2026-03-01-030000.db", "backup-2026-03-02-030000.db",
            "backup-2026-03-03-030000.db");

    @TempDir
    Path home;

    @AfterEach
    void giveBack() throws Exception {
        new ProcessBuilder("chmod", "-R", "u+rwX", home.toString()).inheritIO().start().waitFor();
    }

    @Test
    void prune_inAFolderOfHandCopiedBackupsWithoutScratchSpace_prunesThem() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 20);
        Path backups = Files.createDirectories(home.resolve("backups").resolve("app.db")); // the default for app.db
        copyAsBackup(db, backups, NAMES.get(0), true);
        copyAsBackup(db, backups, NAMES.get(1), false);
        copyAsBackup(db, backups, NAMES.get(2), true);
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", "app.db");

        JarProcess.Result prune = jar.run("prune", "--keep-last", "1", "--keep-daily", "0", "--keep-weekly", "0",
                "--keep-monthly", "0");

        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        assertThat(prune.out()).as(prune.toString()).contains("1 kept, 2 deleted");
        assertThat(backupsIn(backups)).containsExactly(NAMES.get(2));
        assertThat(backups.resolve(NAMES.get(0) + ".sha256")).as("deleted with its backup").doesNotExist();
        assertThat(backups.resolve(NAMES.get(2) + ".sha256")).exists();
        assertThat(backups.resolve(".sqlite-backup")).as("made owner-only, as a run makes it").isDirectory();
        assertThat(Files.getPosixFilePermissions(backups.resolve(".sqlite-backup")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void verifyAll_withOneUnreadableBackup_reportsEveryBackup_andFailsAtTheEnd() throws Exception {
        Unprivileged.Launch launch = Unprivileged.launch();
        Optional<String> impossible = launch.impossible();
        if (impossible.isPresent()) {
            System.out.println("SKIPPED OlderFoldersAndUnreadableBackupsIT verifyAll: " + impossible.get());
        }
        Assumptions.assumeTrue(impossible.isEmpty(), () -> impossible.orElse(""));
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 20);
        Path backups = Files.createDirectories(home.resolve("backups").resolve("app.db")); // the default for app.db
        for (String name : NAMES) {
            copyAsBackup(db, backups, name, true);
        }
        if (!launch.launcher().isEmpty()) {
            Process chown = new ProcessBuilder("chown", "-R", "65534:65534", home.toString()).inheritIO().start();
            assertThat(chown.waitFor()).isZero();
        }
        Files.setPosixFilePermissions(backups.resolve(NAMES.get(1)), PosixFilePermissions.fromString("---------"));
        JarProcess jar = launch.apply(new JarProcess(home)).env("DATABASE_URL", "app.db");

        JarProcess.Result verify = jar.run("verify", "--all");

        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out()).as(verify.toString())
                .contains("ok     " + NAMES.get(0)).contains("ok     " + NAMES.get(2))
                .containsPattern("FAILED " + NAMES.get(1) + ": .*permission denied")
                .contains("3 checked, 1 failed");
    }

    private static void copyAsBackup(Path source, Path folder, String name, boolean withSidecar) throws Exception {
        Files.copy(source, folder.resolve(name));
        if (withSidecar) {
            Files.writeString(folder.resolve(name + ".sha256"), BackupFolder.sha256(source) + "  " + name + "\n");
        }
    }

    private static List<String> backupsIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> BackupFolder.BACKUP.matcher(n).matches())
                    .sorted().toList();
        }
    }
}
