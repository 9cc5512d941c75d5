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
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LOCAL_COMPRESSION=zstd through the shaded jar: local backups stored as {@code .db.zst} beside older plain ones,
 * listed, verified, restored byte for byte, pruned across forms; a flipped byte fails verify and restore.
 */
class LocalCompressionIT {

    @TempDir
    Path home;

    @Test
    void zstdBackups_besidePlainOnes_areListedVerifiedRestoredAndPruned_andADamagedOneTouchesNothing()
            throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 3_000);
        Path dir = home.resolve("backups").resolve("app.db");
        JarProcess plain = new JarProcess(home);
        JarProcess zstd = new JarProcess(home).env("LOCAL_COMPRESSION", "zstd");

        // 1. a plain backup made before the setting, then a compressed one
        JarProcess.Result first = plain.run("run", "--database", db.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        JarProcess.awaitTheNextSecond();
        JarProcess.Result second = zstd.run("run", "--database", db.toString());
        assertThat(second.exitCode()).as(second.toString()).isZero();

        List<String> names = backupFiles(dir);
        assertThat(names).hasSize(4);
        String plainName = names.get(0);
        String zstName = names.get(2);
        assertThat(plainName).matches("backup-\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.db");
        assertThat(names.get(1)).isEqualTo(plainName + ".sha256");
        assertThat(zstName).matches("backup-\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.db\\.zst");
        assertThat(names.get(3)).isEqualTo(zstName + ".sha256");
        assertThat(Files.getPosixFilePermissions(dir.resolve(zstName)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(scratchFiles(dir)).as("no scratch copy left, plain or compressed").isEmpty();

        // sha256sum checks the stored files, also with --strict; the sidecar keeps the database's SHA-256
        String check = tool(dir, "sha256sum", "-c", "--strict", plainName + ".sha256", zstName + ".sha256");
        assertThat(check).contains(zstName + ": OK").contains(plainName + ": OK");
        List<String> sidecar = Files.readAllLines(dir.resolve(zstName + ".sha256"));
        // the checksum line, the database's SHA-256, and (issue 15's drift guard) the tables' row counts
        assertThat(sidecar).hasSize(3);
        assertThat(sidecar.get(1)).startsWith("# sha256 of the database: ");
        assertThat(sidecar.get(2)).startsWith("# rows (count(*); ~ an sqlite_stat1 estimate): notes=");
        String databaseSha = sidecar.get(1).substring("# sha256 of the database: ".length());
        // zstd -d gives back the exact database: its SHA-256 is the recorded one, and SQLite opens it
        tool(home, "zstd", "-d", "-q", dir.resolve(zstName).toString(), "-o", "by-hand.db");
        assertThat(sha256(home.resolve("by-hand.db"))).isEqualTo(databaseSha);
        assertThat(Sqlite.count(home.resolve("by-hand.db"), "notes")).isEqualTo(3_000);

        // 2. list: one backup per timestamp, its form and stored size
        JarProcess.Result list = plain.run("list", "--json", "--database", db.toString());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        JsonArray array = JsonParser.parseString(list.out()).getAsJsonArray();
        assertThat(array).hasSize(2);
        JsonObject newest = array.get(0).getAsJsonObject();
        assertThat(newest.get("storedName").getAsString()).isEqualTo(zstName);
        assertThat(newest.get("form").getAsString()).isEqualTo("zstd");
        assertThat(newest.get("sizeBytes").getAsLong()).isEqualTo(Files.size(dir.resolve(zstName)))
                .isLessThan(Files.size(dir.resolve(plainName)));
        assertThat(newest.get("sha256").getAsString()).isEqualTo(databaseSha);
        assertThat(array.get(1).getAsJsonObject().get("form").getAsString()).isEqualTo("plain");
        JarProcess.Result table = zstd.run("list", "--database", db.toString());
        assertThat(table.out()).contains("FORM").containsPattern(zstName.replace(".zst", "") + "\\s+zstd")
                .containsPattern(plainName + "\\s+plain");

        // 3. verify both, whatever the setting is now
        for (JarProcess jar : List.of(plain, zstd)) {
            JarProcess.Result verify = jar.run("verify", "--all", "--full", "--database", db.toString());
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.out()).contains("ok     " + zstName.replace(".zst", ""));
        }

        // 4. restore latest (the compressed one): the database's exact bytes
        Path restored = home.resolve("restored.db");
        JarProcess.Result restore = plain.run("restore", "latest", "--to", restored.toString(), "--database",
                db.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restored).hasSameBinaryContentAs(home.resolve("by-hand.db"));
        assertThat(scratchFiles(dir)).isEmpty();

        // 5. a flipped byte in the .zst: verify and restore fail with exit 1, and nothing is touched
        JarProcess.awaitTheNextSecond();
        JarProcess.Result third = zstd.run("run", "--database", db.toString());
        assertThat(third.exitCode()).as(third.toString()).isZero();
        flipOneByte(dir.resolve(zstName));
        List<String> before = backupFiles(dir);
        JarProcess.Result verify = zstd.run("verify", "--all", "--database", db.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out()).contains("FAILED " + zstName.replace(".zst", "")).contains("MISMATCH");
        Path target = home.resolve("never.db");
        JarProcess.Result refused = zstd.run("restore", zstName, "--to", target.toString(), "--database",
                db.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.errLines()).singleElement().asString().contains("nothing restored");
        assertThat(target).doesNotExist();
        assertThat(backupFiles(dir)).isEqualTo(before);
        assertThat(scratchFiles(dir)).isEmpty();

        // 6. prune across forms: one backup per timestamp, each deleted with its sidecar
        JarProcess.Result prune = zstd.env("BACKUP_KEEP_DAILY", "0").env("BACKUP_KEEP_WEEKLY", "0")
                .env("BACKUP_KEEP_MONTHLY", "0").env("BACKUP_KEEP_LAST", "1")
                .run("prune", "--json", "--database", db.toString());
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        assertThat(JsonParser.parseString(prune.out()).getAsJsonObject().get("deleted").getAsJsonArray()).hasSize(2);
        List<String> left = backupFiles(dir);
        assertThat(left).hasSize(2);
        assertThat(left.get(0)).endsWith(".db.zst").isNotEqualTo(zstName);
        assertThat(left.get(1)).isEqualTo(left.get(0) + ".sha256");
    }

    private static List<String> backupFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("backup-")).sorted().toList();
        }
    }

    private static List<String> scratchFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(".sqlite-backup"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tmp-")).toList();
        }
    }

    private static void flipOneByte(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raf.length() / 2;
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Runs a standard tool ({@code .ci/run} installs zstd; sha256sum is coreutils); it must exit 0. */
    private static String tool(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
