package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.adapters.drive.FakeDrive;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore drills through the jar: a good backup is proven restorable (history and status say so); a backup
 * corrupted after it was made, a failing data assertion and an encrypted off-site copy without the right key each
 * fail the drill (exit 1, named); {@code status --max-drill-age} exits 1 without a recent proof.
 */
class DrillIT {

    @TempDir
    Path home;

    private JarProcess tool() {
        return new JarProcess(home).env("DATABASE_URL", home.resolve("app.db").toString());
    }

    private Path folder() {
        return home.resolve("backups/app.db");
    }

    private List<Path> backups() throws Exception {
        try (Stream<Path> files = Files.list(folder())) {
            return files.filter(p -> p.getFileName().toString().matches("backup-.*\\.db")).sorted().toList();
        }
    }

    @Test
    void aGoodBackup_isProvenRestorable_andStatusAndHistorySaySo() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 200);
        assertThat(tool().run("run").exitCode()).isZero();
        JarProcess.Result unproven = tool().run("status", "--max-drill-age", "8d");
        assertThat(unproven.exitCode()).as("no drill yet").isEqualTo(1);
        assertThat(unproven.out()).contains("never proven restorable").contains("UNPROVEN");

        JarProcess.Result drill = tool().run("drill");

        assertThat(drill.exitCode()).as(drill.toString()).isZero();
        assertThat(drill.out()).startsWith("Proven restorable: " + backups().get(0).getFileName() + " (local) "
                + "restored, integrity_check ok");
        JarProcess.Result status = tool().run("status", "--max-drill-age", "8d");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("last proven restorable: ").contains(backups().get(0).getFileName()
                + ", local)").contains("Last run:").doesNotContain("drill, success");
        assertThat(tool().run("history").out()).contains("drill");
        try (Stream<Path> scratch = Files.list(folder().resolve(".sqlite-backup"))) {
            assertThat(scratch.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("tmp-"));
        }
    }

    @Test
    void aBackupCorruptedAfterItWasMade_failsTheDrill_exit1_namingWhy() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 200);
        assertThat(tool().run("run").exitCode()).isZero();
        Path backup = backups().get(0);
        try (RandomAccessFile file = new RandomAccessFile(backup.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0xFF);
        }

        JarProcess.Result drill = tool().run("drill");

        assertThat(drill.exitCode()).as(drill.toString()).isEqualTo(1);
        assertThat(drill.errLines()).singleElement().asString().startsWith("sqlite-backup: restore drill of the "
                + "latest local backup failed: ").contains(backup.getFileName().toString())
                .contains("failed verification");
        assertThat(backup).as("a drill never deletes a backup").exists();
        assertThat(tool().run("status", "--max-drill-age", "8d").exitCode()).isEqualTo(1);
    }

    @Test
    void aFailingAssertion_failsTheDrill_namingIt() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 20);
        assertThat(tool().run("run").exitCode()).isZero();
        Path assertions = Files.writeString(home.resolve("assertions.yml"), "assertions:\n  - name: many notes\n"
                + "    sql: SELECT count(*) FROM notes\n    expect: \">= 1000\"\n", StandardCharsets.UTF_8);

        JarProcess.Result drill = tool().env("ASSERTIONS_FILE", assertions.toString()).run("drill");

        assertThat(drill.exitCode()).as(drill.toString()).isEqualTo(1);
        assertThat(drill.err()).contains("data assertion many notes: 20, expected >= 1000");
    }

    @Test
    void anEncryptedOffsiteCopy_withTheWrongIdentity_failsTheDrill_andWithTheRightOnePasses() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 200);
        Path keys = Files.createDirectories(home.resolve("keys"));
        Path identity = keys.resolve("owner.txt");
        Path other = keys.resolve("other.txt");
        command("age-keygen", "-o", identity.toString());
        command("age-keygen", "-o", other.toString());
        String recipient = new String(command("age-keygen", "-y", identity.toString()), StandardCharsets.UTF_8)
                .strip();
        try (FakeDrive fake = new FakeDrive()) {
            Path credentials = fake.writeUserCredentials(home.resolve("drive-credentials.json"));
            JarProcess drive = tool().env("GOOGLE_DRIVE_CREDENTIALS", credentials.toString())
                    .env("DRIVE_ROOT_URL", fake.rootUrl().toString()).env("AGE_RECIPIENTS", recipient);
            JarProcess.Result run = drive.run("run");
            assertThat(run.exitCode()).as(run.toString()).isZero();

            JarProcess.Result wrong = drive.env("AGE_IDENTITY_FILE", other.toString()).run("drill", "--remote");
            assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(1);
            assertThat(wrong.err()).contains("restore drill of the latest off-site copy").contains("no identity "
                    + "matches backup-");

            JarProcess.Result right = drive.env("AGE_IDENTITY_FILE", identity.toString()).run("drill", "--remote");
            assertThat(right.exitCode()).as(right.toString()).isZero();
            assertThat(right.out()).contains("(off-site copy) restored, integrity_check ok");
            assertThat(tool().run("status").out()).contains(", remote)");
        }
    }

    private byte[] command(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        return out;
    }
}
