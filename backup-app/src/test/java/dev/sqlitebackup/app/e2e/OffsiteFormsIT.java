package dev.sqlitebackup.app.e2e;

import static dev.sqlitebackup.app.e2e.DriveCopies.backups;
import static dev.sqlitebackup.app.e2e.DriveCopies.sidecarSha256;
import static dev.sqlitebackup.app.e2e.DriveCopies.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.adapters.drive.FakeDrive;
import dev.sqlitebackup.adapters.drive.FakeDrive.FakeFile;
import dev.sqlitebackup.adapters.drive.FakeDrive.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off-site copies in every form (plain, zstd, age, zstd+age) through the shaded jar and {@link FakeDrive}, checked
 * with the standard tools both ways: Debian's {@code zstd}, {@code age} and {@code age-keygen} (installed by
 * {@code .ci/run}). What the tool uploads, {@code age -d -i} and {@code zstd -d} turn back into the local backup byte
 * for byte; what {@code zstd | age -r} made, the tool restores. Reading back without the right key, or a damaged or
 * cut copy, exits 1 and touches nothing; bad settings exit 2 before anything is made; no private key is ever
 * printed.
 */
class OffsiteFormsIT {

    private static final String FOLDER = "SQLite Backups";
    /** About 2.5 MB of text rows: three 1 MiB chunks plain. */
    private static final int ROWS = 15_000;

