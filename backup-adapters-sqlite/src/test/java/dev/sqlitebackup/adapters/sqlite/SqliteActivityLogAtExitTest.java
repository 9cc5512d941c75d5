package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's connection to the state database is closed on another thread after its end is recorded; a process that
 * exits right after its runs (a `run` from cron) still leaves every state database closed: its -wal checkpointed
 * into it and removed. (Here the closes beat the JVM's exit even without the shutdown hook that waits for them; the
 * hook is for disks whose fsync takes longer than the exit.)
 */
class SqliteActivityLogAtExitTest {

    @TempDir
    Path temp;

    /** Records runs of many databases, each in its own state database, then exits at once. */
    public static void main(String[] args) {
        Instant t0 = Instant.parse("2026-08-18T03:00:00Z");
        for (String file : args) {
            SqliteActivityLog log = new SqliteActivityLog(Path.of(file));
            RunRecord started = log.start(RunTrigger.MANUAL, t0);
            log.finish(started.ended(t0.plusSeconds(1), RunRecord.Outcome.SUCCESS, Optional.empty(),
                    Optional.empty(), Optional.empty()));
        }
        System.exit(0);
    }

    @Test
    void aProcessExitingRightAfterItsRuns_leavesEveryStateDatabaseClosed() throws Exception {
        List<String> files = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            files.add(temp.resolve("db" + i).resolve(".sqlite-backup").resolve("state.db").toString());
        }
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SqliteActivityLogAtExitTest.class.getName()));
        command.addAll(files);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        for (String file : files) {
            assertThat(Path.of(file)).isNotEmptyFile();
            assertThat(Path.of(file + "-wal")).as("closed before the process ended").doesNotExist();
            assertThat(Path.of(file + "-shm")).doesNotExist();
            assertThat(new SqliteActivityLog(Path.of(file)).lastSuccess()).isPresent();
        }
        try (Stream<Path> folders = Files.list(temp)) {
            assertThat(folders.count()).isEqualTo(20);
        }
    }
}
