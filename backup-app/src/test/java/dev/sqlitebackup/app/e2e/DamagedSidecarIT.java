package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A sidecar that exists but does not hold exactly one {@code sha256sum} line for exactly its backup is damaged:
 * {@code verify} fails naming why and {@code restore} refuses and writes nothing, in agreement with the real
 * {@code sha256sum -c --strict} run in the backup folder. The forms {@code sha256sum} accepts (binary marker, no
 * final newline, upper-case hex, one space, the tagged form, a CRLF line end) pass both. Everything runs as nobody
 * when the test runs as root, so that an unreadable sidecar is unreadable.
 */
class DamagedSidecarIT {

    /** A sidecar's content, given the backup's SHA-256 and name; or a change to the sidecar file itself. */
    enum Damage {
        EMPTY("is empty") {
            @Override
            void apply(Path sidecar, String sha, String name) throws IOException {
                Files.writeString(sidecar, "");
            }
        },
        GARBAGE("not a sha256sum line") {
            @Override
            void apply(Path sidecar, String sha, String name) throws IOException {
                Files.writeString(sidecar, "this is not a checksum\n");
            }
        },
        UNREADABLE("cannot be read") {
            @Override
            void apply(Path sidecar, String sha, String name) throws IOException {
                Files.setPosixFilePermissions(sidecar, PosixFilePermissions.fromString("---------"));
            }
        },
        NAMES_ANOTHER_FILE("names \"backup-2020-01-01-000000.db\"") {
            @Override
            void apply(Path sidecar, String sha, String name) throws IOException {
                // the right hash, the wrong file: sha256sum checks that other file, never this backup
                Files.writeString(sidecar, sha + "  backup-2020-01-01-000000.db\n");
            }
        },
        EXTRA_CHECKSUM_LINE("2 checksum lines") {
            @Override
            void apply(Path sidecar, String sha, String name) throws IOException {
                Files.writeString(sidecar, sha + "  " + name + "\n" + sha + "  backup-2020-01-01-000000.db\n");
            }
        },
        EXTRA_GARBAGE_LINE("not a sha256sum line") {
            @Override
            void apply(Path sidecar, String sha, String name) throws IOException {
                Files.writeString(sidecar, sha + "  " + name + "\nand some notes\n");
            }
        },
        A_DIRECTORY("not a regular file") {
            @Override
            void apply(Path sidecar, String sha, String name) throws IOException {
                Files.delete(sidecar);
                Files.createDirectory(sidecar);
            }
        },
        TRAILING_SPACE_IN_NAME(".db \", not this backup") {
            @Override
            void apply(Path sidecar, String sha, String name) throws IOException {
                Files.writeString(sidecar, sha + "  " + name + " \n");
            }
        },
        SHORT_HASH("not a sha256sum line") {
            @Override
            void apply(Path sidecar, String sha, String name) throws IOException {
                Files.writeString(sidecar, sha.substring(1) + "  " + name + "\n");
            }
        };

        final String cause;

        Damage(String cause) {
            this.cause = cause;
        }

        abstract void apply(Path sidecar, String sha, String name) throws IOException;
    }

    /** Forms of one line for the backup that {@code sha256sum -c --strict} accepts. */
    enum Accepted {
        TEXT_MODE("%s  %s\n"),
        BINARY_MODE("%s *%s\n"),
        NO_FINAL_NEWLINE("%s  %s"),
        ONE_SPACE("%s %s\n"),
        CRLF("%s  %s\r\n"),
        TAGGED("SHA256 (%2$s) = %1$s\n"),
        UPPER_CASE("%S  %s\n");

        final String format;

        Accepted(String format) {
            this.format = format;
        }

        String line(String sha, String name) {
            return String.format(format, sha, name);
        }
    }

    /**
     * The one backup every form starts from, made once by the jar: {@code pristine} is a copy of {@code home} right
     * after that run. The folder records its database's absolute path, so each form gets its own copy of that state
     * back at the same place, {@code home}, rather than a copy somewhere else.
     */
    @TempDir
    static Path base;

    private static Path home;
    private static Path pristine;
    private static List<String> launcher;
    private static JarProcess jar;
    private static Path backups;
    private static Path backup;
    private static Path sidecar;

