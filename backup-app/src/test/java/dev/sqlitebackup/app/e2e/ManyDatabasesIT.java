package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code status} over a YAML config of many databases, through the jar: one corrupt tenant among
 * many fails alone and is named, the others are backed up in their folders, and status says which is stale.
 */
class ManyDatabasesIT {

    private static final int TENANTS = 12;

    @TempDir
    Path home;

    @Test
    void oneCorruptTenantAmongMany_failsAlone_namedInTheRunAndInStatus_untilItIsRepaired() throws IOException {
        Sqlite.createNotes(home.resolve("app.db"), 50);
        for (int i = 1; i <= TENANTS; i++) {
            tenant(String.format("t%02d", i));
        }
        corrupt(home.resolve("tenants/t07/data.db"));
        Path config = home.resolve("sqlite-backup.yml");
        Files.writeString(config, "parallelism: 4\ndefaults:\n  backup_root: " + home.resolve("backups")
                + "\ndatabases:\n  - name: app\n    path: " + home.resolve("app.db") + "\n  - glob: " + home
                + "/tenants/*/data.db\n    name_from: parent_dir\n", StandardCharsets.UTF_8);

        JarProcess.Result run = new JarProcess(home).run("run", "--config", config.toString());
        // each run's state database is closed after its row is committed, off the next backup's path; the process
        // still waits for every close before it exits, so none is left with its -wal and -shm
        for (String name : names()) {
            assertThat(home.resolve("backups").resolve(name).resolve(".sqlite-backup/state.db-wal")).as(name)
                    .doesNotExist();
            assertThat(home.resolve("backups").resolve(name).resolve(".sqlite-backup/state.db-shm")).as(name)
                    .doesNotExist();
        }
        JarProcess.Result status = new JarProcess(home).run("status", "--config", config.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).as(run.toString()).containsPattern("(?m)^t07: FAILED: .+$")
                .containsPattern("(?m)^12 backed up, 1 failed \\(t07\\), total .+ in .+$");
        for (String name : names()) {
            if (!name.equals("t07")) {
                assertThat(run.out()).containsPattern("(?m)^" + name + ": backed up to "
                        + home.resolve("backups").resolve(name) + "/backup-\\S+\\.db \\(.+\\)$");
                assertThat(backups(name)).as(name).hasSize(1);
            }
        }
        assertThat(backups("t07")).isEmpty();
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
        assertThat(status.out()).containsPattern("(?m)^app\\s+\\d{4}-.*\\s+ok\\s+success$")
                .containsPattern("(?m)^t07\\s+never\\s+-\\s+STALE\\s+.*$")
                .contains("STALE: 1 of 13 databases without a successful backup within 1d 2h (t07)");

        Files.delete(home.resolve("tenants/t07/data.db"));
        Sqlite.createNotes(home.resolve("tenants/t07/data.db"), 10);
        tenant("t13");
        JarProcess.Result again = new JarProcess(home).env("SQLITE_BACKUP_CONFIG", config.toString()).run("run");
        JarProcess.Result healthy = new JarProcess(home).env("SQLITE_BACKUP_CONFIG", config.toString())
                .run("status");
        JarProcess.Result one = new JarProcess(home).env("SQLITE_BACKUP_CONFIG", config.toString())
                .run("status", "--db", "t07");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).containsPattern("(?m)^14 backed up, 0 failed, total .+$");
        assertThat(backups("t07")).hasSize(1);
        assertThat(backups("t13")).hasSize(1);
        assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
        assertThat(healthy.out()).contains("OK: all 14 databases backed up within 1d 2h");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).as("one database: the status of one, as without a config of many")
                .contains("Last success:").contains("Backups:       1 in " + home.resolve("backups/t07"));
    }

    private void tenant(String name) throws IOException {
        Files.createDirectories(home.resolve("tenants").resolve(name));
        Sqlite.createNotes(home.resolve("tenants").resolve(name).resolve("data.db"), 10);
    }

    private List<String> names() {
        List<String> names = new java.util.ArrayList<>(List.of("app"));
        for (int i = 1; i <= TENANTS; i++) {
            names.add(String.format("t%02d", i));
        }
        return names;
    }

    /** Everything after SQLite's header is garbage: the file opens, and its copy fails its check. */
    private static void corrupt(Path db) throws IOException {
        Files.deleteIfExists(db.resolveSibling("data.db-wal"));
        Files.deleteIfExists(db.resolveSibling("data.db-shm"));
        byte[] bytes = Files.readAllBytes(db);
        for (int i = 100; i < bytes.length; i++) {
            bytes[i] = (byte) 0xA5;
        }
        Files.write(db, bytes);
    }

    private List<Path> backups(String name) throws IOException {
        Path folder = home.resolve("backups").resolve(name);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("backup-.*\\.db(\\.zst)?")).toList();
        }
    }
}
