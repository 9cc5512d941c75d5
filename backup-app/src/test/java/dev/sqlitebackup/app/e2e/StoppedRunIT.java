package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manual run stopped with SIGTERM ends as a run, not as a corpse: no "unfinished" row, no scratch file. */
class StoppedRunIT {

    @TempDir
    Path home;

    private static List<String> names(Path dir, String regex) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches(regex)).toList();
        }
    }

    @Test
    void sigtermDuringAManualRun_letsItFinish_andLeavesNoUnfinishedRowOrScratchFile() throws Exception {
        Path db = home.resolve("big.db");
        Sqlite.exec(db, "PRAGMA journal_mode=WAL", "CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000) "
                        + "INSERT INTO blobs (body) SELECT randomblob(2048) FROM n");
        Map<String, String> env = Map.of("DATABASE_URL", "big.db");
        JarProcess.Result first = new JarProcess(home).env("DATABASE_URL", "big.db").run("run");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path scratch = home.resolve("backups/big.db").resolve(".sqlite-backup");

        JarProcess.Result stopped;
        try (JarDaemon run = JarDaemon.start(home, env, "run", "--verify", "full")) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (names(scratch, "tmp-.*").isEmpty()) {
                assertThat(run.isAlive()).as("the run ended before it could be stopped").isTrue();
                assertThat(Instant.now()).as("no scratch file appeared").isBefore(deadline);
                Thread.sleep(10);
            }
            stopped = run.terminate();
        }

        JarProcess.Result history = new JarProcess(home).env("DATABASE_URL", "big.db").run("history");
        assertThat(history.out()).as(history.toString()).doesNotContain("unfinished");
        assertThat(history.out().lines().filter(l -> l.contains("manual") && l.contains("success")).count())
                .as(history.out()).isEqualTo(2);
        assertThat(names(scratch, "tmp-.*")).as("no scratch file left").isEmpty();
        assertThat(names(home.resolve("backups/big.db"), "backup-.*\\.db")).hasSize(2);
        assertThat(stopped.err()).as(stopped.toString()).contains("the running backup may finish first");
        assertThat(stopped.out()).as("what it made is said").contains("Backed up");
    }
}
