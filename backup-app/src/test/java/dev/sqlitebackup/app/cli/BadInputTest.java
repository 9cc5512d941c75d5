package dev.sqlitebackup.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad settings and arguments, in-process through the picocli command line over {@link FakeUseCases}: each case gets
 * its documented exit code and one line on stderr naming the thing and the cause, nothing in the folder is created,
 * changed or deleted, and no backup, restore or record reaches the (fake) backup folder or history. What needs a
 * real process or real files (permissions, damaged databases, credentials files, the ntfy URL that the real adapter
 * reads) stays in {@code e2e.BadInputIT}, through the jar.
 */
class BadInputTest {

    @TempDir
    Path home;

    /** A case: its setup in the folder (returning the environment), the arguments, and what must be said. */
    record Case(String name, Function<Path, Map<String, String>> setup, Function<Path, List<String>> args, int exit,
            List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, Function<Path, Map<String, String>> setup, List<String> args, int exit,
            String... mentions) {
        return new Case(name, setup, h -> args, exit, List.of(mentions));
    }

    /** A case whose arguments name files in the folder. */
    private static Case c(String name, Function<Path, Map<String, String>> setup,
            Function<Path, List<String>> args, int exit, String... mentions) {
        return new Case(name, setup, args, exit, List.of(mentions));
    }

    /** A small SQLite database as DATABASE_URL (absolute: the test's working folder is not {@code home}). */
    private static Map<String, String> goodDb(Path home) {
        Path db = home.resolve("app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
            s.execute("INSERT INTO notes (body) VALUES ('one'), ('two')");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return Map.of("DATABASE_URL", db.toString());
    }

    /** A good database as DATABASE_URL, and further settings. */
    private static Map<String, String> goodDbAnd(Path home, String... keysAndValues) {
        Map<String, String> env = new TreeMap<>(goodDb(home));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(c("no database given", h -> Map.of(), List.of("run"), 2, "DATABASE_URL"));
        cases.add(c("unsupported URL scheme", h -> Map.of("DATABASE_URL", "postgres://db.example/app"),
                List.of("run"), 2, "DATABASE_URL", "postgres"));
        cases.add(c("sqlite URL with two slashes", h -> Map.of("DATABASE_URL", "sqlite://app.db"),
                List.of("run"), 2, "DATABASE_URL", "three slashes"));
        cases.add(c("negative retention", h -> goodDbAnd(h, "BACKUP_KEEP_DAILY", "-1"), List.of("run"), 2,
                "BACKUP_KEEP_DAILY", "negative"));
        cases.add(c("non-numeric retention flag", BadInputTest::goodDb, List.of("run", "--keep-weekly", "four"), 2,
                "BACKUP_KEEP_WEEKLY", "--keep-weekly", "four"));
        cases.add(c("all-zero retention", h -> goodDbAnd(h, "BACKUP_KEEP_DAILY", "0", "BACKUP_KEEP_WEEKLY", "0",
                "BACKUP_KEEP_MONTHLY", "0", "BACKUP_KEEP_LAST", "0"), List.of("run"), 2, "all 0"));
        cases.add(c("unknown time zone", BadInputTest::goodDb, List.of("run", "--timezone", "Mars/Olympus"), 2,
                "BACKUP_TIMEZONE", "Mars/Olympus"));
        cases.add(c("bad verify level", BadInputTest::goodDb, List.of("run", "--verify", "thorough"), 2,
                "BACKUP_VERIFY", "thorough"));
        cases.add(c("unknown option", BadInputTest::goodDb, List.of("run", "--vacuum-harder"), 2,
                "--vacuum-harder"));
        cases.add(c("missing config file", BadInputTest::goodDb,
                h -> List.of("run", "--config", h.resolve("nope.properties").toString()), 2, "nope.properties",
                "does not exist"));
        cases.add(c("restore of an unknown backup", BadInputTest::goodDb,
                h -> List.of("restore", "backup-2020-01-01-000000.db", "--to", h.resolve("out.db").toString()), 2,
                "backup-2020-01-01-000000.db"));
        cases.add(c("restore of a non-name", BadInputTest::goodDb,
                h -> List.of("restore", "yesterday", "--to", h.resolve("out.db").toString()), 2, "yesterday",
                "not a backup name"));
        cases.add(c("DATABASE_URL of another database's jdbc scheme",
                h -> Map.of("DATABASE_URL", "jdbc:postgresql://db.example/app"), List.of("run"), 2,
                "DATABASE_URL", "jdbc:postgresql://db.example/app", "not an SQLite URL"));
        cases.add(c("non-numeric retention variable", h -> goodDbAnd(h, "BACKUP_KEEP_LAST", "seven"),
                List.of("run"), 2, "BACKUP_KEEP_LAST", "whole number", "seven"));
        cases.add(c("unknown time zone variable", h -> goodDbAnd(h, "BACKUP_TIMEZONE", "Europe/Atlantis"),
                List.of("run"), 2, "BACKUP_TIMEZONE", "not a known time zone", "Europe/Atlantis"));
        cases.add(c("invalid cron", h -> goodDbAnd(h, "BACKUP_SCHEDULE", "not a cron"), List.of("daemon"), 2,
                "BACKUP_SCHEDULE", "'not a cron' is not a usable schedule"));
        cases.add(c("cron with an hour out of range", BadInputTest::goodDb,
                List.of("daemon", "--schedule", "0 25 * * *"), 2, "BACKUP_SCHEDULE (--schedule)", "0 25 * * *",
                "not a usable schedule"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput_getsOneLine_itsExitCode_andChangesNothing(Case c) throws IOException {
        Map<String, String> env = c.setup().apply(home);
        Map<String, String> before = snapshot(home);
        Cli cli = new Cli(Clock.systemUTC());

        Cli.Result result = cli.run(env, c.args().apply(home).toArray(String[]::new));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(c.exit());
        assertThat(result.errLines()).as(result.toString()).hasSize(1);
        String line = result.errLines().get(0);
        assertThat(line).startsWith("sqlite-backup: ");
        c.mentions().forEach(m -> assertThat(line).contains(m));
        assertThat(line).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.out()).isEmpty();
        assertThat(snapshot(home)).as("nothing created, changed or deleted").isEqualTo(before);
        assertThat(cli.useCases.files.under(Path.of("/"))).as("nothing written through the use cases").isEmpty();
        assertThat(cli.useCases.log.all()).as("no run recorded").isEmpty();
        assertThat(cli.useCases.repository.exists()).as("no backup folder prepared").isFalse();
    }

    /** Every path under the folder with its size and modification time (symlinks not followed). */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                files.put(root.relativize(dir).toString(), "dir");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                files.put(root.relativize(file).toString(), attrs.isSymbolicLink()
                        ? "-> " + Files.readSymbolicLink(file) : attrs.size() + "@" + attrs.lastModifiedTime());
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
