package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data assertions through the jar, on real databases: a passing one lets the backup be published; a failing one
 * fails the run (exit 1, naming it) with no new backup and nothing deleted; a query that could write, or two
 * statements, is refused before anything runs (exit 2, nothing created); the YAML config's inline list works too.
 */
class AssertionsIT {

    @TempDir
    Path home;

    private Path assertions(String... items) throws Exception {
        Path file = home.resolve("assertions.yml");
        Files.writeString(file, "assertions:\n" + String.join("", items), StandardCharsets.UTF_8);
        return file;
    }

    private static String item(String name, String sql, String expect) {
        return "  - name: " + name + "\n    sql: \"" + sql.replace("\"", "\\\"") + "\"\n    expect: \"" + expect
                + "\"\n";
    }

    private JarProcess tool(Path assertionsFile) {
        return new JarProcess(home).env("DATABASE_URL", home.resolve("app.db").toString())
                .env("ASSERTIONS_FILE", assertionsFile.toString());
    }

    private List<String> backups() throws Exception {
        Path folder = home.resolve("backups/app.db");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("backup-.*\\.db")).sorted()
                    .toList();
        }
    }

    @Test
    void passingAssertions_letTheBackupBePublished() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 30);
        Path file = assertions(item("notes", "SELECT count(*) FROM notes", ">= 1"),
                item("fresh", "SELECT strftime('%s','now') - strftime('%s','now','-1 hour')", "< 172800"));

        JarProcess.Result run = tool(file).run("run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(backups()).hasSize(1);
    }

    @Test
    void aFailingAssertion_failsTheRun_namingIt_andPublishesAndDeletesNothing() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 30);
        Path passing = assertions(item("notes", "SELECT count(*) FROM notes", ">= 1"));
        assertThat(tool(passing).run("run").exitCode()).isZero();
        List<String> before = backups();
        Sqlite.exec(home.resolve("app.db"), "DELETE FROM notes");
        Path file = assertions(item("notes", "SELECT count(*) FROM notes", ">= 1"));
        JarProcess.awaitTheNextSecond();

        JarProcess.Result run = tool(file).run("run", "--keep-last", "1", "--keep-daily", "0", "--keep-weekly", "0",
                "--keep-monthly", "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString()
                .contains("failed data assertion notes: 0, expected >= 1")
                .contains("the copy was not published and nothing was deleted");
        assertThat(backups()).as("no new backup, and the old one kept").isEqualTo(before);
        assertThat(new BackupFolder(home.resolve("backups/app.db"), "notes", 30).scratch()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE FROM notes", "UPDATE notes SET body = ''", "ATTACH DATABASE 'x.db' AS x",
        "PRAGMA writable_schema=1", "SELECT count(*) FROM notes; DELETE FROM notes"})
    void aQueryThatCouldWrite_isRefusedBeforeAnythingRuns_exit2_nothingCreated(String sql) throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 30);
        Path file = assertions(item("notes", "SELECT count(*) FROM notes", ">= 1"), item("bad", sql, ">= 0"));

        JarProcess.Result run = tool(file).run("run");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().startsWith("sqlite-backup: assertions file " + file
                + " line 5, key assertions[1]: assertion 'bad': sql must be");
        assertThat(home.resolve("backups")).doesNotExist();
        assertThat(Sqlite.count(home.resolve("app.db"), "notes")).isEqualTo(30);
    }

    @Test
    void theYamlConfigsInlineList_appliesToItsDatabase() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 30);
        Sqlite.createNotes(home.resolve("empty.db"), 1);
        Sqlite.exec(home.resolve("empty.db"), "DELETE FROM notes");
        Path config = home.resolve("sb.yml");
        Files.writeString(config, String.join("\n",
                "defaults:",
                "  backup_root: " + home.resolve("kept"),
                "  assertions:",
                "    - {name: notes, sql: \"SELECT count(*) FROM notes\", expect: \">= 1\"}",
                "databases:",
                "  - name: app",
                "    path: " + home.resolve("app.db"),
                "  - name: empty",
                "    path: " + home.resolve("empty.db"),
                ""), StandardCharsets.UTF_8);

        JarProcess.Result app = new JarProcess(home).run("run", "--config", config.toString(), "--db", "app");
        JarProcess.Result empty = new JarProcess(home).run("run", "--config", config.toString(), "--db", "empty");

        assertThat(app.exitCode()).as(app.toString()).isZero();
        assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(1);
        assertThat(empty.err()).contains("failed data assertion notes: 0, expected >= 1");
    }
}
