package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code restore --force} over a database that another process still has open would lose every write that process
 * makes afterwards (it keeps writing into the replaced file): refused, naming the process, unless the caller says
 * {@code --even-if-open}. The application here is Debian's {@code sqlite3} shell holding the database open.
 */
class RestoreOverOpenDatabaseIT {

    @TempDir
    Path home;

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"wal", "delete"})
    void restoreForce_overADatabaseAnotherProcessHasOpen_exits1NamingThePid_andChangesNothing(String journalMode)
            throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 100);
        Sqlite.exec(db, "PRAGMA journal_mode=" + journalMode);
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", db.toString());
        assertThat(jar.run("run").exitCode()).isZero();

        try (SqliteShell app = SqliteShell.open(db, List.of())) {
            app.exec("INSERT INTO notes (body) VALUES ('after the backup');");
            String before = BackupFolder.sha256(db);

            JarProcess.Result refused = jar.run("restore", "latest", "--to", db.toString(), "--force");

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.errLines()).as(refused.toString()).hasSize(1);
            assertThat(refused.err()).contains(db + " is open in another process").contains("pid " + app.pid())
                    .contains("sqlite3").contains("nothing restored").contains("--even-if-open");
            assertThat(BackupFolder.sha256(db)).as("the live file is unchanged").isEqualTo(before);
            assertThat(app.query("SELECT count(*) FROM notes;")).isEqualTo("101");
        }

        JarProcess.Result restored = jar.run("restore", "latest", "--to", db.toString(), "--force");

        assertThat(restored.exitCode()).as(restored.toString()).isZero();
        assertThat(Sqlite.count(db, "notes")).isEqualTo(100);
    }

    /** The restoring user may not read the application's descriptors: SQLite's locks give it away, with its pid. */
    @Test
    void restoreForce_byAUserWhoCannotSeeTheApplicationsFiles_isStoppedBySqlitesLock() throws Exception {
        Unprivileged.Launch launch = Unprivileged.launch();
        launch.impossible().ifPresent(why -> System.out.println("SKIPPED RestoreOverOpenDatabaseIT: " + why));
        Assumptions.assumeTrue(launch.impossible().isEmpty() && !launch.launcher().isEmpty(),
                () -> launch.impossible().orElse("not running as root: no other user's process to hide"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path shared = Files.createDirectory(home.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path db = shared.resolve("app.db");
        Sqlite.createNotes(db, 100);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-rw-rw-"));
        JarProcess jar = launch.apply(new JarProcess(home)).env("DATABASE_URL", db.toString());
        JarProcess.Result run = jar.run("run");
        assertThat(run.exitCode()).as(run.toString()).isZero();

        try (SqliteShell app = SqliteShell.open(db, List.of())) {
            app.exec("INSERT INTO notes (body) VALUES ('after the backup');");
            String before = BackupFolder.sha256(db);

            JarProcess.Result refused = jar.run("restore", "latest", "--to", db.toString(), "--force");

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).contains(db + " is open in another process").contains("pid " + app.pid());
            assertThat(BackupFolder.sha256(db)).isEqualTo(before);
        }
    }

    @Test
    void evenIfOpen_replacesTheDatabaseAnyway_andNeedsForce() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 100);
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", db.toString());
        assertThat(jar.run("run").exitCode()).isZero();

        try (SqliteShell app = SqliteShell.open(db, List.of())) {
            app.exec("INSERT INTO notes (body) VALUES ('lost');");

            JarProcess.Result withoutForce = jar.run("restore", "latest", "--to", db.toString(), "--even-if-open");
            JarProcess.Result anyway = jar.run("restore", "latest", "--to", db.toString(), "--force",
                    "--even-if-open");

            assertThat(withoutForce.exitCode()).as(withoutForce.toString()).isEqualTo(2);
            assertThat(withoutForce.err()).contains("--even-if-open").contains("--force");
            assertThat(anyway.exitCode()).as(anyway.toString()).isZero();
        }
        assertThat(Sqlite.count(db, "notes")).isEqualTo(100);
    }

    @Test
    void restoreToADirectory_saysItIsADirectory_andDoesNotSuggestForce() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 10);
        Path dir = Files.createDirectory(home.resolve("restore-here"));
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", db.toString());
        assertThat(jar.run("run").exitCode()).isZero();

        for (List<String> force : List.of(List.<String>of(), List.of("--force"))) {
            List<String> args = new java.util.ArrayList<>(List.of("restore", "latest", "--to", dir.toString()));
            args.addAll(force);
            JarProcess.Result result = jar.run(args.toArray(String[]::new));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.errLines()).as(result.toString()).hasSize(1);
            assertThat(result.err()).contains(dir + " is a directory").doesNotContain("--force");
        }
        try (var entries = Files.list(dir)) {
            assertThat(entries.toList()).isEmpty();
        }
    }
}
