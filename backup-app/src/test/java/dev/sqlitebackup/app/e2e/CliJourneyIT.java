package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's first day with the tool, through the shaded jar: back up, list, prune, verify, restore. */
class CliJourneyIT {

    private static final Pattern BACKUP = Pattern.compile("backup-\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.db");

    @TempDir
    Path home;

    private List<Path> backups(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> BACKUP.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    @Test
    void aPageForPageRun_copiesTheFileRaw_andWithBackupCopyApi_throughSqlitesOnlineBackupApi() throws Exception {
        JarProcess jar = new JarProcess(home);
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 500);
        Path dir = home.resolve("backups").resolve("app.db");

        JarProcess.Result raw = jar.run("run", "-v", "--no-vacuum", "--database", db.toString());
        assertThat(raw.exitCode()).as(raw.toString()).isZero();
        assertThat(raw.err()).contains("raw copy of " + db).doesNotContain("WARN");
        assertThat(Files.mismatch(backups(dir).get(0), db)).as("the raw copy is the database file").isEqualTo(-1);

        JarProcess.Result api = jar.env("BACKUP_COPY", "api").run("run", "-v", "--no-vacuum", "--database",
                db.toString());
        assertThat(api.exitCode()).as(api.toString()).isZero();
        assertThat(api.err()).contains("online backup of " + db).doesNotContain("raw copy");
        List<Path> both = backups(dir);
        assertThat(both).hasSize(2);
        assertThat(Files.mismatch(both.get(1), db)).as("the backup API writes its own header").isNotEqualTo(-1);
        assertThat(Sqlite.count(both.get(1), "notes")).isEqualTo(500);
    }

    @Test
    void backUp_list_prune_verify_andRestore_asAUserWould() throws Exception {
        JarProcess jar = new JarProcess(home);
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 2_000);

        // 1. two backups of the live database; the second in the same second must not collide
        JarProcess.Result first = jar.run("run", "--database", "sqlite:///app.db");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("Backed up").contains("quick_check ok");
        JarProcess.Result second = jar.run("run", "--database", db.toString(), "--no-vacuum");
        assertThat(second.exitCode()).as(second.toString()).isZero();

