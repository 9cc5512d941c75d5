package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two databases in one folder, through the jar: each has its own backup folder, a folder records the database it
 * belongs to, and no command ever mixes the backups of one database with another's.
 */
class BackupFolderOwnershipIT {

    @TempDir
    Path home;

    private Path srv;
    private Path app;
    private Path users;
    private JarProcess jar;

    @BeforeEach
    void twoDatabasesInOneFolder() throws IOException {
        srv = Files.createDirectory(home.resolve("srv"));
        app = srv.resolve("app.db");
        users = srv.resolve("users.db");
        Sqlite.createNotes(app, 300);
        Sqlite.createNotes(users, 7);
        jar = new JarProcess(home);
    }

    /** The database as the folder records it: its folder's real path and its file name. */
    private static String identity(Path db) throws IOException {
        return db.getParent().toRealPath().resolve(db.getFileName()).toString();
    }

    @Test
    void byDefault_eachDatabaseHasItsOwnFolder_andRestoreLatestRestoresThatDatabase() throws Exception {
        JarProcess.Result appRun = jar.run("run", "--database", app.toString());
        assertThat(appRun.exitCode()).as(appRun.toString()).isZero();
        // users.db runs last: in a shared folder its backup would be the "latest"; a second later, so that the
        // history check below can tell the two backups apart by name
        JarProcess.awaitTheNextSecond();
        JarProcess.Result usersRun = jar.run("run", "--database", users.toString());
        assertThat(usersRun.exitCode()).as(usersRun.toString()).isZero();

        assertThat(backupsIn(srv.resolve("backups/app.db"))).hasSize(1);
        assertThat(backupsIn(srv.resolve("backups/users.db"))).hasSize(1);
        assertThat(Files.getPosixFilePermissions(srv.resolve("backups/app.db")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(srv.resolve("backups/app.db/.sqlite-backup/database"), StandardCharsets.UTF_8))
                .isEqualTo(identity(app) + "\n");
        assertThat(Files.getPosixFilePermissions(srv.resolve("backups/app.db/.sqlite-backup/database")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Path restored = home.resolve("restored.db");
        JarProcess.Result restore = jar.run("restore", "latest", "--database", app.toString(), "--to",
                restored.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(Sqlite.count(restored, "notes")).as("app.db's rows, never users.db's").isEqualTo(300);

        JarProcess.Result status = jar.run("status", "--json", "--database", app.toString());
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("\"backupCount\": 1");
        JarProcess.Result history = jar.run("history", "--json", "--database", users.toString());
        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.out()).contains(backupsIn(srv.resolve("backups/users.db")).get(0).getFileName()
                .toString()).doesNotContain(backupsIn(srv.resolve("backups/app.db")).get(0).getFileName().toString());
    }

    @Test
    void aSharedBackupDir_belongsToTheFirstDatabase_andEveryCommandForTheOtherRefuses() throws Exception {
        Path shared = home.resolve("shared");
        JarProcess first = new JarProcess(home).env("BACKUP_DIR", shared.toString());
        JarProcess.Result appRun = first.run("run", "--database", app.toString());
        assertThat(appRun.exitCode()).as(appRun.toString()).isZero();
        Map<String, String> before = tree(shared);

        String refusal = "backup dir " + shared + " belongs to database " + identity(app) + ", not "
                + identity(users);
        JarProcess.Result usersRun = first.run("run", "--database", users.toString());
        assertThat(usersRun.exitCode()).as(usersRun.toString()).isEqualTo(2);
        assertThat(usersRun.errLines()).singleElement().asString().startsWith("sqlite-backup: " + refusal)
                .contains(shared.resolve(".sqlite-backup/database").toString());
        assertThat(tree(shared)).as("nothing created, changed or deleted").isEqualTo(before);

        Path restored = home.resolve("restored.db");
        String u = users.toString();
        List<List<String>> readers = List.of(
                List.of("list", "--database", u), List.of("list", "--json", "--database", u),
                List.of("prune", "--keep-last", "1", "--keep-daily", "0", "--keep-weekly", "0", "--keep-monthly",
                        "0", "--database", u),
                List.of("prune", "--dry-run", "--database", u), List.of("verify", "--all", "--database", u),
                List.of("verify", "--database", u), List.of("status", "--database", u),
                List.of("history", "--database", u),
                List.of("restore", "latest", "--to", restored.toString(), "--database", u),
                List.of("daemon", "--database", u));
        for (List<String> command : readers) {
            String[] args = command.toArray(String[]::new);
            JarProcess.Result r = first.run(args);
            assertThat(r.exitCode()).as(command + ": " + r).isEqualTo(2);
            assertThat(r.errLines()).as(command.toString()).singleElement().asString()
                    .startsWith("sqlite-backup: " + refusal);
            assertThat(tree(shared)).as(command + " changed nothing").isEqualTo(before);
        }
        assertThat(restored).doesNotExist();

        // the folder's own database, and the folder alone, still work
        JarProcess.Result appAgain = first.run("run", "--database", app.toString());
        assertThat(appAgain.exitCode()).as(appAgain.toString()).isZero();
        JarProcess.Result list = jar.run("list", "--backup-dir", shared.toString());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(backupsIn(shared)).hasSize(2);
    }

    @Test
    void aFolderWithoutTheRecord_isAdoptedByTheFirstRun_andAMovedDatabaseReadoptsItOnceTheRecordIsDeleted()
            throws Exception {
        Path old = home.resolve("old-backups");
        JarProcess inOld = new JarProcess(home).env("BACKUP_DIR", old.toString());
        assertThat(inOld.run("run", "--database", app.toString()).exitCode()).isZero();
        Path record = old.resolve(".sqlite-backup/database");
        // a folder made before folders recorded their database
        Files.delete(record);

        JarProcess.Result listed = inOld.run("list", "--database", users.toString());
        assertThat(listed.exitCode()).as("reading commands work and record nothing: " + listed).isZero();
        assertThat(record).doesNotExist();

        JarProcess.Result adopt = inOld.run("run", "--database", app.toString());
        assertThat(adopt.exitCode()).as(adopt.toString()).isZero();
        assertThat(Files.readString(record, StandardCharsets.UTF_8)).isEqualTo(identity(app) + "\n");
        assertThat(inOld.run("run", "--database", users.toString()).exitCode()).isEqualTo(2);

        // the database moves: refused until the record is deleted, then the next run adopts the folder again
        Path moved = Files.createDirectory(home.resolve("moved")).resolve("app.db");
        Files.move(app, moved);
        JarProcess.Result refused = inOld.run("run", "--database", moved.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("if the database moved, delete " + record);
        Files.delete(record);
        JarProcess.Result readopted = inOld.run("run", "--database", moved.toString());
        assertThat(readopted.exitCode()).as(readopted.toString()).isZero();
        assertThat(Files.readString(record, StandardCharsets.UTF_8)).isEqualTo(identity(moved) + "\n");
        assertThat(backupsIn(old)).hasSize(3);
    }

    @Test
    void anUpgradedInstallation_isToldWhereItsOldBackupsAre_andKeepsThemWithBackupDir() throws Exception {
        Path former = srv.resolve("backups");
        // what an earlier version made with its default folder: backups beside the database, no record
        JarProcess.Result old = new JarProcess(home).env("BACKUP_DIR", former.toString())
                .run("run", "--database", app.toString());
        assertThat(old.exitCode()).as(old.toString()).isZero();
        Files.delete(former.resolve(".sqlite-backup/database"));

        JarProcess.Result upgraded = jar.run("run", "--database", app.toString());
        assertThat(upgraded.exitCode()).as(upgraded.toString()).isZero();
        assertThat(upgraded.err()).contains(former + " holds backups made before each database had its own folder")
                .contains("set BACKUP_DIR=" + former);
        assertThat(backupsIn(former.resolve("app.db"))).hasSize(1);

        JarProcess.Result kept = new JarProcess(home).env("BACKUP_DIR", former.toString())
                .run("run", "--database", app.toString());
        assertThat(kept.exitCode()).as(kept.toString()).isZero();
        assertThat(kept.err()).as("quiet again").isEmpty();
        assertThat(backupsIn(former)).hasSize(2);
        assertThat(Files.readString(former.resolve(".sqlite-backup/database"), StandardCharsets.UTF_8))
                .isEqualTo(identity(app) + "\n");
    }

    private static List<Path> backupsIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("backup-\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.db"))
                    .sorted().toList();
        }
    }

    /** Every entry under {@code dir} with its type, size and modification time. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                all.put(dir.relativize(p).toString(), (a.isDirectory() ? "dir" : a.size() + " bytes") + " "
                        + a.lastModifiedTime().toMillis());
            }
        }
        return all;
    }
}