    @BeforeAll
    static void oneBackup() throws Exception {
        Unprivileged.Launch launch = Unprivileged.launch();
        launcher = launch.launcher();
        home = Files.createDirectory(base.resolve("home"));
        pristine = base.resolve("pristine");
        Sqlite.createNotes(home.resolve("app.db"), 300);
        if (!launcher.isEmpty()) {
            run(List.of("chown", "-R", "65534:65534", base.toString()));
        }
        jar = launch.apply(new JarProcess(home)).env("DATABASE_URL", "app.db");
        JarProcess.Result run = jar.run("run");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        backups = home.resolve("backups/app.db");
        try (Stream<Path> files = Files.list(backups)) {
            backup = files.filter(p -> BackupFolder.BACKUP.matcher(p.getFileName().toString()).matches())
                    .findFirst().orElseThrow();
        }
        sidecar = backups.resolve(backup.getFileName() + ".sha256");
        run(List.of("cp", "-a", home.toString(), pristine.toString()));
    }

    @BeforeEach
    void theBackupAsTheJarMadeIt() throws Exception {
        run(List.of("rm", "-rf", home.toString()));
        run(List.of("cp", "-a", pristine.toString(), home.toString()));
        assertThat(sha256sum()).as("the sidecar the tool wrote passes sha256sum").isZero();
    }

    @AfterAll
    static void giveBack() throws Exception {
        run(List.of("chmod", "-R", "u+rwX", base.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Damage.class)
    void aDamagedSidecar_failsVerify_blocksRestore_andSha256sumAgrees(Damage damage) throws Exception {
        Optional<String> impossible = Unprivileged.launch().impossible();
        if (damage == Damage.UNREADABLE && impossible.isPresent()) {
            System.out.println("SKIPPED DamagedSidecarIT UNREADABLE: " + impossible.get());
            Assumptions.abort(impossible.get());
        }
        String name = backup.getFileName().toString();
        damage.apply(sidecar, BackupFolder.sha256(backup), name);
        List<String> before = entries(home);

        // the three checks only read the folder: they run side by side, the restore after them
        CompletableFuture<JarProcess.Result> latest = CompletableFuture.supplyAsync(() -> jar.run("verify"));
        CompletableFuture<JarProcess.Result> all = CompletableFuture.supplyAsync(() -> jar.run("verify", "--all"));
        CompletableFuture<JarProcess.Result> named = CompletableFuture.supplyAsync(() -> jar.run("verify", name));
        JarProcess.Result verify = latest.get();
        JarProcess.Result verifyAll = all.get();
        JarProcess.Result verifyNamed = named.get();
        JarProcess.Result restore = jar.run("restore", "latest", "--to", "restored.db");

        for (JarProcess.Result r : List.of(verify, verifyAll, verifyNamed)) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).as(r.toString()).contains("FAILED " + name).contains("sidecar")
                    .contains(damage.cause);
        }
        assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(1);
        assertThat(restore.errLines()).as(restore.toString()).singleElement().asString()
                .contains(name).contains("sidecar").contains(damage.cause).contains("nothing restored");
        assertThat(home.resolve("restored.db")).doesNotExist();
        assertThat(entries(home)).as("restore wrote nothing").isEqualTo(before);
        assertThat(sha256sum()).as("sha256sum -c --strict agrees the sidecar does not check the backup")
                .isNotZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Accepted.class)
    void aSidecarInAnyFormSha256sumAccepts_passesVerify_andRestores(Accepted form) throws Exception {
        String name = backup.getFileName().toString();
        Files.writeString(sidecar, form.line(BackupFolder.sha256(backup), name), StandardCharsets.UTF_8);
        assertThat(sha256sum()).as("sha256sum -c --strict accepts the form").isZero();

        // both only read the folder (the restore writes outside it): they run side by side
        CompletableFuture<JarProcess.Result> checked = CompletableFuture.supplyAsync(() -> jar.run("verify"));
        JarProcess.Result restore = jar.run("restore", "latest", "--to", "restored.db");
        JarProcess.Result verify = checked.get();

        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).as(verify.toString()).contains("ok     " + name).contains("sha256 ok");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(Sqlite.count(home.resolve("restored.db"), "notes")).isEqualTo(300);
    }

    /** The exit code of {@code sha256sum -c --strict SIDECAR} in the backup folder, as the jar's user. */
    private static int sha256sum() throws Exception {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("sha256sum", "-c", "--strict", sidecar.getFileName().toString()));
        Process p = new ProcessBuilder(command).directory(backups.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }
}
