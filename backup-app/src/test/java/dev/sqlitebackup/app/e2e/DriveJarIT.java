package dev.sqlitebackup.app.e2e;

import static dev.sqlitebackup.app.e2e.DriveCopies.sidecarSha256;
import static dev.sqlitebackup.app.e2e.DriveCopies.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sqlitebackup.adapters.drive.FakeDrive;
import dev.sqlitebackup.adapters.drive.FakeDrive.FakeFile;
import dev.sqlitebackup.adapters.drive.FakeDrive.Fault;
import dev.sqlitebackup.adapters.drive.FakeDrive.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off-site copies to Google Drive through the shaded jar, against {@link FakeDrive} (the Drive API v3 and Google's
 * token endpoint, speaking the real protocol on a loopback port): what {@code run} uploads and when it uploads
 * nothing, a failed upload after a good local backup, remote retention that spares foreign files, {@code list
 * --remote}, {@code restore} from Drive alone, {@code verify --remote}, and that no token or secret is ever printed.
 */
class DriveJarIT {

    private static final String FOLDER = "SQLite Backups";
    private static final String NOT_ENCRYPTED = "Drive copies are not encrypted: set AGE_RECIPIENTS";
    /** About 2.5 MB of database: three chunks of DRIVE_CHUNK_MB=1. */
    private static final int ROWS = 15_000;

    @TempDir
    Path home;
    private FakeDrive fake;
    private Path credentials;
    private final List<JarProcess.Result> results = new ArrayList<>();

    @BeforeEach
    void startDrive() throws IOException {
        fake = new FakeDrive();
        // What drive-auth writes, owner-only (a readable one draws a warning), with the fake's token endpoint.
        credentials = fake.writeUserCredentials(home.resolve("drive-credentials.json"));
        Sqlite.createNotes(home.resolve("app.db"), ROWS);
    }

    @AfterEach
    void noSecretInAnyOutput_andStopDrive() {
        try {
            assertNoSecretIn(results);
        } finally {
            fake.close();
        }
    }

    @Test
    void run_uploadsTheFinishedBackup_byteIdentical_andASecondRunAddsASecondFile_inTheSameFolder() throws Exception {
        JarProcess.Result first = run(drive(), "run", "--database", "app.db");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.errLines()).as("a clean run says nothing on stderr but that its copies are not encrypted")
                .singleElement().asString().endsWith(NOT_ENCRYPTED);
        Path local = single(backups());
        FakeFile uploaded = single(toolFiles());
        assertThat(uploaded.name).isEqualTo(local.getFileName().toString());
        assertThat(uploaded.content).as("the bytes on Drive are the local backup's")
                .isEqualTo(Files.readAllBytes(local));
        assertThat(uploaded.content.length).as("more than two 1 MiB chunks").isGreaterThan(2 * 1024 * 1024);
        assertThat(uploaded.appProperties).containsEntry("sha256", sidecarSha256(local));
        assertThat(first.out()).as(first.toString()).contains("Drive").contains(uploaded.id);

