package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's proof through the jar: a YAML config of two named databases and a glob over fifty tenants, backed up
 * by one {@code run}, each in its own folder and verified whole; a tenant added between two runs is picked up, one
 * removed is reported and its backups kept; one corrupt tenant among fifty fails alone, named, with exit 1.
 */
class FiftyTenantsIT {

    private static final int TENANTS = 50;

    @TempDir
    Path home;

    private Path tenant(int i) {
        return home.resolve("tenants").resolve(String.format("t%03d", i)).resolve("data.db");
    }

    private static String tenantName(int i) {
        return String.format("t%03d", i);
    }

    private void createTenant(int i) throws IOException {
        Files.createDirectories(tenant(i).getParent());
        Sqlite.createNotes(tenant(i), 20 + i);
    }

    private Path config() throws IOException {
        Path file = home.resolve("sqlite-backup.yml");
        Files.writeString(file, String.join("\n",
                "defaults:",
                "  backup_root: " + home.resolve("backups"),
                "  keep: {daily: 7, weekly: 4, monthly: 12, last: 7}",
                "databases:",
                "  - name: app",
                "    path: " + home.resolve("app.db"),
                "  - name: jobs",
                "    url: sqlite:///" + home.resolve("jobs.db"),
                "    backup_dir: " + home.resolve("job-backups"),
                "  - glob: " + home.resolve("tenants") + "/*/data.db",
                "    name_from: parent_dir",
                ""), StandardCharsets.UTF_8);
        return file;
    }

    private Map<String, BackupFolder> folders() {
        Map<String, BackupFolder> folders = new LinkedHashMap<>();
        folders.put("app", new BackupFolder(home.resolve("backups/app"), "notes", 300));
        folders.put("jobs", new BackupFolder(home.resolve("job-backups"), "notes", 40));
        for (int i = 1; i <= TENANTS + 1; i++) {
            folders.put(tenantName(i), new BackupFolder(home.resolve("backups").resolve(tenantName(i)), "notes",
                    20 + i));
        }
        return folders;
    }

    private void createDatabases() throws IOException {
        Sqlite.createNotes(home.resolve("app.db"), 300);
        Sqlite.createNotes(home.resolve("jobs.db"), 40);
        for (int i = 1; i <= TENANTS; i++) {
            createTenant(i);
        }
    }

    @Test
    void oneRun_backsUpEveryDatabase_inItsFolder_thenPicksUpANewTenant_andKeepsAGoneOnesBackups() throws Exception {
        createDatabases();
        Path config = config();
        Map<String, BackupFolder> folders = folders();

        JarProcess.Result first = new JarProcess(home).run("run", "--config", config.toString());

        assertThat(first.exitCode()).as(first.toString()).isZero();
        for (Map.Entry<String, BackupFolder> folder : folders.entrySet()) {
            boolean exists = !folder.getKey().equals(tenantName(TENANTS + 1));
            assertThat(folder.getValue().check("first run").newBackups()).as(folder.getKey() + "\n" + first)
                    .hasSize(exists ? 1 : 0);
        }
        assertThat(home.resolve("backups/jobs")).as("jobs has a backup_dir of its own").doesNotExist();

        createTenant(TENANTS + 1);
        Path gone = tenant(7);
        Files.delete(gone);
        JarProcess.awaitTheNextSecond();
        JarProcess.Result second;
        List<String> posted;
        try (PostedBodies ntfy = PostedBodies.start()) {
            Files.writeString(config, Files.readString(config).replace("defaults:\n", "defaults:\n  ntfy: {url: \""
                    + ntfy.url() + "\", topic: ops}\n"));
            second = new JarProcess(home).run("run", "--config", config.toString());
            posted = ntfy.bodies();
        }

        assertThat(second.exitCode()).as(second.toString()).isZero();
        for (Map.Entry<String, BackupFolder> folder : folders.entrySet()) {
            BackupFolder.Look look = folder.getValue().check("second run");
            boolean goneOne = folder.getKey().equals(tenantName(7));
            assertThat(look.newBackups()).as(folder.getKey() + "\n" + second).hasSize(goneOne ? 0 : 1);
        }
        assertThat(folders.get(tenantName(7)).names()).as("the gone tenant's backup is kept").hasSize(1);
        assertThat(second.err()).as("the gone tenant is reported").contains(tenantName(7)).contains("gone");
        assertThat(posted).as("one summary of the run, which names the gone tenant").singleElement()
                .satisfies(p -> assertThat(p).contains("Backups: " + (TENANTS + 2) + " succeeded")
                        .contains("Gone (source vanished, backups kept): " + tenantName(7)));
    }

    @Test
    void oneCorruptTenantAmongFifty_theOthersAreBackedUp_andTheRunExits1_namingIt() throws Exception {
        createDatabases();
        Path config = config();
        Map<String, BackupFolder> folders = folders();
        corrupt(tenant(13));

        JarProcess.Result run = new JarProcess(home).run("run", "--config", config.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out() + run.err()).contains(tenantName(13));
        List<String> backedUp = new ArrayList<>();
        for (Map.Entry<String, BackupFolder> folder : folders.entrySet()) {
            if (!folder.getValue().check("run").newBackups().isEmpty()) {
                backedUp.add(folder.getKey());
            }
        }
        List<String> expected = new ArrayList<>(List.of("app", "jobs"));
        IntStream.rangeClosed(1, TENANTS).filter(i -> i != 13).forEach(i -> expected.add(tenantName(i)));
        assertThat(backedUp).containsExactlyElementsOf(expected);
    }

    /** Overwrites the pages after the first with garbage: the header still says SQLite, the b-trees are gone. */
    private static void corrupt(Path db) throws IOException {
        Sqlite.exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA journal_mode=DELETE");
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] garbage = new byte[(int) file.length() - 4096];
            java.util.Arrays.fill(garbage, (byte) 0x5A);
            file.seek(4096);
            file.write(garbage);
        }
    }
}
