package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pinned backup through the jar: retention keeps it (prune's dry run says {@code pinned}), {@code list} shows the
 * pin, {@code unpin} releases it to the rules, and unpinning what is not pinned is bad input (exit 2). The pin file
 * is written here as the drift guard and {@code exec} write it: {@code .sqlite-backup/pins/<backup>.pin}.
 */
class PinnedBackupsIT {


    @TempDir
    Path home;

    private JarProcess.Result tool(String... args) {
        return new JarProcess(home).env("DATABASE_URL", home.resolve("app.db").toString()).run(args);
    }


    @Test
    void aPinnedBackup_survivesPrune_isListedAsPinned_andUnpinReleasesIt() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 50);
        Path folder = home.resolve("backups/app.db");
        BackupFolder backups = new BackupFolder(folder, "notes", 50);
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                JarProcess.awaitTheNextSecond();
            }
            JarProcess.Result run = tool("run");
            assertThat(run.exitCode()).as(run.toString()).isZero();
        }
        List<String> names = backups.check("three runs").newBackups();
        assertThat(names).hasSize(3);
        String oldest = names.get(0);
        String middle = names.get(1);
        String newest = names.get(2);
        Instant until = Instant.now().plus(90, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Path pins = Files.createDirectories(folder.resolve(".sqlite-backup/pins"));
        Files.writeString(pins.resolve(oldest + ".pin"), "until=" + until + "\nreason=table notes: 50 -> 5 rows\n",
                StandardCharsets.UTF_8);

        JarProcess.Result dryRun = tool(JarProcess.keepingOne("prune", "--dry-run"));
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains("keep    " + oldest + "  (pinned)").contains("delete?  " + middle)
                .contains("keep    " + newest + "  (last)");

        JarProcess.Result prune = tool(JarProcess.keepingOne("prune"));
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        assertThat(Files.exists(folder.resolve(oldest))).as("pinned: kept").isTrue();
        assertThat(Files.exists(folder.resolve(middle))).isFalse();

        JarProcess.Result list = tool("list");
        assertThat(list.out()).containsPattern(oldest + ".*pinned until .*: table notes: 50 -> 5 rows");
        JarProcess.Result json = tool("list", "--json");
        assertThat(json.out()).contains("\"until\": \"" + until + "\"").contains("\"pinned\": null");

        JarProcess.Result unpin = tool("unpin", oldest);
        assertThat(unpin.exitCode()).as(unpin.toString()).isZero();
        assertThat(unpin.out()).startsWith("Unpinned " + oldest + " (it was pinned until ")
                .contains(": table notes: 50 -> 5 rows)");
        assertThat(pins.resolve(oldest + ".pin")).doesNotExist();

        JarProcess.Result released = tool(JarProcess.keepingOne("prune"));
        assertThat(released.exitCode()).as(released.toString()).isZero();
        assertThat(Files.exists(folder.resolve(oldest))).as("released to the rules: deleted").isFalse();
        assertThat(Files.exists(folder.resolve(newest))).isTrue();

        JarProcess.Result again = tool("unpin", oldest);
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        assertThat(again.errLines()).containsExactly("sqlite-backup: backup " + oldest + " is not pinned in "
                + folder);
    }

    @Test
    void anExpiredPin_protectsNothing() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 10);
        Path folder = home.resolve("backups/app.db");
        JarProcess.Result first = tool("run");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        JarProcess.awaitTheNextSecond();
        assertThat(tool("run").exitCode()).isZero();
        List<String> names = new BackupFolder(folder, "notes", 10).check("two runs").newBackups();
        Path pins = Files.createDirectories(folder.resolve(".sqlite-backup/pins"));
        Files.writeString(pins.resolve(names.get(0) + ".pin"), "until=2020-01-01T00:00:00Z\nreason=old\n");

        JarProcess.Result prune = tool(JarProcess.keepingOne("prune"));

        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        assertThat(Files.exists(folder.resolve(names.get(0)))).isFalse();
        assertThat(tool("list").out()).doesNotContain("pinned");
    }
}
