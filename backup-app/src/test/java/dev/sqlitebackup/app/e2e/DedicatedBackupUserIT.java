package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installation docs/sqlite-backup.service describes: the application's user owns a WAL database in its own
 * folder, a dedicated backup user in the application's group backs it up into a folder of its own. The backup must
 * leave nothing beside the database that was not there, and change no owner or mode of what was.
 */
class DedicatedBackupUserIT {

    @TempDir
    Path home;

    private Path appDir;
    private Path db;
    private Path backups;

    @BeforeEach
    void installation() throws IOException {
        Optional<String> impossible = Accounts.ensure();
        impossible.ifPresent(why -> System.out.println("SKIPPED DedicatedBackupUserIT: " + why));
        Assumptions.assumeTrue(impossible.isEmpty(), () -> impossible.orElse(""));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        appDir = Files.createDirectory(home.resolve("app"));
        db = appDir.resolve("app.db");
        Sqlite.createNotes(db, 200); // WAL mode; closing the last connection removes -wal and -shm
        backups = Files.createDirectory(home.resolve("backups"));
        owner(appDir, Accounts.APP, "rwxrwx---");
        owner(db, Accounts.APP, "rw-rw----");
        owner(backups, Accounts.BACKUP, "rwx------");
        assertThat(sideFiles()).as("the application is not running").isEmpty();
    }

    @AfterEach
    void giveBack() throws Exception {
        new ProcessBuilder("chown", "-R", "root:root", home.toString()).inheritIO().start().waitFor();
    }

    private JarProcess backupUser() {
        return new JarProcess(home).launchedBy(Accounts.as(Accounts.BACKUP));
    }

    @Test
    void aBackupWhileTheApplicationIsStopped_leavesNoWalOrShm_andTheApplicationCanStillWrite() throws Exception {
        JarProcess.Result run = backupUser().run("run", "--database", db.toString(), "--backup-dir",
                backups.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(sideFiles()).as("nothing left beside the database").isEmpty();
        try (SqliteShell app = SqliteShell.open(db, Accounts.as(Accounts.APP))) {
            app.exec("INSERT INTO notes (body) VALUES ('after the backup');");
            assertThat(app.query("SELECT count(*) FROM notes;")).isEqualTo("201");
        }
        JarProcess.Result verify = backupUser().run("verify", "--database", db.toString(), "--backup-dir",
                backups.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
    }

    @Test
    void aBackupWhileTheApplicationRuns_keepsItsWalAndShm_withTheirOwnerAndMode() throws Exception {
        try (SqliteShell app = SqliteShell.open(db, Accounts.as(Accounts.APP))) {
            app.exec("INSERT INTO notes (body) VALUES ('before the backup');");
            Path wal = appDir.resolve("app.db-wal");
            Path shm = appDir.resolve("app.db-shm");
            String walBefore = ownerAndMode(wal);
            String shmBefore = ownerAndMode(shm);

            JarProcess.Result run = backupUser().run("run", "--database", db.toString(), "--backup-dir",
                    backups.toString());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(ownerAndMode(wal)).isEqualTo(walBefore);
            assertThat(ownerAndMode(shm)).isEqualTo(shmBefore);
            app.exec("INSERT INTO notes (body) VALUES ('after the backup');");
            assertThat(app.query("SELECT count(*) FROM notes;")).isEqualTo("202");
        }
    }

    @Test
    void aBackupUserThatMayOnlyReadTheDatabase_refusesToCreateWalAndShm_andSaysWhatToChange() throws Exception {
        owner(db, Accounts.APP, "rw-r-----");

        JarProcess.Result run = backupUser().run("run", "--database", db.toString(), "--backup-dir",
                backups.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errLines()).as(run.toString()).hasSize(1);
        assertThat(run.err()).contains(db.toString()).contains("-wal").contains("write access");
        assertThat(sideFiles()).as("nothing left beside the database").isEmpty();
    }

    @Test
    void aWalDatabaseInAFolderTheBackupUserCannotWrite_saysThatTheShmCannotBeCreated() throws Exception {
        owner(appDir, Accounts.APP, "rwxr-x---");

        JarProcess.Result run = backupUser().run("run", "--database", db.toString(), "--backup-dir",
                backups.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errLines()).as(run.toString()).hasSize(1);
        assertThat(run.err()).contains(db + "-shm").contains("cannot be created").contains(appDir.toString())
                .contains("write access").doesNotContain("hot journal");
        assertThat(sideFiles()).isEmpty();
    }

    @Test
    void anUnreadableWal_isNamed() throws Exception {
        try (SqliteShell app = SqliteShell.open(db, Accounts.as(Accounts.APP))) {
            app.exec("INSERT INTO notes (body) VALUES ('in the WAL');");
            Path wal = appDir.resolve("app.db-wal");
            owner(wal, Accounts.APP, "rw-------");

            JarProcess.Result run = backupUser().run("run", "--database", db.toString(), "--backup-dir",
                    backups.toString());

            assertThat(run.errLines()).as(run.toString()).hasSize(1);
            assertThat(run.exitCode()).as(run.toString()).isNotZero();
            assertThat(run.err()).contains(wal.toString()).contains("permission denied");
        }
    }

    private List<Path> sideFiles() throws IOException {
        try (var files = Files.list(appDir)) {
            return files.filter(p -> !p.equals(db)).sorted().toList();
        }
    }

    private static void owner(Path path, String user, String mode) throws IOException {
        var lookup = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, lookup.lookupPrincipalByName(user));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName(Accounts.APP));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private static String ownerAndMode(Path file) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
        return a.owner().getName() + ":" + a.group().getName() + " "
                + PosixFilePermissions.toString(a.permissions());
    }
}
