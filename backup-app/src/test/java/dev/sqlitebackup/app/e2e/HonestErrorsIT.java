package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors that name the real cause, not a plausible wrong one. */
class HonestErrorsIT {

    @TempDir
    Path home;

    /** Under cron or {@code env -i} the JVM decodes file names as ASCII: "é" becomes "?", "not a valid path". */
    @Test
    void aNonAsciiPath_underALocaleThatIsNotUtf8_saysTheLocaleIsTheCause_andHowToSetIt() throws Exception {
        Path db = home.resolve("données.db");
        Sqlite.createNotes(db, 10);

        JarProcess.Result byFlag = new JarProcess(home).withoutLocale().run("run", "--database", db.toString());
        JarProcess.Result byEnv = new JarProcess(home).withoutLocale().env("DATABASE_URL", db.toString()).run("run");

        for (JarProcess.Result r : List.of(byFlag, byEnv)) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.errLines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).contains("locale").contains("UTF-8").contains("LANG=C.UTF-8");
        }
        assertThat(home.resolve("backups")).doesNotExist();
    }

    /** The JDK's file exceptions carry only the path as their message: an error names the cause in words. */
    @Test
    void anUnreadableConfigFile_saysPermissionDenied_notJustItsPath() throws Exception {
        Unprivileged.Launch launch = Unprivileged.launch();
        launch.impossible().ifPresent(why -> System.out.println("SKIPPED HonestErrorsIT: " + why));
        Assumptions.assumeTrue(launch.impossible().isEmpty(), () -> launch.impossible().orElse(""));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = Files.writeString(home.resolve("backup.properties"), "BACKUP_KEEP_DAILY=3\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 10);

        JarProcess.Result r = launch.apply(new JarProcess(home)).run("run", "--database", db.toString(), "--config",
                config.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).as(r.toString()).containsExactly("sqlite-backup: config file " + config
                + " cannot be read: permission denied");
    }

    /** The loser of the folder's lock says what holds it: here a run, not "another prune". */
    @Test
    void pruneWhileARunHoldsTheLock_saysThatTheRunIsRunning_withItsPid() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 10);
        Sqlite.exec(db, "PRAGMA journal_mode=DELETE");
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", db.toString());
        assertThat(jar.run("run").exitCode()).isZero();
        Path lockFile = home.resolve("backups/app.db/.sqlite-backup/lock");

        // a writer's exclusive lock keeps the next run waiting (busy timeout) while it holds the folder's lock
        try (SqliteShell app = SqliteShell.open(db, List.of())) {
            app.exec("BEGIN EXCLUSIVE;");
            Process run = JarProcess.builder(home, List.of(), Map.of("DATABASE_URL", db.toString()), "run")
                    .redirectErrorStream(true).redirectOutput(home.resolve("run.out").toFile()).start();
            try {
                awaitLockBy(run.pid(), lockFile);

                JarProcess.Result prune = jar.run("prune");

                assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(1);
                assertThat(prune.err()).as(prune.toString()).contains("another backup of " + db.toRealPath()
                        + " is running (pid " + run.pid() + ")").doesNotContain("prune");
            } finally {
                app.exec("ROLLBACK;");
                if (!run.waitFor(60, TimeUnit.SECONDS)) {
                    run.destroyForcibly();
                }
            }
        }
    }

    private static void awaitLockBy(long pid, Path lockFile) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(lockFile)
                    && Files.readString(lockFile, StandardCharsets.UTF_8).startsWith(pid + "\n")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run (pid " + pid + ") never took " + lockFile);
    }
}
