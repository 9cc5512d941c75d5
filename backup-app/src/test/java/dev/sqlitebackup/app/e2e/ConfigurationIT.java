package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings through the jar: a config file applies exactly as written (a Windows editor's byte-order mark and CRLF
 * included) or is refused, naming file, line and key; a mistyped environment variable gets a warning; a run its
 * settings stop is a failed run in the history of its folder.
 */
class ConfigurationIT {

    @TempDir
    Path home;

    @BeforeEach
    void database() {
        Sqlite.createNotes(home.resolve("app.db"), 100);
    }

    private Path configFile(String content) throws IOException {
        Path file = home.resolve("sqlite-backup.env");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static List<String> backupsIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("backup-.*\\.db")).toList();
        }
    }

    @Test
    void aConfigFileFromAWindowsEditor_withByteOrderMarkAndCrLf_appliesEveryKey() throws IOException {
        Path file = configFile("\uFEFFDATABASE_URL=app.db\r\nBACKUP_DIR=kept\r\nBACKUP_VERIFY=full\r\n");

        JarProcess.Result run = new JarProcess(home).run("run", "--config", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("integrity_check ok");
        assertThat(backupsIn(home.resolve("kept"))).hasSize(1);
        assertThat(home.resolve("backups")).doesNotExist();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aMistypedKeyInTheConfigFile_isExit2_namingFileLineAndKey_andNothingIsCreated() throws IOException {
        Path file = configFile("DATABASE_URL=app.db\nBACKUP_KEEP_DAYLY=30\n");

        JarProcess.Result run = new JarProcess(home).run("run", "--config", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.errLines()).as(run.toString()).containsExactly("sqlite-backup: config file " + file
                + " line 2: unknown setting 'BACKUP_KEEP_DAYLY' (did you mean BACKUP_KEEP_DAILY?)");
        assertThat(run.out()).isEmpty();
        assertThat(home.resolve("backups")).doesNotExist();
    }

    @Test
    void aMistypedEnvironmentVariable_getsAWarning_andTheRunStillWorks() throws IOException {
        JarProcess.Result run = new JarProcess(home).env("DATABASE_URL", "app.db").env("BACKUP_KEEP_DAYLY", "30")
                .env("DATABASE_POOL_SIZE", "5").run("run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.errLines()).as(run.toString()).containsExactly("sqlite-backup: warning: environment variable "
                + "BACKUP_KEEP_DAYLY is not a setting of sqlite-backup and is ignored (did you mean "
                + "BACKUP_KEEP_DAILY?)");
        assertThat(backupsIn(home.resolve("backups/app.db"))).hasSize(1);
    }

    @Test
    void aRunStoppedByABadSetting_inAnExistingFolder_isAFailedRunInTheHistory() throws IOException {
        JarProcess.Result first = new JarProcess(home).env("DATABASE_URL", "app.db").run("run");
        assertThat(first.exitCode()).as(first.toString()).isZero();

        JarProcess.Result refused = new JarProcess(home).env("DATABASE_URL", "app.db")
                .env("BACKUP_KEEP_DAILY", "-1").run("run");
        JarProcess.Result history = new JarProcess(home).env("DATABASE_URL", "app.db").run("history");
        JarProcess.Result status = new JarProcess(home).env("DATABASE_URL", "app.db").run("status");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.errLines()).containsExactly(
                "sqlite-backup: BACKUP_KEEP_DAILY must not be negative, got -1");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        List<String> lines = history.out().lines().filter(l -> l.contains("manual")).toList();
        assertThat(lines).as(history.out()).hasSize(2);
        assertThat(lines.get(0)).as("newest first").contains("failed")
                .contains("BACKUP_KEEP_DAILY must not be negative, got -1");
        assertThat(lines.get(1)).contains("success");
        assertThat(status.out()).as(status.toString()).contains("failed");
        assertThat(backupsIn(home.resolve("backups/app.db"))).hasSize(1);
    }

    @Test
    void aBadSettingWithoutAFolder_createsNoFolderToRecordIt() {
        JarProcess.Result refused = new JarProcess(home).env("DATABASE_URL", "app.db")
                .env("BACKUP_TIMEZONE", "Mars/Olympus").run("run");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(home.resolve("backups")).doesNotExist();
    }

    @Test
    void anAbsurdShutdownGrace_isExit2_beforeTheDaemonStarts() {
        JarProcess.Result daemon = new JarProcess(home).env("DATABASE_URL", "app.db")
                .env("BACKUP_SHUTDOWN_GRACE", "200000000000d").run("daemon");

        assertThat(daemon.exitCode()).as(daemon.toString()).isEqualTo(2);
        assertThat(daemon.errLines()).containsExactly(
                "sqlite-backup: BACKUP_SHUTDOWN_GRACE must be at most 24h, got '200000000000d'");
        assertThat(home.resolve("backups")).doesNotExist();
    }
}
