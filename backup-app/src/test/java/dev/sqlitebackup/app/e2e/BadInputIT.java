package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the jar: each case gets its documented exit code and one line on stderr naming the thing and
 * the cause, and nothing in the working folder is created, changed or deleted. Cases that file permissions must
 * stop run as nobody through {@code setpriv} when the test runs as root (see {@link Unprivileged}). These are the
 * cases that need the real process and real files (permissions, damaged databases, credentials files, the adapters'
 * own settings); bad settings and arguments that the command line alone refuses are checked in-process, without a
 * JVM start each, by {@code cli.BadInputTest}.
 */
class BadInputIT {

    @TempDir
    Path home;

    /**
     * A case: its setup in the working folder, the environment, the arguments, and what must be said; {@code
     * permissions} when file modes must stop the jar (so as root it runs as nobody).
     */
    record Case(String name, Function<Path, Map<String, String>> setup, List<String> args, int exit,
            List<String> mentions, boolean permissions) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, Function<Path, Map<String, String>> setup, List<String> args, int exit,
            String... mentions) {
        return new Case(name, setup, args, exit, List.of(mentions), false);
    }

    /** A case that file permissions must stop. */
    private static Case denied(String name, Function<Path, Map<String, String>> setup, List<String> args, int exit,
            String... mentions) {
        return new Case(name, setup, args, exit, List.of(mentions), true);
    }

    /** A rollback-journal database (a WAL one gets its -wal and -shm from any reader, as SQLite does). */
    private static Path journalDb(Path db) {
        Sqlite.exec(db, "PRAGMA journal_mode=DELETE",
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                        + "INSERT INTO notes (body) SELECT 'note ' || i || ' ' || hex(randomblob(64)) FROM n");
        return db;
    }

    /** Page 2 (the table's root) overwritten: the header is fine, the b-tree is not. */
    private static Map<String, String> corruptPage(Path db) {
        try {
            byte[] bytes = Files.readAllBytes(journalDb(db));
            int pageSize = ByteBuffer.wrap(bytes).getShort(16) & 0xFFFF;
            java.util.Arrays.fill(bytes, pageSize, 2 * pageSize, (byte) 0xAB);
            Files.write(db, bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Map.of();
    }

    private static Map<String, String> truncated(Path db) {
        try {
            byte[] bytes = Files.readAllBytes(journalDb(db));
            Files.write(db, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Map.of();
    }

    private static void chmod(Path path, String mode) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path mkdir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** With Drive on, through a credentials file holding {@code content}. */
    private static Map<String, String> credentials(Path home, String content) {
        write(home.resolve("creds.json"), content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        chmod(home.resolve("creds.json"), "rw-------");
        return goodDbAnd(home, "GOOGLE_DRIVE_CREDENTIALS", home.resolve("creds.json").toString());
    }

    private static Map<String, String> goodDb(Path home) {
        Sqlite.createNotes(home.resolve("app.db"), 10);
        return Map.of("DATABASE_URL", "app.db");
    }

    /** A good database as DATABASE_URL, and further settings. */
    private static Map<String, String> goodDbAnd(Path home, String... keysAndValues) {
        Map<String, String> env = new TreeMap<>(goodDb(home));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
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
        cases.add(c("backup dir is a file", h -> {
            goodDb(h);
            return write(h.resolve("backups"), "a file".getBytes());
        }, List.of("run", "--database", "app.db"), 2, "backups", "not a directory"));
        cases.add(c("truncated SQLite file", h -> truncated(h.resolve("half.db")),
                List.of("run", "--database", "half.db"), 1, "half.db", "is truncated", "header says"));
        cases.add(c("SQLite file with a corrupted page", h -> corruptPage(h.resolve("damaged.db")),
                List.of("run", "--database", "damaged.db"), 1, "backup of damaged.db failed",
                "database disk image is malformed"));
        cases.add(c("SQLite file with a corrupted page, copied page by page",
                h -> corruptPage(h.resolve("damaged.db")), List.of("run", "--no-vacuum", "--database", "damaged.db"),
                1, "backup of damaged.db failed verification", "quick_check failed", "malformed",
                "the database itself may be corrupt"));
        cases.add(c("corrupted page, into an empty backup dir that was there", h -> {
            mkdir(h.resolve("backups").resolve("damaged.db"));
            return corruptPage(h.resolve("damaged.db"));
        }, List.of("run", "--database", "damaged.db"), 1, "backup of damaged.db failed", "malformed"));
        cases.add(denied("unreadable database (mode 000)", h -> {
            goodDb(h);
            chmod(h.resolve("app.db"), "---------");
            return Map.of();
        }, List.of("run", "--database", "app.db"), 2, "database app.db is not readable: permission denied"));
        cases.add(denied("database in a folder without search permission", h -> {
            Path locked = mkdir(h.resolve("locked"));
            Sqlite.createNotes(locked.resolve("app.db"), 10);
            chmod(locked, "rw-------");
            return Map.of();
        }, List.of("run", "--database", "locked/app.db"), 2,
                "database locked/app.db is not readable: permission denied"));
        cases.add(denied("backup dir not writable", h -> {
            goodDb(h);
            chmod(mkdir(h.resolve("backups").resolve("app.db")), "r-xr-xr-x");
            return Map.of();
        }, List.of("run", "--database", "app.db"), 2, "backup dir ",
                "backups/app.db is not writable: permission denied"));
        cases.add(c("credentials file missing",
                h -> goodDbAnd(h, "GOOGLE_DRIVE_CREDENTIALS", h.resolve("nope.json").toString()), List.of("run"), 2,
                "GOOGLE_DRIVE_CREDENTIALS", "nope.json", "no such file"));
        cases.add(c("credentials file not JSON", h -> credentials(h, "client_secret = hunter2\n"),
                List.of("run"), 2, "GOOGLE_DRIVE_CREDENTIALS", "creds.json", "not JSON"));
        cases.add(c("credentials file of the wrong type", h -> credentials(h,
                "{\"type\": \"external_account\", \"audience\": \"x\"}"), List.of("run"), 2,
                "GOOGLE_DRIVE_CREDENTIALS", "creds.json", "unknown credentials type 'external_account'"));
        cases.add(c("credentials file a JSON array", h -> credentials(h, "[\"authorized_user\"]"),
                List.of("list", "--remote"), 2, "GOOGLE_DRIVE_CREDENTIALS", "creds.json", "not a JSON object"));
        cases.add(c("credentials file without its refresh token", h -> credentials(h,
                "{\"type\": \"authorized_user\", \"client_id\": \"a\", \"client_secret\": \"b\"}"),
                List.of("run"), 2, "GOOGLE_DRIVE_CREDENTIALS", "creds.json", "without \"refresh_token\""));
        cases.add(c("local compression unknown", h -> goodDbAnd(h, "LOCAL_COMPRESSION", "gzip"), List.of("run"), 2,
                "LOCAL_COMPRESSION", "must be 'zstd' or 'none', got 'gzip'"));
        cases.add(c("page copy unknown", h -> goodDbAnd(h, "BACKUP_COPY", "kernel"), List.of("run", "--no-vacuum"),
                2, "BACKUP_COPY", "must be 'raw' or 'api', got 'kernel'"));
        cases.add(c("ntfy URL not a URL", h -> goodDbAnd(h, "NTFY_TOPIC", "backups", "NTFY_URL", "not a url"),
                List.of("run"), 2, "NTFY_URL", "is not a URL", "not a url"));
        cases.add(c("ntfy URL of another scheme",
                h -> goodDbAnd(h, "NTFY_TOPIC", "backups", "NTFY_URL", "ftp://ntfy.example"),
                List.of("notify-test"), 2, "NTFY_URL", "http or https", "ftp://ntfy.example"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput_getsOneLine_itsExitCode_andChangesNothing(Case c) throws IOException {
        Unprivileged.Launch launch = Unprivileged.launch();
        if (c.permissions() && launch.impossible().isPresent()) {
            System.out.println("SKIPPED BadInputIT '" + c.name() + "': " + launch.impossible().get());
        }
        Assumptions.assumeTrue(!c.permissions() || launch.impossible().isEmpty(),
                () -> launch.impossible().orElse(""));
        Map<String, String> env = c.setup().apply(home);
        Map<String, String> before = snapshot(home);
        JarProcess jar = new JarProcess(home);
        if (c.permissions()) {
            chmod(home, "rwxr-xr-x"); // nobody may enter the working folder, and no further
            launch.apply(jar);
        }
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

    /** Gives the owner back every folder a case locked, so the temporary folder can be removed. */
    @AfterEach
    void unlock() throws Exception {
        new ProcessBuilder("chmod", "-R", "u+rwX", home.toString()).inheritIO().start().waitFor();
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

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                files.put(root.relativize(file).toString(), "unreadable");
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
