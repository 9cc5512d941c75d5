package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec -- COMMAND}, a migration's safety net, through the jar: a verified, pinned backup first; the
 * command's input, output and exit code passed through; and when it fails, a restore command that works as printed.
 */
class ExecIT {

    @TempDir
    Path home;

    private JarProcess tool() {
        return new JarProcess(home).env("DATABASE_URL", home.resolve("app.db").toString());
    }

    private Path folder() {
        return home.resolve("backups/app.db");
    }

    private List<String> backups() throws Exception {
        if (!Files.isDirectory(folder())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("backup-.*\\.db")).sorted()
                    .toList();
        }
    }

    @Test
    void aCommandThatSucceeds_runsAfterAPinnedBackup_withItsOutputAndExitCodePassedThrough() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 40);

        JarProcess.Result exec = tool().run("exec", "--", "sh", "-c", "echo out; echo err >&2; echo \"$0\"",
                "arg with spaces");

        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        assertThat(exec.out()).as("stdout is the command's own").isEqualTo("out\narg with spaces\n");
        assertThat(exec.err()).contains("err\n").contains("backed up " + home.resolve("app.db"))
                .contains("succeeded");
        List<String> made = backups();
        assertThat(made).hasSize(1);
        assertThat(folder().resolve(".sqlite-backup/pins/" + made.get(0) + ".pin")).exists();
        assertThat(Files.readString(folder().resolve(".sqlite-backup/pins/" + made.get(0) + ".pin")))
                .contains("reason=exec: sh -c");
        assertThat(tool().run("list").out()).contains("pinned until");
    }

    @Test
    void aFailingMigration_passesItsExitCodeBack_andThePrintedRestoreCommandPutsTheDatabaseBack() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 40);

        JarProcess.Result exec = tool().run("exec", "--", "sh", "-c",
                "sqlite3 '" + db + "' 'DELETE FROM notes WHERE id > 5' && exit 3");

        assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(3);
        assertThat(Sqlite.count(db, "notes")).as("the migration did its damage").isEqualTo(5);
        List<String> lines = exec.errLines();
        int said = lines.indexOf(lines.stream().filter(l -> l.contains("exited 3; to put the database back"))
                .findFirst().orElseThrow(() -> new AssertionError(exec.toString())));
        String restore = lines.get(said + 1).strip();
        assertThat(restore).contains(" restore " + backups().get(0)).contains("--to").endsWith("--force");

        ProcessBuilder shell = new ProcessBuilder("sh", "-c", restore).directory(home.toFile());
        shell.environment().keySet().removeIf(k -> k.startsWith("DATABASE_") || k.startsWith("BACKUP_"));
        JarProcess.Result restored = JarProcess.capture(shell, null);

        assertThat(restored.exitCode()).as(restore + "\n" + restored).isZero();
        assertThat(Sqlite.count(db, "notes")).as("as it was before the migration").isEqualTo(40);
        assertThat(Sqlite.integrityCheck(db)).isEqualTo("ok");
    }

    @Test
    void theCommandReadsItsStandardInput() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 10);
        ProcessBuilder pb = JarProcess.builder(home, List.of(), Map.of("DATABASE_URL",
                home.resolve("app.db").toString()), "exec", "--", "sh", "-c", "read line; echo \"got $line\"");
        Path out = home.resolve("out.txt");
        pb.redirectOutput(out.toFile()).redirectError(home.resolve("err.txt").toFile());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("hello\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(Files.readString(home.resolve("err.txt"))).isZero();
        assertThat(Files.readString(out)).isEqualTo("got hello\n");
    }

    @Test
    void aCommandThatDoesNotExist_isExit2_andNothingIsBackedUp() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 10);

        JarProcess.Result exec = tool().run("exec", "--", "no-such-migrate-tool", "--up");

        assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(2);
        assertThat(exec.errLines()).containsExactly("sqlite-backup: exec: command 'no-such-migrate-tool' not found "
                + "on PATH; nothing was backed up");
        assertThat(home.resolve("backups")).doesNotExist();
    }

    @Test
    void aBackupThatFails_meansTheCommandNeverRuns() throws Exception {
        Files.writeString(home.resolve("app.db"), "not a database at all, but long enough to have a header ".repeat(4));
        Path marker = home.resolve("ran");

        JarProcess.Result exec = tool().run("exec", "--", "touch", marker.toString());

        assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(1);
        assertThat(marker).as("the command did not run").doesNotExist();
    }
}
