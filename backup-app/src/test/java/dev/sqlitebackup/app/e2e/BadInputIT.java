package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
 * Bad input through the jar: each case gets its documented exit code and one line on stderr naming the thing and
 * the cause, and nothing in the working folder is created, changed or deleted.
 */
class BadInputIT {

    @TempDir
    Path home;

    /** A case: its setup in the working folder, the environment, the arguments, and what must be said. */
    record Case(String name, Function<Path, Map<String, String>> setup, List<String> args, int exit,
            List<String> mentions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, Function<Path, Map<String, String>> setup, List<String> args, int exit,
            String... mentions) {
        return new Case(name, setup, args, exit, List.of(mentions));
    }

    private static Map<String, String> goodDb(Path home) {
        Sqlite.createNotes(home.resolve("app.db"), 10);
        return Map.of("DATABASE_URL", "app.db");
    }

    private static Map<String, String> write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Map.of();
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(c("missing database", h -> Map.of(), List.of("run", "--database", "missing.db"), 2,
                "missing.db", "does not exist"));
        cases.add(c("database is a directory", h -> {
            try {
                Files.createDirectory(h.resolve("dir.db"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return Map.of();
        }, List.of("run", "--database", "dir.db"), 2, "dir.db", "directory"));
        cases.add(c("empty file", h -> write(h.resolve("empty.db"), new byte[0]),
                List.of("run", "--database", "empty.db"), 1, "empty.db", "empty"));
        cases.add(c("text file", h -> write(h.resolve("notes.txt"), "hello, not a database\n".repeat(50).getBytes()),
                List.of("run", "--database", "notes.txt"), 1, "notes.txt", "not an SQLite database"));
        cases.add(c("no database given", h -> Map.of(), List.of("run"), 2, "DATABASE_URL"));
        cases.add(c("unsupported URL scheme", h -> Map.of("DATABASE_URL", "postgres://db.example/app"),
                List.of("run"), 2, "DATABASE_URL", "postgres"));
        cases.add(c("sqlite URL with two slashes", h -> Map.of("DATABASE_URL", "sqlite://app.db"),
                List.of("run"), 2, "DATABASE_URL", "three slashes"));
        cases.add(c("backup dir is a file", h -> {
            goodDb(h);
            return write(h.resolve("backups"), "a file".getBytes());
        }, List.of("run", "--database", "app.db"), 2, "backups", "not a directory"));
        cases.add(c("negative retention", h -> {
            goodDb(h);
            return Map.of("BACKUP_KEEP_DAILY", "-1");
        }, List.of("run", "--database", "app.db"), 2, "BACKUP_KEEP_DAILY", "negative"));
        cases.add(c("non-numeric retention flag", h -> goodDb(h), List.of("run", "--keep-weekly", "four"), 2,
                "BACKUP_KEEP_WEEKLY", "--keep-weekly", "four"));
        cases.add(c("all-zero retention", h -> {
            goodDb(h);
            return Map.of("BACKUP_KEEP_DAILY", "0", "BACKUP_KEEP_WEEKLY", "0", "BACKUP_KEEP_MONTHLY", "0",
                    "BACKUP_KEEP_LAST", "0");
        }, List.of("run", "--database", "app.db"), 2, "all 0"));
        cases.add(c("unknown time zone", h -> goodDb(h), List.of("run", "--timezone", "Mars/Olympus"), 2,
                "BACKUP_TIMEZONE", "Mars/Olympus"));
        cases.add(c("bad verify level", h -> goodDb(h), List.of("run", "--verify", "thorough"), 2,
                "BACKUP_VERIFY", "thorough"));
        cases.add(c("unknown option", h -> goodDb(h), List.of("run", "--vacuum-harder"), 2, "--vacuum-harder"));
        cases.add(c("missing config file", h -> goodDb(h), List.of("run", "--config", "nope.properties"), 2,
                "nope.properties", "does not exist"));
        cases.add(c("restore of an unknown backup", h -> goodDb(h),
                List.of("restore", "backup-2020-01-01-000000.db", "--to", "out.db"), 2,
                "backup-2020-01-01-000000.db"));
        cases.add(c("restore of a non-name", h -> goodDb(h), List.of("restore", "yesterday", "--to", "out.db"), 2,
                "yesterday", "not a backup name"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput_getsOneLine_itsExitCode_andChangesNothing(Case c) throws IOException {
        Map<String, String> env = c.setup().apply(home);
        Map<String, String> before = snapshot(home);
        JarProcess jar = new JarProcess(home);
        env.forEach(jar::env);

        JarProcess.Result result = jar.run(c.args().toArray(String[]::new));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(c.exit());
        assertThat(result.errLines()).as(result.toString()).hasSize(1);
        String line = result.errLines().get(0);
        assertThat(line).startsWith("sqlite-backup: ");
        c.mentions().forEach(m -> assertThat(line).contains(m));
        assertThat(line).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.out()).isEmpty();
        assertThat(snapshot(home)).as("nothing created, changed or deleted").isEqualTo(before);
    }

    /** Every path under the folder with its size and modification time. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String kind = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : Files.size(p) + "@" + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                files.put(root.relativize(p).toString(), kind);
            }
        }
        return files;
    }
}
