package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and history entries dated in the future (a clock that was ahead, a folder copied from another machine):
 * a run with a small policy succeeds and keeps them, and they never count as the last success, so {@code status}
 * is stale and says why rather than OK with a negative age.
 */
class FutureTimesIT {

    private static final String FUTURE = "backup-2099-01-01-000000.db";
    private static final String[] KEEP_ONE = {"--keep-last", "1", "--keep-daily", "0", "--keep-weekly", "0",
        "--keep-monthly", "0"};

    @TempDir
    Path home;

    @Test
    void aBackupNamedInTheFuture_neverMakesARunFail_isKept_andTheOthersArePrunedAsIfItWereNotThere()
            throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 200);
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", "app.db");
        JarProcess.Result first = jar.run("run");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path backups = home.resolve("backups/app.db");
        String older = backupsIn(backups).get(0);
        copyAsBackup(backups.resolve(older), backups, FUTURE);
        JarProcess.awaitTheNextSecond(); // the next backup gets a name of its own

        JarProcess.Result run = jar.run(withKeepOne("run"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).as(run.toString()).doesNotContain("IllegalStateException");
        List<String> left = backupsIn(backups);
        assertThat(left).as(run.toString()).hasSize(2).contains(FUTURE).doesNotContain(older);
        String justTaken = left.stream().filter(n -> !n.equals(FUTURE)).findFirst().orElseThrow();
        assertThat(Sqlite.count(backups.resolve(justTaken), "notes")).isEqualTo(200);

        JarProcess.Result dryRun = jar.run(withKeepOne("prune", "--dry-run"));
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).as(dryRun.toString()).contains("keep    " + FUTURE + "  (future)")
                .contains("keep    " + justTaken + "  (last)");
        JarProcess.Result prune = jar.run(withKeepOne("prune"));
        assertThat(prune.exitCode()).as(prune.toString()).isZero();
        assertThat(backupsIn(backups)).containsExactly(justTaken, FUTURE);
    }

    @Test
    void restoreAndVerifyOfLatest_passOverABackupNamedInTheFuture_whichIsOlderData_andTakeItWhenItIsAllThereIs()
            throws Exception {
        // made while the clock was a few years ahead, then the clock was put right: its name is newest, its data old
        Path stale = home.resolve("stale.db");
        Sqlite.createNotes(stale, 10);
        Path backups = Files.createDirectories(home.resolve("backups/app.db"));
        copyAsBackup(stale, backups, FUTURE);
        Path restoredFuture = home.resolve("restored-future.db");
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", "app.db");
        JarProcess.Result onlyFuture = jar.run("restore", "latest", "--to", restoredFuture.toString());
        assertThat(onlyFuture.exitCode()).as(onlyFuture.toString()).isZero();
        assertThat(Sqlite.count(restoredFuture, "notes")).as("the only backup there is").isEqualTo(10);

        Sqlite.createNotes(home.resolve("app.db"), 200);
        JarProcess.Result run = jar.run("run");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path restored = home.resolve("restored.db");
        JarProcess.Result restore = jar.run("restore", "latest", "--to", restored.toString());
        JarProcess.Result verify = jar.run("verify");

        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(Sqlite.count(restored, "notes")).as(restore.toString()).isEqualTo(200);
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).as(verify.toString()).doesNotContain(FUTURE);
    }

    @Test
    void statusWithOnlyABackupNamedInTheFuture_isStale_andWarnsAboutIt() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 10);
        Path backups = Files.createDirectories(home.resolve("backups/app.db"));
        copyAsBackup(db, backups, FUTURE);
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", "app.db");

        JarProcess.Result status = jar.run("status");
        JarProcess.Result json = jar.run("status", "--json");

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
        assertThat(status.out()).as(status.toString()).contains("Last success:  never").contains("STALE")
                .containsPattern("Warning: .*" + FUTURE + ".*future");
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(1);
        JsonObject o = JsonParser.parseString(json.out()).getAsJsonObject();
        assertThat(o.get("ok").getAsBoolean()).isFalse();
        assertThat(o.get("lastSuccessAt").isJsonNull()).as(json.toString()).isTrue();
        assertThat(o.get("warnings").toString()).contains(FUTURE);
    }

    @Test
    void aHistoryEntryDatedInTheFuture_neverHidesTheCurrentFailure() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 10);
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", "app.db");
        JarProcess.Result ok = jar.run("run");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        Path state = home.resolve("backups/app.db/.sqlite-backup/state.db");
        // as a clock 73 years ahead would have recorded it
        Sqlite.exec(state, "UPDATE runs SET started_at = '2099-01-01T00:00:00.000Z', "
                + "ended_at = '2099-01-01T00:00:05.000Z'");
        Path backups = home.resolve("backups/app.db");
        for (String name : backupsIn(backups)) {
            Files.move(backups.resolve(name), home.resolve(name)); // no backup stands in
            Files.delete(backups.resolve(name + ".sha256"));
        }
        // the database is gone: its folder's current run fails (the folder belongs to app.db, so the failure must
        // be app.db's own, not another database's)
        Files.move(home.resolve("app.db"), home.resolve("app.db.away"));
        JarProcess.Result failed = jar.run("run");
        assertThat(failed.exitCode()).as(failed.toString()).isNotZero();

        JarProcess.Result status = jar.run("status");
        JarProcess.Result history = jar.run("history");
        JarProcess.Result historyJson = jar.run("history", "--json");

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
        assertThat(status.out()).as(status.toString()).contains("Last success:  never")
                .containsPattern("Last run: .*failed").contains("STALE").containsPattern("Warning: .*2099");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        List<String> lines = history.out().lines().toList();
        assertThat(lines.get(1)).as(history.toString()).contains("failed");
        assertThat(history.out()).as(history.toString()).containsPattern("2099.*in the future");
        String futureRow = JsonParser.parseString(historyJson.out()).getAsJsonArray().asList().stream()
                .map(e -> e.getAsJsonObject()).filter(r -> r.get("startedAt").getAsString().startsWith("2099"))
                .findFirst().orElseThrow().toString();
        assertThat(futureRow).contains("\"future\":true");
    }

    private static String[] withKeepOne(String... args) {
        return Stream.concat(Stream.of(args), Stream.of(KEEP_ONE)).toArray(String[]::new);
    }

    private static void copyAsBackup(Path source, Path folder, String name) throws Exception {
        Files.copy(source, folder.resolve(name));
        Files.writeString(folder.resolve(name + ".sha256"), BackupFolder.sha256(source) + "  " + name + "\n");
    }

    private static List<String> backupsIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> BackupFolder.BACKUP.matcher(n).matches())
                    .sorted().toList();
        }
    }
}
