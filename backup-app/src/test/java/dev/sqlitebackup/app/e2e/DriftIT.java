package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift guard through the jar: 90 % of a table deleted between two runs pins the earlier backup, which survives
 * a prune that would otherwise delete it, and is released by {@code unpin} and by age; the row counts are in the
 * sidecar (as comments sha256sum skips) and in the history.
 */
class DriftIT {


    @TempDir
    Path home;

    private JarProcess tool() {
        return new JarProcess(home).env("DATABASE_URL", home.resolve("app.db").toString()).env("DRIFT_PIN_DAYS", "3");
    }

    private Path folder() {
        return home.resolve("backups/app.db");
    }

    private List<String> backups() throws Exception {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("backup-.*\\.db")).sorted()
                    .toList();
        }
    }


    @Test
    void deletingNinetyPercentOfATable_pinsTheEarlierBackup_throughPrune_untilUnpinOrAge() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 1000);
        JarProcess.Result first = tool().run("run");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        String earlier = backups().get(0);
        assertThat(Files.readString(folder().resolve(earlier + ".sha256"), StandardCharsets.UTF_8))
                .contains("# rows (count(*); ~ an sqlite_stat1 estimate): notes=1000");
        assertThat(new ProcessBuilder("sha256sum", "-c", "--strict", earlier + ".sha256").directory(folder().toFile())
                .start().waitFor()).as("sha256sum skips the notes").isZero();

        Sqlite.exec(db, "DELETE FROM notes WHERE id > 100");
        JarProcess.awaitTheNextSecond();
        JarProcess.Result second = tool().run(JarProcess.keepingOne("run"));

        assertThat(second.exitCode()).as("the new backup is still published").isZero();
        assertThat(backups()).as("the earlier backup survived the run's own retention").hasSize(2).contains(earlier);
        Path pin = folder().resolve(".sqlite-backup/pins/" + earlier + ".pin");
        assertThat(Files.readString(pin)).contains("reason=table notes: 1,000 -> 100 rows");
        Instant until = Instant.parse(Files.readAllLines(pin).get(0).substring("until=".length()));
        assertThat(Duration.between(Instant.now(), until)).isBetween(Duration.ofDays(3).minusMinutes(5),
                Duration.ofDays(3));
        JarProcess.Result dryRun = tool().run(JarProcess.keepingOne("prune", "--dry-run"));
        assertThat(dryRun.out()).contains("keep    " + earlier + "  (pinned)");
        assertThat(tool().run("list").out()).contains("pinned until").contains("table notes: 1,000 -> 100 rows");
        JarProcess.Result history = tool().run("history", "--json");
        assertThat(history.exitCode()).isZero();

        JarProcess.Result prune = tool().run(JarProcess.keepingOne("prune"));
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        assertThat(backups()).contains(earlier);

        // released by unpin
        assertThat(tool().run("unpin", earlier).exitCode()).isZero();
        assertThat(tool().run(JarProcess.keepingOne("prune")).exitCode()).isZero();
        assertThat(backups()).doesNotContain(earlier);
    }

    @Test
    void aPinThatAgedPastDriftPinDays_releasesTheBackup() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 1000);
        assertThat(tool().run("run").exitCode()).isZero();
        String earlier = backups().get(0);
        Sqlite.exec(db, "DELETE FROM notes WHERE id > 50");
        JarProcess.awaitTheNextSecond();
        assertThat(tool().run(JarProcess.keepingOne("run")).exitCode()).isZero();
        Path pin = folder().resolve(".sqlite-backup/pins/" + earlier + ".pin");
        assertThat(pin).exists();
        // the days have passed: the pin's time is behind us
        List<String> lines = Files.readAllLines(pin);
        Files.writeString(pin, "until=" + Instant.now().minusSeconds(60) + "\n" + lines.get(1) + "\n");

        assertThat(tool().run(JarProcess.keepingOne("prune")).exitCode()).isZero();

        assertThat(backups()).doesNotContain(earlier);
    }
}
