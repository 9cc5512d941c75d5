package dev.sqlitebackup.adapters.drive;

import static dev.sqlitebackup.adapters.drive.DriveFixture.plainStore;
import static dev.sqlitebackup.adapters.drive.DriveFixture.CHUNK;
import static dev.sqlitebackup.adapters.drive.DriveFixture.backup;
import static dev.sqlitebackup.adapters.drive.DriveFixture.fileOf;
import static dev.sqlitebackup.adapters.drive.DriveFixture.settings;
import static dev.sqlitebackup.adapters.drive.DriveFixture.userCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.adapters.drive.FakeDrive.Fault;
import dev.sqlitebackup.adapters.drive.FakeDrive.Op;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DriveRemoteBackupStoreTest {

    private static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");

    @TempDir
    Path dir;
    private FakeDrive fake;
    private Path credentials;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() throws IOException {
        fake = new FakeDrive();
        credentials = userCredentials(fake, dir);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private DriveRemoteBackupStore store() {
        return plainStore(settings(fake, credentials), sleeper);
    }

    private List<FakeDrive.FakeFile> folders() {
        return fake.files().stream().filter(FakeDrive.FakeFile::isFolder).toList();
    }

    @Test
    void twoUploads_makeOneFolder_andAnotherStoreFindsIt() throws IOException {
        Backup first = backup(dir, T0, 1000, 1);
        Backup second = backup(dir, T0.plusSeconds(3600), 2000, 2);

        RemoteBackup a = store().upload(first, fileOf(dir, first));
        DriveRemoteBackupStore other = store();
        RemoteBackup b = other.upload(second, fileOf(dir, second));

        assertThat(folders()).singleElement().satisfies(folder -> {
            assertThat(folder.name).isEqualTo("SQLite Backups");
            assertThat(folder.parents).containsExactly(FakeDrive.ROOT_ID);
            assertThat(fake.childrenOf(folder.id)).extracting(f -> f.id).containsExactlyInAnyOrder(a.id(), b.id());
        });
        assertThat(fake.count("POST /drive/v3/files")).isEqualTo(1);
        assertThat(other.list()).extracting(RemoteBackup::name).containsExactly(second.name(), first.name());
    }

    @Test
    void fileOfMoreThanThreeChunks_arrivesByteIdentical_taggedAndLinked() throws IOException {
        Backup backup = backup(dir, T0, 3 * CHUNK + 12_345, 3);

        RemoteBackup remote = store().upload(backup, fileOf(dir, backup));

        FakeDrive.FakeFile stored = fake.named(backup.name().value()).get(0);
        assertThat(stored.content).isEqualTo(Files.readAllBytes(fileOf(dir, backup)));
        assertThat(fake.count("PUT /upload/drive/v3/files bytes ")).isEqualTo(4);
        assertThat(stored.appProperties).isEqualTo(Map.of("sqlite-backup", "1", "sha256",
                backup.recordedSha256().orElseThrow(), "form", "plain"));
        assertThat(stored.mimeType).isEqualTo("application/vnd.sqlite3");
        assertThat(remote.id()).isEqualTo(stored.id);
        assertThat(remote.sizeBytes()).isEqualTo(backup.sizeBytes());
        assertThat(remote.md5()).contains(stored.md5());
        assertThat(remote.sha256()).isEqualTo(backup.recordedSha256());
        assertThat(remote.link()).hasValueSatisfying(link -> assertThat(link).contains(stored.id));
        assertThat(sleeper.delays()).isEmpty();
    }

    @Test
    void emptyFile_uploads() throws IOException {
        Backup backup = backup(dir, T0, 0, 4);

        RemoteBackup remote = store().upload(backup, fileOf(dir, backup));

        assertThat(fake.named(backup.name().value())).singleElement()
                .satisfies(f -> assertThat(f.content).isEmpty());
        assertThat(remote.sizeBytes()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"SERVER_ERROR", "TOO_MANY_REQUESTS", "RATE_LIMIT_403", "RESET",
            "SESSION_GONE", "ANSWER_LOST"})
    void faultOnAChunk_isSurvived_withExactlyOneRemoteFile(Fault fault) throws IOException {
        fake.retryAfterSeconds = 0;
        Backup backup = backup(dir, T0, 3 * CHUNK + 100, 5);
        fake.failChunk(2, fault);

        store().upload(backup, fileOf(dir, backup));

        assertThat(fake.named(backup.name().value())).singleElement()
                .satisfies(f -> assertThat(f.content).isEqualTo(Files.readAllBytes(fileOf(dir, backup))));
        if (fault == Fault.SESSION_GONE) {
            assertThat(fake.count("POST /upload/drive/v3/files")).isEqualTo(2);
        } else {
            assertThat(fake.count("POST /upload/drive/v3/files")).isEqualTo(1);
            assertThat(fake.count("PUT /upload/drive/v3/files bytes */")).isEqualTo(1); // asked where Drive stopped
            assertThat(sleeper.delays()).hasSize(1);
        }
    }

    @Test
    void faultOnTheLastChunk_whoseAnswerIsLost_makesNoSecondCopy() throws IOException {
        Backup backup = backup(dir, T0, 2 * CHUNK + 7, 6);
        fake.failChunk(3, Fault.ANSWER_LOST);

        RemoteBackup remote = store().upload(backup, fileOf(dir, backup));

        assertThat(fake.named(backup.name().value())).singleElement()
                .satisfies(f -> assertThat(f.id).isEqualTo(remote.id()));
    }

    @Test
    void serverErrorMidChunk_resumesWhereDriveSaysItStopped() throws IOException {
        Path wide = dir.resolve("wide");
        Files.createDirectories(wide);
        Backup backup = backup(wide, T0, 4 * CHUNK + 1, 7);
        DriveSettings twoBlockChunks = new DriveSettings(credentials, "SQLite Backups", Optional.empty(),
                Optional.of(fake.rootUrl()), 2 * CHUNK, 5, Duration.ofMillis(1), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        fake.failChunk(1, Fault.SERVER_ERROR); // Drive keeps the first 256 KiB of the 512 KiB chunk

        plainStore(twoBlockChunks, sleeper).upload(backup, fileOf(wide, backup));

        // the total is stated only by the last chunk: the bytes are made as they are sent
        assertThat(fake.requests()).contains("PUT /upload/drive/v3/files bytes 262144-786431/*");
        assertThat(fake.named(backup.name().value())).singleElement()
                .satisfies(f -> assertThat(f.content).isEqualTo(Files.readAllBytes(fileOf(wide, backup))));
    }

    @Test
    void readTimeout_isRetried_withExactlyOneRemoteFile() throws IOException {
        Backup backup = backup(dir, T0, 2 * CHUNK + 5, 8);
        fake.stallMillis = 1500;
        fake.failChunk(1, Fault.STALL);
        DriveSettings impatient = settings(fake, credentials, "SQLite Backups", Duration.ofMillis(500));

        plainStore(impatient, sleeper).upload(backup, fileOf(dir, backup));

        assertThat(fake.named(backup.name().value())).singleElement()
                .satisfies(f -> assertThat(f.content).isEqualTo(Files.readAllBytes(fileOf(dir, backup))));
        assertThat(sleeper.delays()).hasSize(1);
    }

    @Test
    void retryAfter_isHonoured() throws IOException {
        fake.retryAfterSeconds = 7;
        Backup backup = backup(dir, T0, 2 * CHUNK, 9);
        fake.failChunk(1, Fault.TOO_MANY_REQUESTS);

        store().upload(backup, fileOf(dir, backup));

        assertThat(sleeper.delays()).singleElement()
                .satisfies(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
    }

    @Test
    void transientFailuresOfMetadataCalls_areRetried() throws IOException {
        Backup backup = backup(dir, T0, 1000, 10);
        fake.failNext(Op.LIST, Fault.SERVER_ERROR);
        fake.failNext(Op.LIST, Fault.RATE_LIMIT_403);
        fake.failNext(Op.CREATE, Fault.TOO_MANY_REQUESTS);
        fake.retryAfterSeconds = 0;
        fake.failNext(Op.START_UPLOAD, Fault.RESET);

        store().upload(backup, fileOf(dir, backup));

        assertThat(folders()).hasSize(1);
        assertThat(fake.named(backup.name().value())).hasSize(1);
        assertThat(sleeper.delays()).hasSize(4);
    }

    @Test
    void folderCreateWhoseAnswerIsLost_makesNoSecondFolder() throws IOException {
        Backup backup = backup(dir, T0, 1000, 11);
        fake.failNext(Op.CREATE, Fault.ANSWER_LOST); // Drive made it, the answer was lost: look before retrying
        store().upload(backup, fileOf(dir, backup));

        assertThat(folders()).hasSize(1);
        assertThat(fake.count("POST /drive/v3/files")).isEqualTo(1);
        assertThat(fake.named(backup.name().value())).hasSize(1);
    }

    @Test
    void databasesOfAConfigOfMany_eachKeepTheirCopiesInASubfolderOfTheirName_underOneFolder() throws IOException {
        DriveRemoteBackupStore app = plainStore(settings(fake, credentials).inSubfolder("app"), sleeper);
        DriveRemoteBackupStore jobs = plainStore(settings(fake, credentials).inSubfolder("jobs"), sleeper);
        Backup appBackup = backup(dir, T0, 1000, 1);
        Path jobsDir = Files.createDirectory(dir.resolve("jobs"));
        Backup jobsBackup = backup(jobsDir, T0.plusSeconds(60), 1000, 2);

        RemoteBackup appCopy = app.upload(appBackup, fileOf(dir, appBackup));
        RemoteBackup jobsCopy = jobs.upload(jobsBackup, fileOf(jobsDir, jobsBackup));
        RemoteBackup appAgain = plainStore(settings(fake, credentials).inSubfolder("app"), sleeper)
                .upload(backup(dir, T0.plusSeconds(3600), 500, 3), dir.resolve(BackupName.at(T0.plusSeconds(3600))
                        .value()));

        FakeDrive.FakeFile top = folders().stream().filter(f -> f.name.equals("SQLite Backups")).findFirst()
                .orElseThrow();
        assertThat(folders()).as("one top folder and one subfolder per database, never two of a name").hasSize(3);
        assertThat(top.parents).containsExactly(FakeDrive.ROOT_ID);
        assertThat(fake.childrenOf(top.id)).extracting(f -> f.name).containsExactlyInAnyOrder("app", "jobs");
        FakeDrive.FakeFile appFolder = folders().stream().filter(f -> f.name.equals("app")).findFirst().orElseThrow();
        assertThat(fake.childrenOf(appFolder.id)).extracting(f -> f.id)
                .containsExactlyInAnyOrder(appCopy.id(), appAgain.id());
        // remote retention is per database: each store lists its own subfolder only
        assertThat(app.list()).extracting(RemoteBackup::id).containsExactlyInAnyOrder(appCopy.id(), appAgain.id());
        assertThat(jobs.list()).extracting(RemoteBackup::id).containsExactly(jobsCopy.id());
        assertThat(store().list()).as("the single database of the environment keeps the top folder").isEmpty();
    }

    @Test
    void subfolder_twoOfOneName_theOldestIsUsed_andACreateWhoseAnswerIsLostMakesNoSecond() throws IOException {
        String top = fake.put("SQLite Backups", "application/vnd.google-apps.folder", FakeDrive.ROOT_ID, Map.of(),
                null).id;
        Backup backup = backup(dir, T0, 1000, 11);
        fake.failNext(Op.CREATE, Fault.ANSWER_LOST);
        RemoteBackup copy = plainStore(settings(fake, credentials).inSubfolder("tenant7"), sleeper)
                .upload(backup, fileOf(dir, backup));

        assertThat(folders()).hasSize(2);
        String sub = folders().stream().filter(f -> f.name.equals("tenant7")).findFirst().orElseThrow().id;
        assertThat(fake.childrenOf(top)).extracting(f -> f.id).containsExactly(sub);
        assertThat(fake.childrenOf(sub)).extracting(f -> f.id).containsExactly(copy.id());

        String younger = fake.put("tenant7", "application/vnd.google-apps.folder", top, Map.of(), null).id;
        Backup next = backup(dir, T0.plusSeconds(60), 1000, 12);
        plainStore(settings(fake, credentials).inSubfolder("tenant7"), sleeper).upload(next, fileOf(dir, next));
        assertThat(fake.childrenOf(younger)).isEmpty();
        assertThat(fake.childrenOf(sub)).hasSize(2);
    }

    @Test
    void quotaExceeded_failsAtOnce_withAClearMessage() throws IOException {
        Backup backup = backup(dir, T0, 1000, 12);
        fake.failNext(Op.START_UPLOAD, Fault.QUOTA_EXCEEDED);

        assertThatThrownBy(() -> store().upload(backup, fileOf(dir, backup)))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("storage quota exceeded")
                .hasMessageContaining(backup.name().value())
                .hasMessageNotContaining("\n");
        assertThat(fake.count("POST /upload/drive/v3/files")).isEqualTo(1);
        assertThat(sleeper.delays()).isEmpty();
        assertThat(fake.named(backup.name().value())).isEmpty();
    }

    @Test
    void aLocalBackupGoneBeforeItsUpload_failsNamingItOnce_withTheCause() throws IOException {
        Backup backup = backup(dir, T0, 1000, 14);
        Path file = fileOf(dir, backup);
        Files.delete(file);

        assertThatThrownBy(() -> store().upload(backup, file)).isInstanceOf(BackupFailedException.class)
                .hasMessage("Drive: cannot read local backup " + file + ": no such file");
        assertThat(fake.named(backup.name().value())).isEmpty();
    }

    @Test
    void persistentServerErrors_failAfterTheRetries_andTheLocalFileStays() throws IOException {
        Backup backup = backup(dir, T0, 1000, 13);
        for (int i = 0; i < 6; i++) {
            fake.failNext(Op.START_UPLOAD, Fault.SERVER_ERROR);
        }

        assertThatThrownBy(() -> store().upload(backup, fileOf(dir, backup)))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("after 5 retries")
                .hasMessageContaining("503");
        assertThat(sleeper.delays()).hasSize(5);
        assertThat(fileOf(dir, backup)).exists().hasSize(1000);
    }

    @Test
    void wrongMd5_deletesTheCopy_andUploadsAgain() throws IOException {
        Backup backup = backup(dir, T0, 2 * CHUNK + 3, 14);
        fake.corruptNextUploads(1);

        RemoteBackup remote = store().upload(backup, fileOf(dir, backup));

        assertThat(fake.deletedIds()).hasSize(1).doesNotContain(remote.id());
        assertThat(fake.named(backup.name().value())).singleElement()
                .satisfies(f -> assertThat(f.content).isEqualTo(Files.readAllBytes(fileOf(dir, backup))));
    }

    @Test
    void wrongMd5Twice_fails_andLeavesNoDamagedCopy() throws IOException {
        Backup backup = backup(dir, T0, 5000, 15);
        fake.corruptNextUploads(2);

        assertThatThrownBy(() -> store().upload(backup, fileOf(dir, backup)))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("md5");
        assertThat(fake.named(backup.name().value())).isEmpty();
        assertThat(fake.deletedIds()).hasSize(2);
    }

    @Test
    void backupAlreadyOnDrive_isNotUploadedAgain() throws IOException {
        Backup backup = backup(dir, T0, 5000, 16);
        RemoteBackup first = store().upload(backup, fileOf(dir, backup));

        RemoteBackup again = store().upload(backup, fileOf(dir, backup));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(fake.named(backup.name().value())).hasSize(1);
        assertThat(fake.count("POST /upload/drive/v3/files")).isEqualTo(1);
    }

    @Test
    void aDifferentBackupOfTheSameName_isNeitherReplacedNorDoubled() throws IOException {
        Backup backup = backup(dir, T0, 5000, 17);
        String folder = fake.put("SQLite Backups", "application/vnd.google-apps.folder", FakeDrive.ROOT_ID, Map.of(),
                null).id;
        fake.put(backup.name().value(), "application/vnd.sqlite3", folder,
                Map.of("sqlite-backup", "1", "sha256", "00".repeat(32)), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> store().upload(backup, fileOf(dir, backup)))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("already holds a different " + backup.name());
        assertThat(fake.named(backup.name().value())).singleElement()
                .satisfies(f -> assertThat(f.content).containsExactly(1, 2, 3));
    }

    @Test
    void localFileOfAnotherSizeThanVerified_isNotUploaded() throws IOException {
        Backup backup = backup(dir, T0, 5000, 18);
        Files.write(fileOf(dir, backup), new byte[4999]);

        assertThatThrownBy(() -> store().upload(backup, fileOf(dir, backup)))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("not the verified");
        assertThat(fake.count("POST /upload/drive/v3/files")).isZero();
    }

    @Test
    void localFileThatChangedSinceVerification_neverBecomesAFileOnDrive() throws IOException {
        // the file is digested as it is sent, and checked before the chunk that would complete it on Drive
        Backup backup = backup(dir, T0, 3 * CHUNK + 100, 18);
        byte[] changed = Files.readAllBytes(fileOf(dir, backup));
        changed[CHUNK + 1] ^= 1;
        Files.write(fileOf(dir, backup), changed);

        assertThatThrownBy(() -> store().upload(backup, fileOf(dir, backup)))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("not the verified");
        assertThat(fake.named(backup.name().value())).isEmpty();
        assertThat(fake.deletedIds()).isEmpty(); // never made, so nothing to delete
        assertThat(fake.requests()).noneMatch(r -> r.endsWith("-" + (3 * CHUNK + 99) + "/" + (3 * CHUNK + 100)));
    }

    @Test
    void localFileThatChangesWhileTheUploadRuns_isCaught() throws IOException {
        // the encoder reads ahead of the chunk being sent by at most the hand-off's blocks (and a chunk): the byte
        // that changes lies beyond that when chunk 2 fails
        int readAhead = HandOff.BLOCK * HandOff.BLOCKS + 2 * CHUNK;
        Backup backup = backup(dir, T0, 3 * CHUNK + readAhead + 100, 19);
        Path file = fileOf(dir, backup);
        fake.failChunk(2, Fault.SERVER_ERROR); // the pause before the resume is when the file changes
        Sleeper changing = duration -> {
            try {
                byte[] bytes = Files.readAllBytes(file);
                bytes[3 * CHUNK + readAhead + 50] ^= 1; // not read yet: the check before the last chunk sees it
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };

        assertThatThrownBy(() -> plainStore(settings(fake, credentials), changing)
                .upload(backup, file))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("not the verified");
        assertThat(fake.named(backup.name().value())).isEmpty();
    }

    @Test
    void resumeThatResendsDigestedBytes_stillVerifies_eachByteDigestedOnce() throws IOException {
        // 1 MiB chunks; Drive keeps the first 256 KiB of the first and drops the line, so the resume sends
        // 256 KiB..1.25 MiB: three quarters already digested, one quarter new. Counting any byte twice (or missing
        // one) would fail the SHA-256 check against the recorded one, or the md5 against Drive's.
        Backup backup = backup(dir, T0, 4 * (4 * CHUNK) + 12345, 20);
        DriveSettings mibChunks = new DriveSettings(credentials, "SQLite Backups", Optional.empty(),
                Optional.of(fake.rootUrl()), 4 * CHUNK, 5, Duration.ofMillis(1), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        fake.failChunk(1, Fault.RESET);
        fake.failChunk(3, Fault.SERVER_ERROR);

        RemoteBackup remote = plainStore(mibChunks, sleeper).upload(backup, fileOf(dir, backup));

        byte[] local = Files.readAllBytes(fileOf(dir, backup));
        assertThat(fake.requests()).contains("PUT /upload/drive/v3/files bytes 262144-1310719/*");
        assertThat(remote.md5()).contains(FakeDrive.hex("MD5", local));
        assertThat(fake.named(backup.name().value())).singleElement()
                .satisfies(f -> assertThat(f.content).isEqualTo(local));
    }

    @Test
    void uploadLargerThanTheFakeKeepsInMemory_isStoredAside_andComesBackByteIdentical() throws IOException {
        int size = (int) FakeDrive.IN_MEMORY_LIMIT + 3 * CHUNK + 5;
        Backup backup = backup(dir, T0, size, 22);
        DriveSettings bigChunks = new DriveSettings(credentials, "SQLite Backups", Optional.empty(),
                Optional.of(fake.rootUrl()), 32 * CHUNK, 5, Duration.ofMillis(1), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        fake.failChunk(2, Fault.SERVER_ERROR);
        DriveRemoteBackupStore store = plainStore(bigChunks, sleeper);

        RemoteBackup remote = store.upload(backup, fileOf(dir, backup));

        byte[] local = Files.readAllBytes(fileOf(dir, backup));
        FakeDrive.FakeFile stored = fake.named(backup.name().value()).get(0);
        assertThat(stored.content).as("kept in a temp file, not in memory").isNull();
        assertThat(stored.size()).isEqualTo(size);
        assertThat(stored.md5()).isEqualTo(FakeDrive.hex("MD5", local));
        assertThat(stored.bytes()).isEqualTo(local);
        Path target = Files.createFile(dir.resolve("restored.db"));
        store.download(remote, target);
        assertThat(Files.mismatch(target, fileOf(dir, backup))).isEqualTo(-1L);

        fake.damageStored(stored.id);
        assertThat(stored.md5()).isNotEqualTo(FakeDrive.hex("MD5", local));
    }

    @Test
    void chunks_goAsIs_withTheirLengthAnnounced() throws IOException {
        Backup backup = backup(dir, T0, 2 * CHUNK + 10, 21);

        store().upload(backup, fileOf(dir, backup));

        assertThat(fake.chunkFraming()).containsExactly(
                "Content-Length=" + CHUNK + " Content-Encoding=- Transfer-Encoding=-",
                "Content-Length=" + CHUNK + " Content-Encoding=- Transfer-Encoding=-",
                "Content-Length=10 Content-Encoding=- Transfer-Encoding=-");
    }

    @Test
    void expiredAccessToken_isRefreshedMidUpload() throws IOException {
        Backup backup = backup(dir, T0, 3 * CHUNK, 19);
        DriveRemoteBackupStore store = store();
        store.list();
        fake.expireAccessTokens();

        store.upload(backup, fileOf(dir, backup));

        assertThat(fake.issuedAccessTokens()).hasSize(2);
        assertThat(fake.named(backup.name().value())).hasSize(1);
    }

    @Test
    void revokedRefreshToken_failsWithAOneLineAuthMessage() throws IOException {
        Files.writeString(credentials, Files.readString(credentials).replace(fake.refreshToken, "1//revoked"));
        Backup backup = backup(dir, T0, 100, 20);

        assertThatThrownBy(() -> store().upload(backup, fileOf(dir, backup)))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("invalid_grant")
                .hasMessageContaining("drive-auth")
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("1//revoked")
                .hasMessageNotContaining(fake.clientSecret);
        assertThat(sleeper.delays()).isEmpty();
    }

    @Test
    void remoteRetention_deletesOnlyTheToolsOldFiles() throws IOException {
        DriveRemoteBackupStore store = store();
        for (int day = 0; day < 40; day += 3) {
            Backup backup = backup(dir, T0.plus(Duration.ofDays(day)), 100 + day, day);
            store.upload(backup, fileOf(dir, backup));
        }
        String folder = folders().get(0).id;
        String oldName = BackupName.at(T0.minus(Duration.ofDays(400))).value();
        Set<String> foreign = Set.of(
                fake.put("holiday.jpg", "image/jpeg", folder, Map.of(), new byte[] {1}).id,
                fake.put(oldName, "application/vnd.sqlite3", folder, Map.of(), new byte[] {2}).id, // copied by hand
                fake.put("notes.txt", "text/plain", folder, Map.of("sqlite-backup", "1"), new byte[] {3}).id,
                fake.put(oldName, "application/vnd.sqlite3", FakeDrive.ROOT_ID,
                        Map.of("sqlite-backup", "1", "sha256", "ab"), new byte[] {4}).id); // not in the folder

        List<RemoteBackup> remote = store.list();
        RetentionPlan plan = RetentionPolicy.DEFAULT.plan(remote.stream().map(RemoteBackup::name).toList(),
                ZoneOffset.UTC, remote.get(0).name().instant());
        Set<BackupName> doomed = Set.copyOf(plan.deleted());
        remote.stream().filter(r -> doomed.contains(r.name())).forEach(store::delete);

        assertThat(remote).hasSize(14).extracting(RemoteBackup::name).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(doomed).isNotEmpty();
        Set<String> left = fake.files().stream().map(f -> f.id).collect(Collectors.toSet());
        assertThat(left).containsAll(foreign);
        assertThat(store.list()).extracting(RemoteBackup::name)
                .containsExactlyElementsOf(plan.kept().stream().map(RetentionPlan.Keep::name).toList());
    }

    @Test
    void listing_pagesThroughLargeFolders() throws IOException {
        String folder = fake.put("SQLite Backups", "application/vnd.google-apps.folder", FakeDrive.ROOT_ID, Map.of(),
                null).id;
        for (int i = 0; i < 1203; i++) {
            fake.put(BackupName.at(T0.plusSeconds(i)).value(), "application/vnd.sqlite3", folder,
                    Map.of("sqlite-backup", "1", "sha256", "ab"), new byte[] {(byte) i});
        }

        List<RemoteBackup> all = store().list();

        assertThat(all).hasSize(1203);
        assertThat(fake.count("GET /drive/v3/files")).isEqualTo(1 + 2); // the folder, then two pages of 1000
        assertThat(all.get(0).sizeBytes()).isEqualTo(1);
    }

    @Test
    void listing_beforeAnyUpload_isEmpty_andCreatesNoFolder() {
        assertThat(store().list()).isEmpty();
        assertThat(folders()).isEmpty();
    }

    @Test
    void deleting_refusesAFileThatIsNotTheTools() throws IOException {
        String foreign = fake.put("backup-2026-01-01-000000.db", "application/vnd.sqlite3", FakeDrive.ROOT_ID,
                Map.of(), new byte[] {1}).id;
        RemoteBackup pretend = new RemoteBackup(new BackupName("backup-2026-01-01-000000.db"), StoredForm.PLAIN, foreign, 1,
                Optional.empty(), Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> store().delete(pretend)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("refusing");
        assertThat(fake.files()).extracting(f -> f.id).contains(foreign);
    }

    @Test
    void download_arrivesByteIdentical() throws IOException {
        Backup backup = backup(dir, T0, 3 * CHUNK + 99, 21);
        store().upload(backup, fileOf(dir, backup));
        RemoteBackup remote = store().list().get(0);
        Path target = Files.createFile(dir.resolve("restored.db"));

        store().download(remote, target);

        assertThat(target).hasBinaryContent(Files.readAllBytes(fileOf(dir, backup)));
    }

    @Test
    void download_survivesAServerError() throws IOException {
        Backup backup = backup(dir, T0, 1000, 22);
        RemoteBackup remote = store().upload(backup, fileOf(dir, backup));
        Path target = Files.createFile(dir.resolve("restored.db"));
        fake.failNext(Op.DOWNLOAD, Fault.SERVER_ERROR);

        store().download(remote, target);

        assertThat(target).hasBinaryContent(Files.readAllBytes(fileOf(dir, backup)));
    }

    @Test
    void download_withWrongMd5_isDetected_andLeavesNoBytes() throws IOException {
        Backup backup = backup(dir, T0, 5000, 23);
        RemoteBackup remote = store().upload(backup, fileOf(dir, backup));
        Path target = Files.createFile(dir.resolve("restored.db"));
        fake.failNext(Op.DOWNLOAD, Fault.CORRUPT);
        fake.failNext(Op.DOWNLOAD, Fault.CORRUPT);

        assertThatThrownBy(() -> store().download(remote, target)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("md5");
        assertThat(target).isEmptyFile();
    }

    @Test
    void download_withOneCorruptTransfer_isRetried() throws IOException {
        Backup backup = backup(dir, T0, 5000, 24);
        RemoteBackup remote = store().upload(backup, fileOf(dir, backup));
        Path target = Files.createFile(dir.resolve("restored.db"));
        fake.failNext(Op.DOWNLOAD, Fault.CORRUPT);

        store().download(remote, target);

        assertThat(target).hasBinaryContent(Files.readAllBytes(fileOf(dir, backup)));
    }

    @Test
    void parentFolder_isUsed_andServiceAccountCredentialsWork() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String email = "backup@fake-project.iam.gserviceaccount.com";
        fake.trustServiceAccount(email, keys.getPublic());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path account = dir.resolve("service-account.json");
        Files.writeString(account, """
                {"type": "service_account", "project_id": "fake-project", "private_key_id": "k1",
                 "private_key": "%s", "client_email": "%s", "client_id": "1234", "token_uri": "%s"}
                """.formatted(pem.replace("\n", "\\n"), email, fake.tokenUri()));
        String shared = fake.put("Team backups", "application/vnd.google-apps.folder", FakeDrive.ROOT_ID, Map.of(),
                null).id;
        DriveSettings settings = new DriveSettings(account, "SQLite Backups", Optional.of(shared),
                Optional.of(fake.rootUrl()), CHUNK, 5, Duration.ofMillis(1), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        Backup backup = backup(dir, T0, 1000, 25);

        plainStore(settings, sleeper).upload(backup, fileOf(dir, backup));

        FakeDrive.FakeFile folder = folders().stream().filter(f -> f.name.equals("SQLite Backups")).findFirst()
                .orElseThrow();
        assertThat(folder.parents).containsExactly(shared);
        assertThat(fake.childrenOf(folder.id)).extracting(f -> f.name).containsExactly(backup.name().value());
    }

    @Test
    void twoDatabasesSharingAFolder_eachSeesListsDedupesAndDeletesOnlyItsOwnCopies() throws IOException {
        DatabaseIdentity app = new DatabaseIdentity(Path.of("/srv/app/app.db"));
        DatabaseIdentity users = new DatabaseIdentity(Path.of("/srv/app/users.db"));
        DriveRemoteBackupStore appStore = plainStore(settings(fake, credentials), Optional.of(app),
                sleeper);
        DriveRemoteBackupStore usersStore = plainStore(settings(fake, credentials),
                Optional.of(users), sleeper);
        Backup appBackup = backup(dir, T0, 1000, 1);
        RemoteBackup appCopy = appStore.upload(appBackup, fileOf(dir, appBackup));
        // users.db's backup of the same second with the same bytes: a copy of its own, never the other's
        Path usersDir = Files.createDirectory(dir.resolve("users"));
        Backup usersBackup = backup(usersDir, T0, 1000, 1);
        RemoteBackup usersCopy = usersStore.upload(usersBackup, fileOf(usersDir, usersBackup));

        assertThat(usersCopy.id()).isNotEqualTo(appCopy.id());
        assertThat(fake.named(appBackup.name().value())).extracting(f -> f.appProperties.get("database"))
                .containsExactlyInAnyOrder(DriveRemoteBackupStore.tagOf(app), DriveRemoteBackupStore.tagOf(users));
        assertThat(appStore.list()).extracting(RemoteBackup::id).containsExactly(appCopy.id());
        assertThat(usersStore.list()).extracting(RemoteBackup::id).containsExactly(usersCopy.id());
        assertThatThrownBy(() -> usersStore.delete(appCopy)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("refusing to delete");
        assertThat(fake.files()).extracting(f -> f.id).contains(appCopy.id());
        usersStore.delete(usersCopy);
        assertThat(appStore.list()).extracting(RemoteBackup::id).containsExactly(appCopy.id());
        assertThat(plainStore(settings(fake, credentials), sleeper).list())
                .as("a store for no database sees every copy of the tool's").extracting(RemoteBackup::id)
                .containsExactly(appCopy.id());
    }

    @Test
    void copiesUploadedBeforeCopiesWereTagged_countAsTheDatabasesOwn() throws IOException {
        Backup old = backup(dir, T0, 1000, 1);
        RemoteBackup untagged = store().upload(old, fileOf(dir, old));
        assertThat(fake.named(old.name().value())).singleElement()
                .satisfies(f -> assertThat(f.appProperties).doesNotContainKey("database"));

        DriveRemoteBackupStore app = plainStore(settings(fake, credentials),
                Optional.of(new DatabaseIdentity(Path.of("/srv/app/app.db"))), sleeper);

        assertThat(app.list()).extracting(RemoteBackup::id).containsExactly(untagged.id());
        assertThat(app.upload(old, fileOf(dir, old)).id()).as("already there, not uploaded twice")
                .isEqualTo(untagged.id());
        app.delete(untagged);
        assertThat(app.list()).isEmpty();
    }
}
