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
 * A YAML config file of many databases through the jar: it loads (the parser is in the jar), a database is picked
 * with --db, and each parse error of the proof (bad YAML, an unknown key, duplicate names from a glob, a
 * missing ${VAR}) is exit 2 with one line naming the file and the line, and nothing is created.
 */
class YamlConfigIT {

    @TempDir
    Path home;

    @BeforeEach
    void databases() throws IOException {
        Sqlite.createNotes(home.resolve("app.db"), 50);
        for (String tenant : List.of("acme", "globex")) {
            Files.createDirectories(home.resolve("tenants").resolve(tenant));
            Sqlite.createNotes(home.resolve("tenants").resolve(tenant).resolve("data.db"), 10);
        }
    }

    private Path config(String yaml) throws IOException {
        Path file = home.resolve("sqlite-backup.yml");
        Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private String header() {
        return "defaults:\n  backup_root: " + home.resolve("backups") + "\ndatabases:\n  - name: app\n    path: "
                + home.resolve("app.db") + "\n";
    }

    private List<String> tree() throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            return files.map(p -> home.relativize(p).toString()).sorted().toList();
        }
    }

    private void refused(String yaml, String line, String... mentions) throws IOException {
        Path file = config(yaml);
        List<String> before = tree();
        for (List<String> args : List.of(List.of("run", "--config", file.toString()),
                List.of("list", "--db", "app", "--config", file.toString()))) {
            JarProcess.Result result = new JarProcess(home).run(args.toArray(String[]::new));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.errLines()).as(result.toString()).hasSize(1);
            assertThat(result.errLines().get(0)).as(result.toString())
                    .startsWith("sqlite-backup: config file " + file + " line " + line);
            for (String mention : mentions) {
                assertThat(result.errLines().get(0)).contains(mention);
            }
            assertThat(result.out()).isEmpty();
            assertThat(tree()).as("nothing created: no backup folder, no state db").isEqualTo(before);
        }
    }

    @Test
    void badYaml_isExit2_namingFileAndLine() throws IOException {
        refused(header() + "    keep: {daily: 7\n", "6 is not valid YAML", "expected ',' or '}'");
    }

    @Test
    void anUnknownKey_isExit2_namingFileLineAndKey() throws IOException {
        refused(header() + "    keep:\n      dayly: 7\n", "7, key databases[0].keep.dayly: unknown key",
                "did you mean databases[0].keep.daily?");
    }

    @Test
    void duplicateNamesFromAGlob_areExit2_namingBothFiles() throws IOException {
        refused(header() + "  - glob: " + home + "/tenants/*/data.db\n", "6, key databases[1].glob",
                "gives two databases the name 'data'", home.resolve("tenants/acme/data.db").toString(),
                home.resolve("tenants/globex/data.db").toString());
    }

    @Test
    void aMissingVariable_isExit2_namingFileLineKeyAndVariable() throws IOException {
        refused(header() + "    ntfy: {topic: \"${BACKUP_TOPIC}\"}\n",
                "6, key databases[0].ntfy.topic: environment variable BACKUP_TOPIC is not set");
    }

    @Test
    void aConfigWhoseGlobsMatchNothing_isExit2ForEveryCommandOverAll_notAGreenStatusOfNoDatabase()
            throws IOException {
        Path file = config("defaults:\n  backup_root: " + home.resolve("backups") + "\ndatabases:\n  - glob: " + home
                + "/tenant/*/data.db\n    name_from: parent_dir\n"); // "tenant", not "tenants": a typo
        List<String> before = tree();
        for (String command : List.of("run", "status", "verify", "prune", "drill")) {
            JarProcess.Result result = new JarProcess(home).run(command, "--config", file.toString());

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).as(result.toString())
                    .contains("glob " + home + "/tenant/*/data.db matches no database")
                    .contains("sqlite-backup: " + command + ": config file " + file
                            + " has no database (its globs match no file)");
            assertThat(result.out()).as(result.toString()).isEmpty();
        }
        assertThat(tree()).as("nothing created").isEqualTo(before);
    }

    @Test
    void aValidFile_backsUpTheDatabasePickedWithDb_inItsFolderUnderTheBackupRoot() throws IOException {
        Path file = config(header() + "  - glob: " + home + "/tenants/*/data.db\n    name_from: parent_dir\n"
                + "    keep: {daily: 3}\n");

        JarProcess.Result run = new JarProcess(home).env("DATABASE_URL", "elsewhere.db")
                .run("run", "--config", file.toString(), "--db", "globex");
        JarProcess.Result list = new JarProcess(home).env("SQLITE_BACKUP_CONFIG", file.toString())
                .run("list", "--db", "globex");
        JarProcess.Result noDb = new JarProcess(home).run("list", "--config", file.toString());
        JarProcess.Result database = new JarProcess(home).run("run", "--config", file.toString(), "--database",
                "app.db");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.errLines()).as("a leftover DATABASE_URL is not applied, and said so").containsExactly(
                "sqlite-backup: warning: environment variable DATABASE_URL is not applied: the settings come from "
                        + "config file " + file + " (write ${DATABASE_URL} in it to use the variable)");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("1 backup(s) in " + home.resolve("backups/globex"));
        assertThat(home.resolve("backups/app")).doesNotExist();
        assertThat(home.resolve("backups/acme")).doesNotExist();
        assertThat(home.resolve("elsewhere.db")).doesNotExist();
        assertThat(noDb.exitCode()).as(noDb.toString()).isEqualTo(2);
        assertThat(noDb.errLines()).containsExactly("sqlite-backup: list: config file " + file
                + " has 3 databases: pass --db NAME (one of app, acme, globex)");
        assertThat(database.exitCode()).as(database.toString()).isEqualTo(2);
        assertThat(database.errLines()).containsExactly("sqlite-backup: --database cannot be used with the config "
                + "file " + file + ", which lists the databases: pick one with --db NAME");
    }
}