    @TempDir
    Path home;
    private FakeDrive fake;
    private Path credentials;
    private Path identity;
    private String recipient;
    private final List<JarProcess.Result> results = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeDrive();
        credentials = fake.writeUserCredentials(home.resolve("drive-credentials.json"));
        identity = home.resolve("keys").resolve("owner.txt");
        Files.createDirectories(identity.getParent());
        tool(null, "age-keygen", "-o", identity.toString());
        recipient = new String(tool(null, "age-keygen", "-y", identity.toString()), StandardCharsets.UTF_8)
                .strip();
        Sqlite.createNotes(home.resolve("app.db"), ROWS);
    }

    @AfterEach
    void noPrivateKeyInAnyOutput_andStopDrive() throws IOException {
        try {
            List<String> secrets = new ArrayList<>(fake.issuedAccessTokens());
            secrets.add(fake.refreshToken);
            for (Path key : privateKeyFiles()) {
                Files.readAllLines(key).stream().filter(l -> l.startsWith("AGE-SECRET-KEY-")).forEach(secrets::add);
            }
            for (JarProcess.Result r : results) {
                for (String secret : secrets) {
                    assertThat(r.out() + r.err()).as("a secret in the output of\n" + r).doesNotContain(secret);
                }
            }
        } finally {
            fake.close();
        }
    }

    /** A form of the Drive copies: its label (the {@code form} tag), its suffix, and the settings that make it. */
    private record Form(String label, String suffix, Map<String, String> env) {
    }

    @Test
    void everyForm_roundTrips_andTheStandardToolsReadWhatWasUploaded() throws Exception {
        List<Form> forms = List.of(
                new Form("plain", "", Map.of("OFFSITE_COMPRESSION", "none")),
                new Form("zstd", ".zst", Map.of()),
                new Form("zstd+age", ".zst.age", Map.of("AGE_RECIPIENTS", recipient)),
                new Form("age", ".age", Map.of("OFFSITE_COMPRESSION", "none", "AGE_RECIPIENTS", recipient)));
        // the four forms are independent (own folders, own Drive folders): their jar runs go side by side
        ExecutorService pool = Executors.newFixedThreadPool(forms.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Form form : forms) {
                running.add(pool.submit(() -> {
                    roundTrip(form);
                    return null;
                }));
            }
            for (Future<?> each : running) {
                try {
                    each.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof AssertionError failed) {
                        throw failed;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A run that uploads in {@code form}, what the standard tools make of the copy, and a restore from Drive. */
    private void roundTrip(Form form) throws Exception {
        String dir = "b-" + form.label().replace('+', '-');
        JarProcess jar = drive().env("BACKUP_DIR", home.resolve(dir).toString()).env("DRIVE_FOLDER", dir);
        form.env().forEach(jar::env);

        JarProcess.Result run = run(jar, "run", "--database", "app.db");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path local = single(backups(home.resolve(dir)));
        FakeFile uploaded = single(toolFiles(dir));
        assertThat(uploaded.name).as(form.label()).isEqualTo(local.getFileName() + form.suffix());
        assertThat(uploaded.appProperties).as(form.label()).containsEntry("form", form.label())
                .containsEntry("sha256", sidecarSha256(local));
        byte[] decoded = standardToolsDecode(uploaded.bytes(), form.suffix());
        assertThat(decoded).as(form.label() + ": age -d | zstd -d gives the local backup")
                .isEqualTo(Files.readAllBytes(local));
        if (form.suffix().contains(".zst")) {
            assertThat(uploaded.size()).as("text compresses").isLessThan(Files.size(local) * 3 / 4);
        }

        Path restored = home.resolve("restored-" + form.label().replace('+', '-') + ".db");
        JarProcess.Result restore = run(jar.env("BACKUP_DIR", home.resolve(dir + "-empty").toString())
                .env("AGE_IDENTITY_FILE", identity.toString()), "restore", "latest", "--to", restored.toString());

        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(Files.readAllBytes(restored)).as(form.label() + " restored from Drive alone")
                .isEqualTo(Files.readAllBytes(local));
    }

    @Test
    void aDatabaseOfRandomPages_roundTripsCompressedAndEncrypted() throws Exception {
        Path random = home.resolve("random.db");
        randomPages(random, 1000);
        JarProcess jar = drive().env("AGE_RECIPIENTS", recipient).env("AGE_IDENTITY_FILE", identity.toString());

        JarProcess.Result run = run(jar, "run", "--database", "random.db");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path local = single(backups(home.resolve("backups").resolve("random.db")));
        FakeFile uploaded = single(toolFiles(FOLDER));
        assertThat(uploaded.size()).as("3 MB of random bytes do not compress; zstd and age add little")
                .isBetween(3_000_000L, Files.size(local) + Files.size(local) / 50);
        assertThat(standardToolsDecode(uploaded.bytes(), ".zst.age")).isEqualTo(Files.readAllBytes(local));

        JarProcess.Result verify = run(jar, "verify", "--remote", "--database", "random.db");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
    }

    @Test
    void faultsDuringAnEncryptedUpload_endWithExactlyOneCopy_thatDecryptsToTheBackup() throws Exception {
        Path random = home.resolve("random.db");
        randomPages(random, 1200);
        for (Fault fault : List.of(Fault.SERVER_ERROR, Fault.RESET, Fault.SESSION_GONE)) {
            String dir = "f-" + fault.name().toLowerCase(java.util.Locale.ROOT);
            fake.failChunk(2, fault);
            JarProcess jar = drive().env("AGE_RECIPIENTS", recipient).env("BACKUP_DIR", home.resolve(dir).toString())
                    .env("DRIVE_FOLDER", dir);

            JarProcess.Result run = run(jar, "run", "--database", "random.db");

            assertThat(run.exitCode()).as(fault + ": " + run).isZero();
            Path local = single(backups(home.resolve(dir)));
            FakeFile uploaded = single(toolFiles(dir));
            assertThat(uploaded.size()).as(fault + ": more than two chunks").isGreaterThan(2 * 1024 * 1024);
            assertThat(standardToolsDecode(uploaded.bytes(), ".zst.age")).as(fault + ": age -d | zstd -d")
                    .isEqualTo(Files.readAllBytes(local));
        }
    }

    @Test
    void whatZstdAndAgeMade_isRestoredByTheTool_andListedBesideItsOwnCopies() throws Exception {
        JarProcess jar = drive().env("AGE_RECIPIENTS", recipient).env("AGE_IDENTITY_FILE", identity.toString());
        JarProcess.Result first = run(jar, "run", "--database", "app.db");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        String folderId = folders().get(0).id;
        // a database of other content, compressed and encrypted by the standard tools, as of an earlier day
        Path other = home.resolve("other.db");
        Sqlite.createNotes(other, 500);
        byte[] plain = Files.readAllBytes(other);
        byte[] made = tool(tool(plain, "zstd", "-3", "-c"), "age", "-r", recipient);
        String name = "backup-2026-01-02-030000.db";
        fake.put(name + ".zst.age", "application/octet-stream", folderId,
                Map.of("sqlite-backup", "1", "sha256", FakeDrive.hex("SHA-256", plain), "form", "zstd+age"), made);
        byte[] onlyAge = tool(plain, "age", "-r", recipient);
        String older = "backup-2026-01-01-030000.db";
        fake.put(older + ".age", "application/octet-stream", folderId,
                Map.of("sqlite-backup", "1", "sha256", FakeDrive.hex("SHA-256", plain)), onlyAge);

        JarProcess.Result list = run(jar, "list", "--remote", "--database", "app.db");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains(name).contains(older);

        Path restored = home.resolve("from-tools.db");
        JarProcess.Result restore = run(jar, "restore", name, "--to", restored.toString(), "--database", "app.db");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(Files.readAllBytes(restored)).isEqualTo(plain);

        Path restoredOlder = home.resolve("from-age.db");
        JarProcess.Result ageOnly = run(jar, "restore", older, "--to", restoredOlder.toString(), "--database",
                "app.db");
        assertThat(ageOnly.exitCode()).as(ageOnly.toString()).isZero();
        assertThat(Files.readAllBytes(restoredOlder)).isEqualTo(plain);
    }

    @Test
    void withoutTheRightKey_orFromADamagedCopy_restoreAndVerifyExit1_andTouchNothing() throws Exception {
        JarProcess jar = drive().env("AGE_RECIPIENTS", recipient);
        JarProcess.Result run = run(jar, "run", "--database", "app.db");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        FakeFile copy = single(toolFiles(FOLDER));
        Path other = home.resolve("keys").resolve("someone-else.txt");
        tool(null, "age-keygen", "-o", other.toString());
        // a copy cut short, under an older name, with the right tags
        String cutName = "backup-2026-01-01-030000.db";
        byte[] bytes = copy.bytes();
        fake.put(cutName + ".zst.age", "application/octet-stream", folders().get(0).id,
                Map.of("sqlite-backup", "1", "sha256", copy.appProperties.get("sha256"), "form", "zstd+age"),
                Arrays.copyOf(bytes, bytes.length - 100));
        Path emptyFolder = home.resolve("elsewhere");
        Path target = home.resolve("restored.db");

        JarProcess.Result noKey = run(jar.env("BACKUP_DIR", emptyFolder.toString()), "restore", "latest", "--to",
                target.toString(), "--database", "app.db");
        JarProcess.Result wrongKey = run(jar.env("AGE_IDENTITY_FILE", other.toString()), "restore", "latest", "--to",
                target.toString(), "--database", "app.db");
        JarProcess.Result verifyWrong = run(jar, "verify", "--remote", "--database", "app.db");

        for (JarProcess.Result r : List.of(noKey, wrongKey, verifyWrong)) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.errLines()).as(r.toString()).anySatisfy(line -> assertThat(line)
                    .isEqualTo("sqlite-backup: no identity in AGE_IDENTITY_FILE matches " + copy.name));
        }

        JarProcess withKey = jar.env("AGE_IDENTITY_FILE", identity.toString());
        JarProcess.Result cut = run(withKey, "restore", cutName, "--to", target.toString(), "--database", "app.db");
        assertThat(cut.exitCode()).as(cut.toString()).isEqualTo(1);
        assertThat(cut.err()).as(cut.toString()).contains(cutName + ".zst.age");

        fake.damageStored(copy.id);
        JarProcess.Result flipped = run(withKey, "restore", "latest", "--to", target.toString(), "--database",
                "app.db");
        assertThat(flipped.exitCode()).as(flipped.toString()).isEqualTo(1);
        assertThat(flipped.err()).as(flipped.toString()).contains(copy.name);

        assertThat(target).as("nothing restored").doesNotExist();
        assertThat(leftovers(emptyFolder)).as("no scratch file left behind").isEmpty();
        assertThat(fake.named(copy.name)).as("nothing deleted on Drive").hasSize(1);
    }

    @Test
    void badKeySettings_exit2_namingTheSetting_beforeAnythingIsMade() throws Exception {
        Path recipientsFile = home.resolve("recipients.txt");
        Files.writeString(recipientsFile, "# the owner\n" + recipient + "\nssh-ed25519 AAAAC3Nza not-an-age-key\n");
        Map<String, String> cases = Map.of(
                "AGE_RECIPIENTS", "age1notarealkey",
                "AGE_RECIPIENTS_FILE", recipientsFile.toString(),
                "AGE_IDENTITY_FILE", home.resolve("no-such-key.txt").toString(),
                "OFFSITE_ZSTD_LEVEL", "22");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path dir = home.resolve("bad-" + c.getKey());
            JarProcess.Result r = run(drive().env("BACKUP_DIR", dir.toString()).env(c.getKey(), c.getValue()), "run",
                    "--database", "app.db");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.errLines()).as(r.toString()).singleElement().asString().startsWith("sqlite-backup: ")
                    .contains(c.getKey());
            assertThat(dir).as(c.getKey() + ": nothing made").doesNotExist();
        }
        assertThat(fake.count("POST /upload/")).isZero();
    }

    @Test
    void driveWithoutRecipients_saysOnEveryRunAndInStatus_thatCopiesAreNotEncrypted_andAnOpenIdentityFileWarns()
            throws Exception {
        JarProcess.Result run = run(drive(), "run", "--database", "app.db");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).as(run.toString()).containsOnlyOnce(
                "Drive copies are not encrypted: set AGE_RECIPIENTS");

        JarProcess.Result status = run(drive(), "status", "--database", "app.db");
        assertThat(status.out()).as(status.toString()).contains("Drive copies are not encrypted: set AGE_RECIPIENTS");

        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-r--r--"));
        JarProcess.Result open = run(drive().env("AGE_RECIPIENTS", recipient)
                .env("AGE_IDENTITY_FILE", identity.toString()), "run", "--database", "app.db");
        assertThat(open.exitCode()).as(open.toString()).isZero();
        assertThat(open.err()).as(open.toString()).contains("AGE_IDENTITY_FILE").contains("readable by")
                .doesNotContain("not encrypted");
    }

    // ---- helpers

    private JarProcess drive() {
        return new JarProcess(home).env("GOOGLE_DRIVE_CREDENTIALS", credentials.toString())
                .env("DRIVE_ROOT_URL", fake.rootUrl().toString()).env("DRIVE_CHUNK_MB", "1");
    }

    private JarProcess.Result run(JarProcess jar, String... args) {
        JarProcess.Result result = jar.run(args);
        results.add(result);
        return result;
    }

    private List<Path> privateKeyFiles() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("keys"))) {
            return files.toList();
        }
    }

    /** What {@code age -d -i identity} and {@code zstd -d} make of a stored copy, as its name's suffix says. */
    private byte[] standardToolsDecode(byte[] stored, String suffix) throws Exception {
        byte[] bytes = stored;
        if (suffix.endsWith(".age")) {
            bytes = tool(bytes, "age", "-d", "-i", identity.toString());
        }
        if (suffix.startsWith(".zst")) {
            bytes = tool(bytes, "zstd", "-d", "-c");
        }
        return bytes;
    }

    /** Runs a standard tool with {@code input} on stdin, returning its stdout; it must exit 0. */
    private byte[] tool(byte[] input, String... command) throws Exception {
        Path in = Files.createTempFile(home, "in", ".bin");
        Path out = Files.createTempFile(home, "out", ".bin");
        Path err = Files.createTempFile(home, "err", ".txt");
        try {
            Files.write(in, input == null ? new byte[0] : input);
            Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(err)).isZero();
            return Files.readAllBytes(out);
        } finally {
            Files.delete(in);
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** A database of {@code rows} random 3000-byte blobs, a page each: about 4 KiB of incompressible page per row. */
    private static void randomPages(Path db, int rows) {
        Sqlite.exec(db, "CREATE TABLE blobs(b BLOB)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ") "
                        + "INSERT INTO blobs SELECT randomblob(3000) FROM n");
    }

    /** Every file under {@code dir} but the folder's own records (its lock, state and identity). */
    private static List<Path> leftovers(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.sqlite-backup/"))
                    .toList();
        }
    }

    private List<FakeFile> folders() {
        return DriveCopies.folders(fake, FOLDER);
    }

    private List<FakeFile> toolFiles(String folderName) {
        return DriveCopies.toolFiles(fake, folderName);
    }
}