        Path dir = home.resolve("backups").resolve("app.db");
        List<Path> made = backups(dir);
        assertThat(made).hasSize(2);
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (Path b : made) {
            assertThat(Files.getPosixFilePermissions(b)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Sqlite.count(b, "notes")).isEqualTo(2_000);
            assertThat(Sqlite.integrityCheck(b)).isEqualTo("ok");
        }
        Process sha = new ProcessBuilder("sha256sum", "-c", made.get(0).getFileName() + ".sha256",
                made.get(1).getFileName() + ".sha256").directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(sha.waitFor()).as(new String(sha.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();

        // 2. list, as a table and as JSON, newest first
        JarProcess.Result list = jar.run("list", "--backup-dir", dir.toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains(made.get(1).getFileName().toString()).contains("sha256 recorded");
        JarProcess.Result listJson = jar.run("list", "--json", "--database", db.toString());
        JsonArray array = JsonParser.parseString(listJson.out()).getAsJsonArray();
        assertThat(array).hasSize(2);
        assertThat(array.get(0).getAsJsonObject().get("name").getAsString())
                .isEqualTo(made.get(1).getFileName().toString());
        assertThat(array.get(0).getAsJsonObject().get("checksum").getAsString()).isEqualTo("recorded");

        // 3. prune --dry-run with a policy of one: it explains itself and deletes nothing
        JarProcess.Result dry = jar.env("BACKUP_KEEP_DAILY", "0").env("BACKUP_KEEP_WEEKLY", "0")
                .env("BACKUP_KEEP_MONTHLY", "0").env("BACKUP_KEEP_LAST", "1")
                .run("prune", "--dry-run", "--json", "--database", db.toString());
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        JsonObject plan = JsonParser.parseString(dry.out()).getAsJsonObject();
        assertThat(plan.get("kept").getAsJsonArray()).hasSize(1);
        assertThat(plan.get("kept").getAsJsonArray().get(0).getAsJsonObject().get("reasons").getAsJsonArray()
                .get(0).getAsString()).isEqualTo("last");
        assertThat(plan.get("deleted").getAsJsonArray()).hasSize(1);
        assertThat(backups(dir)).hasSize(2);

        // 4. verify all: fine; then one flipped byte in the older backup fails verification with exit 1
        JarProcess.Result verify = jar.run("verify", "--all", "--database", db.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        flipOneByte(made.get(0), 3000);
        JarProcess.Result tampered = jar.run("verify", "--all", "--database", db.toString());
        assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(1);
        assertThat(tampered.out()).contains("FAILED " + made.get(0).getFileName()).contains("MISMATCH");
        JarProcess.Result tamperedLatest = jar.run("verify", "--database", db.toString());
        assertThat(tamperedLatest.exitCode()).as("latest is intact").isZero();

        // 5. restore latest to a new file; refuse to clobber; --force replaces and drops the stale WAL
        Path restored = home.resolve("restored.db");
        JarProcess.Result restore = jar.run("restore", "latest", "--to", restored.toString(), "--database",
                db.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(Sqlite.count(restored, "notes")).isEqualTo(2_000);

        Files.writeString(Path.of(restored + "-wal"), "stale wal of an old database");
        JarProcess.Result clobber = jar.run("restore", "latest", "--to", restored.toString(), "--database",
                db.toString());
        assertThat(clobber.exitCode()).isEqualTo(2);
        assertThat(clobber.errLines()).singleElement().asString().contains(restored.toString()).contains("--force");
        assertThat(Path.of(restored + "-wal")).exists();

        JarProcess.Result noDrive = jar.run("list", "--remote", "--database", db.toString());
        assertThat(noDrive.exitCode()).as(noDrive.toString()).isEqualTo(2);
        assertThat(noDrive.errLines()).containsExactly(
                "sqlite-backup: no off-site store is configured: set GOOGLE_DRIVE_CREDENTIALS");

        JarProcess.Result forced = jar.run("restore", made.get(1).getFileName().toString(), "--to",
                restored.toString(), "--force", "--database", db.toString());
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(Path.of(restored + "-wal")).doesNotExist();
        assertThat(Sqlite.integrityCheck(restored)).isEqualTo("ok");

        // 6. the tampered backup is never restored
        JarProcess.Result bad = jar.run("restore", made.get(0).getFileName().toString(), "--to",
                home.resolve("never.db").toString(), "--database", db.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(home.resolve("never.db")).doesNotExist();

        // 7. prune for real with the policy of one
        JarProcess.Result prune = jar.env("BACKUP_KEEP_DAILY", "0").env("BACKUP_KEEP_WEEKLY", "0")
                .env("BACKUP_KEEP_MONTHLY", "0").env("BACKUP_KEEP_LAST", "1")
                .run("prune", "--database", db.toString());
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        assertThat(backups(dir)).containsExactly(made.get(1));
        assertThat(Path.of(made.get(0) + ".sha256")).doesNotExist();
    }

    @Test
    void theQuickStart_sampleThenRun_works() {
        JarProcess jar = new JarProcess(home);
        JarProcess.Result sample = jar.run("sample", "demo.db");
        assertThat(sample.exitCode()).as(sample.toString()).isZero();
        JarProcess.Result again = jar.run("sample", "demo.db");
        assertThat(again.exitCode()).as("never overwrites").isEqualTo(2);

        JarProcess.Result run = jar.run("run", "--database", "demo.db");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).as("quiet by default").isEmpty();
    }

    /** The version comes from the jar's manifest; help on every command is checked in-process (cli.HelpTest). */
    @Test
    void version_works() {
        JarProcess jar = new JarProcess(home);
        assertThat(jar.run("--version").out()).startsWith("sqlite-backup ");
    }

    private static void flipOneByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0xFF);
        }
    }
}