        JarProcess.Result second = run(drive(), "run", "--database", "app.db");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        List<Path> locals = backups();
        assertThat(locals).hasSize(2);
        assertThat(toolFiles()).hasSize(2).anySatisfy(f -> {
            assertThat(f.name).isEqualTo(locals.get(1).getFileName().toString());
            assertThat(f.content).isEqualTo(Files.readAllBytes(locals.get(1)));
        });
        assertThat(folders()).as("found by the second run, not made again").singleElement()
                .satisfies(f -> assertThat(f.name).isEqualTo(FOLDER));
        assertThat(fake.count("POST /drive/v3/files")).as("one folder create in two runs").isEqualTo(1);
    }

    @Test
    void noDriveFlag_andDriveEnabledFalse_backUpLocallyAndUploadNothing() throws Exception {
        JarProcess.Result flag = run(drive(), "run", "--no-drive", "--database", "app.db");
        JarProcess.Result disabled = run(drive().env("DRIVE_ENABLED", "false"), "run", "--database", "app.db");

        assertThat(flag.exitCode()).as(flag.toString()).isZero();
        assertThat(disabled.exitCode()).as(disabled.toString()).isZero();
        assertThat(backups()).hasSize(2);
        assertThat(fake.files()).as("nothing on Drive, not even the folder").isEmpty();
        assertThat(fake.count("POST /upload/")).isZero();
    }

    @Test
    void uploadFailure_exits1_withOneLine_andLeavesTheLocalBackupAndNoRemoteFile() throws Exception {
        for (int i = 0; i < 3; i++) {
            fake.failNext(Op.START_UPLOAD, Fault.QUOTA_EXCEEDED); // Drive refuses every upload
        }

        JarProcess.Result run = run(drive(), "run", "--database", "app.db");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errLines()).as(run.toString()).filteredOn(line -> !line.endsWith(NOT_ENCRYPTED))
                .singleElement().asString()
                .startsWith("sqlite-backup: local backup ok, Drive upload failed:").contains("quota");
        Path local = single(backups());
        assertThat(Path.of(local + ".sha256")).as("the sidecar").isRegularFile();
        assertThat(sidecarSha256(local)).isEqualTo(FakeDrive.hex("SHA-256", Files.readAllBytes(local)));
        assertThat(Sqlite.count(local, "notes")).isEqualTo(ROWS);
        assertThat(fake.count("POST /upload/drive/v3/files")).as("Drive was asked").isPositive();
        assertThat(fake.files().stream().filter(f -> !f.isFolder())).as("no file on Drive").isEmpty();
    }

    @Test
    void remoteRetention_keepsTheNewestOfTheToolsFiles_andNeverTouchesForeignOnes() throws Exception {
        JarProcess.Result first = run(keepOneOnDrive(), "run", "--database", "app.db");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        String firstId = single(toolFiles()).id;
        String folder = single(folders()).id;
        String notes = fake.put("notes.txt", "text/plain", folder, Map.of(), new byte[] {1, 2, 3}).id;
        String copiedByHand = fake.put("backup-2020-01-01-000000.db", "application/vnd.sqlite3", folder, Map.of(),
                new byte[] {4, 5, 6}).id;

        JarProcess.Result second = run(keepOneOnDrive(), "run", "--database", "app.db");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        List<Path> locals = backups();
        assertThat(locals).as("DRIVE_KEEP_* is Drive's policy; the local one keeps both").hasSize(2);
        assertThat(single(toolFiles()).name).as("the newest").isEqualTo(locals.get(1).getFileName().toString());
        assertThat(fake.deletedIds()).containsExactly(firstId);
        assertThat(fake.files()).extracting(f -> f.id).contains(notes, copiedByHand);
    }

    @Test
    void listRemote_restoreFromDriveAlone_andVerifyRemote_thatCatchesADamagedCopy() throws Exception {
        assertThat(run(drive(), "run", "--database", "app.db").exitCode()).isZero();
        JarProcess.Result second = run(drive(), "run", "--json", "--database", "app.db");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        // run --json with a Drive copy: its remote and remoteRetention objects as docs/json.md says
        JsonDoc doc = JsonDoc.read();
        JsonObject copied = JsonParser.parseString(second.out()).getAsJsonObject();
        doc.check("run", copied);
        assertThat(copied.getAsJsonObject("remote").get("name").getAsString())
                .isEqualTo(copied.get("backup").getAsString());
        assertThat(copied.getAsJsonObject("remoteRetention").get("kept").getAsInt()).isEqualTo(2);
        List<FakeFile> remote = toolFiles().stream().sorted(Comparator.comparing((FakeFile f) -> f.name).reversed())
                .toList();
        assertThat(remote).hasSize(2);
        FakeFile newest = remote.get(0);

        // list --remote --json: the tool's files on Drive, newest first
        JarProcess.Result list = run(drive(), "list", "--remote", "--json", "--database", "app.db");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        JsonArray array = JsonParser.parseString(list.out()).getAsJsonArray();
        assertThat(array).hasSize(2);
        doc.check("list --remote", array);
        for (int i = 0; i < 2; i++) {
            JsonObject o = array.get(i).getAsJsonObject();
            FakeFile f = remote.get(i);
            assertThat(string(o, "name")).isEqualTo(f.name);
            assertThat(string(o, "id")).isEqualTo(f.id);
            assertThat(o.get("sizeBytes").getAsLong()).isEqualTo(f.content.length);
            assertThat(string(o, "sha256")).isEqualTo(FakeDrive.hex("SHA-256", f.content));
            assertThat(string(o, "md5")).isEqualTo(f.md5());
            assertThat(string(o, "link")).contains(f.id);
        }

        // verify --remote latest: the copy on Drive is sound
        JarProcess.Result verified = run(drive(), "verify", "--remote", "latest", "--database", "app.db");
        assertThat(verified.exitCode()).as(verified.toString()).isZero();

        // restore latest with no local backup left: from Drive
        for (Path b : backups()) {
            Files.delete(b);
            Files.delete(Path.of(b + ".sha256"));
        }
        Path target = home.resolve("restored.db");
        JarProcess.Result restored = run(drive(), "restore", "latest", "--to", target.toString(),
                "--database", "app.db");
        assertThat(restored.exitCode()).as(restored.toString()).isZero();
        assertThat(target).as("the newest backup on Drive").hasBinaryContent(newest.content);
        assertThat(Sqlite.integrityCheck(target)).isEqualTo("ok");
        assertThat(Sqlite.count(target, "notes")).isEqualTo(ROWS);

        // the stored bytes rot: verify --remote notices
        fake.damageStored(newest.id);
        JarProcess.Result damaged = run(drive(), "verify", "--remote", "latest", "--database", "app.db");
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(1);
        assertThat(damaged.out() + damaged.err()).as(damaged.toString()).contains(newest.name);
    }

    @Test
    void twoDatabasesSharingOneDriveFolder_neverListPruneOrRestoreEachOthersCopies() throws Exception {
        Sqlite.createNotes(home.resolve("users.db"), 7);
        assertThat(run(keepOneOnDrive(), "run", "--database", "app.db").exitCode()).isZero();
        JarProcess.Result users = run(keepOneOnDrive(), "run", "--database", "users.db");
        assertThat(users.exitCode()).as(users.toString()).isZero();
        assertThat(users.out()).as("users.db's Drive retention of one left app.db's copy alone")
                .contains("Drive retention: 1 kept, 0 deleted");
        assertThat(toolFiles()).hasSize(2);

        JarProcess.Result list = run(drive(), "list", "--remote", "--json", "--database", "app.db");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(JsonParser.parseString(list.out()).getAsJsonArray()).hasSize(1);

        // no local backup left: restore latest for app.db comes from Drive, and it is app.db's
        for (Path b : backups()) {
            Files.delete(b);
            Files.delete(Path.of(b + ".sha256"));
        }
        Path target = home.resolve("restored.db");
        JarProcess.Result restored = run(drive(), "restore", "latest", "--to", target.toString(),
                "--database", "app.db");
        assertThat(restored.exitCode()).as(restored.toString()).isZero();
        assertThat(Sqlite.count(target, "notes")).as("app.db's rows, not users.db's").isEqualTo(ROWS);
    }

    @Test
    void verbose_neverPrintsAnAccessTokenTheRefreshTokenOrTheClientSecret() throws Exception {
        List<JarProcess.Result> verbose = new ArrayList<>();
        verbose.add(run(drive(), "run", "-v", "--database", "app.db"));
        verbose.add(run(drive(), "list", "-v", "--remote", "--json", "--database", "app.db"));
        verbose.add(run(drive(), "verify", "-v", "--remote", "latest", "--database", "app.db"));
        verbose.add(run(drive(), "restore", "-v", "latest", "--to", home.resolve("restored.db").toString(),
                "--database", "app.db"));
        fake.failNext(Op.START_UPLOAD, Fault.QUOTA_EXCEEDED);
        JarProcess.Result failed = run(drive(), "run", "-v", "--database", "app.db");
        verbose.add(failed);

        for (JarProcess.Result r : verbose.subList(0, 4)) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        assertThat(verbose.get(0).err()).as("-v logs at DEBUG").contains("DEBUG");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.err()).as("-v prints the stack trace").contains("\tat ");
        assertThat(fake.issuedAccessTokens()).as("each process got its own token").hasSizeGreaterThanOrEqualTo(5);
        assertNoSecretIn(verbose);
    }

    /**
     * The jar with Drive on: the fake's API root, our credentials, 1 MiB chunks, plain copies (the other forms are
     * OffsiteFormsIT's).
     */
    private JarProcess drive() {
        return new JarProcess(home).env("GOOGLE_DRIVE_CREDENTIALS", credentials.toString())
                .env("DRIVE_ROOT_URL", fake.rootUrl().toString()).env("DRIVE_CHUNK_MB", "1")
                .env("OFFSITE_COMPRESSION", "none");
    }

    private JarProcess keepOneOnDrive() {
        return drive().env("DRIVE_KEEP_DAILY", "0").env("DRIVE_KEEP_WEEKLY", "0").env("DRIVE_KEEP_MONTHLY", "0")
                .env("DRIVE_KEEP_LAST", "1");
    }

    private JarProcess.Result run(JarProcess jar, String... args) {
        JarProcess.Result result = jar.run(args);
        results.add(result);
        return result;
    }

    private void assertNoSecretIn(List<JarProcess.Result> runs) {
        List<String> secrets = new ArrayList<>(fake.issuedAccessTokens());
        secrets.add(fake.refreshToken);
        secrets.add(fake.clientSecret);
        for (JarProcess.Result r : runs) {
            for (String secret : secrets) {
                assertThat(r.out() + r.err()).as("a token or secret in the output of\n" + r)
                        .doesNotContain(secret);
            }
        }
    }

    private List<Path> backups() throws IOException {
        return DriveCopies.backups(home.resolve("backups").resolve("app.db"));
    }

    private List<FakeFile> folders() {
        return DriveCopies.folders(fake, FOLDER);
    }

    /** The tool's files in its folder. */
    private List<FakeFile> toolFiles() {
        return DriveCopies.toolFiles(fake, FOLDER);
    }

    private static String string(JsonObject o, String field) {
        JsonElement value = o.get(field);
        assertThat(value).as(field + " in " + o).isNotNull();
        return value.getAsString();
    }
}
