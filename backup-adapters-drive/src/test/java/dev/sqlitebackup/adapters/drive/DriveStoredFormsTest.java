package dev.sqlitebackup.adapters.drive;

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
import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.Sidecar;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import dev.sqlitebackup.domain.testing.InMemoryBackupCodec;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Copies in a stored form (compressed, encrypted): made in one pass, resumed without re-encoding, read back. */
class DriveStoredFormsTest {

    private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
    private static final String KEY = "age1drivetestkey";

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

    private DriveRemoteBackupStore store(BackupCodec codec) {
        return new DriveRemoteBackupStore(settings(fake, credentials), Optional.empty(), codec, sleeper);
    }

    private static InMemoryBackupCodec encrypting() {
        return InMemoryBackupCodec.encryptedTo(StoredForm.ZSTD_AGE, KEY, KEY);
    }

    /** The plain bytes of a stored copy, decoded as a reader holding the key would. */
    private static byte[] decoded(FakeDrive.FakeFile stored) throws IOException {
        StoredForm form = StoredForm.ofFileName(stored.name).orElseThrow();
        try (InputStream plain = encrypting().decoding(new ByteArrayInputStream(stored.bytes()), form, stored.name)) {
            return plain.readAllBytes();
        }
    }

    private long mediaGets(String id) {
        return fake.requests().stream().filter(r -> r.equals("GET /download/drive/v3/files/" + id)
                || r.equals("GET /drive/v3/files/" + id)).count();
    }

    @Test
    void anEncryptedUpload_goesInChunksOfUnknownTotal_andDecodesToTheDatabase() throws IOException {
        Backup backup = backup(dir, T0, 5 * CHUNK + 777, 1);
        byte[] plain = Files.readAllBytes(fileOf(dir, backup));

        RemoteBackup copy = store(encrypting()).upload(backup, fileOf(dir, backup));

        FakeDrive.FakeFile stored = fake.named(backup.name().value() + ".zst.age").get(0);
        assertThat(decoded(stored)).isEqualTo(plain);
        assertThat(stored.appProperties).containsEntry("sha256", backup.recordedSha256().orElseThrow())
                .containsEntry("form", "zstd+age").containsEntry("sqlite-backup", "1");
        assertThat(stored.mimeType).isEqualTo("application/octet-stream");
        assertThat(copy.form()).isEqualTo(StoredForm.ZSTD_AGE);
        assertThat(copy.id()).isEqualTo(stored.id);
        assertThat(copy.sizeBytes()).isEqualTo(stored.size());
        assertThat(copy.md5()).contains(stored.md5());
        List<String> puts = fake.requests().stream().filter(r -> r.startsWith("PUT /upload/drive/v3/files bytes "))
                .toList();
        assertThat(puts).hasSizeGreaterThan(5);
        assertThat(puts.subList(0, puts.size() - 1)).allSatisfy(r -> assertThat(r).endsWith("/*"));
        assertThat(puts.get(puts.size() - 1)).endsWith("/" + stored.size());
        assertThat(fake.requests()).filteredOn(r -> r.startsWith("POST /upload")).hasSize(1);
        assertThat(sleeper.delays()).isEmpty();
    }

    /** A local backup stored compressed ({@code .db.zst}), as LOCAL_COMPRESSION=zstd keeps them. */
    private Backup compressedLocal(byte[] plain) throws IOException {
        BackupName name = BackupName.at(T0);
        byte[] stored = InMemoryBackupCodec.compressed().encode(plain);
        Files.write(dir.resolve(name.value() + ".zst"), stored);
        return new Backup(name, StoredForm.ZSTD, stored.length, new Sidecar.Recorded(FakeDrive.hex("SHA-256", stored),
                Optional.of(FakeDrive.hex("SHA-256", plain))));
    }

    @Test
    void aCompressedLocalBackup_reachesDriveAsThePlainDatabase_inDrivesOwnForm() throws IOException {
        byte[] plain = "a mostly text database; ".repeat(3 * CHUNK / 20).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Backup backup = compressedLocal(plain);
        Path local = dir.resolve(backup.storedName());

        RemoteBackup copy = store(encrypting()).upload(backup, local);
        RemoteBackup again = store(InMemoryBackupCodec.plain()).upload(backup, local);

        FakeDrive.FakeFile stored = fake.named(backup.name().value() + ".zst.age").get(0);
        assertThat(decoded(stored)).isEqualTo(plain);
        assertThat(stored.appProperties).containsEntry("sha256", FakeDrive.hex("SHA-256", plain));
        assertThat(again).as("one copy per backup, whatever the local form").isEqualTo(copy);
        assertThat(fake.files()).filteredOn(f -> !f.isFolder()).hasSize(1);
    }

    @Test
    void aCompressedLocalBackup_besideAPlainDriveCopy_isCheckedOnItsDatabaseMd5_andNotUploadedAgain()
            throws IOException {
        byte[] plain = "another database; ".repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Backup backup = compressedLocal(plain);
        Path local = dir.resolve(backup.storedName());
        RemoteBackup first = store(InMemoryBackupCodec.plain()).upload(backup, local);

        RemoteBackup second = store(encrypting()).upload(backup, local);

        assertThat(fake.named(backup.name().value()).get(0).bytes()).isEqualTo(plain);
        assertThat(second).isEqualTo(first);
        assertThat(fake.count("POST /upload/drive/v3/files")).isEqualTo(1);
    }

    @Test
    void aDamagedCompressedLocalBackup_isNotUploaded() throws IOException {
        byte[] plain = "precious; ".repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Backup backup = compressedLocal(plain);
        Path local = dir.resolve(backup.storedName());
        byte[] stored = Files.readAllBytes(local);
        stored[stored.length / 2] ^= 0x01;
        Files.write(local, stored);

        assertThatThrownBy(() -> store(encrypting()).upload(backup, local))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining(backup.name().value());
        assertThat(fake.files()).filteredOn(f -> !f.isFolder()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"SERVER_ERROR", "RESET", "ANSWER_LOST"})
    void aFaultDuringAnEncryptedUpload_resendsTheSameBytes_andMakesExactlyOneCopy(Fault fault) throws IOException {
        fake.retryAfterSeconds = 0;
        Backup backup = backup(dir, T0, 4 * CHUNK + 99, 2);
        Recording codec = new Recording(encrypting());
        fake.failChunk(2, fault);

        RemoteBackup copy = store(codec).upload(backup, fileOf(dir, backup));

        assertThat(fake.files()).filteredOn(f -> !f.isFolder()).singleElement().satisfies(stored -> {
            assertThat(stored.id).isEqualTo(copy.id());
            assertThat(decoded(stored)).isEqualTo(Files.readAllBytes(fileOf(dir, backup)));
        });
        assertThat(codec.starts).as("resumed from the bytes held, never encoded again").hasSize(1);
        assertThat(fake.count("POST /upload/drive/v3/files")).isEqualTo(1);
        assertThat(fake.count("PUT /upload/drive/v3/files bytes */*")).isEqualTo(1);
        assertThat(sleeper.delays()).hasSize(1);
    }

    @Test
    void aLostSessionDuringAnEncryptedUpload_startsAFreshEncoding_andMakesExactlyOneCopy() throws IOException {
        Backup backup = backup(dir, T0, 4 * CHUNK + 99, 3);
        Recording codec = new Recording(encrypting());
        fake.failChunk(2, Fault.SESSION_GONE);

        RemoteBackup copy = store(codec).upload(backup, fileOf(dir, backup));

        FakeDrive.FakeFile stored = fake.files().stream().filter(f -> !f.isFolder()).reduce((a, b) -> {
            throw new AssertionError("two copies: " + a.name + ", " + b.name);
        }).orElseThrow();
        assertThat(stored.id).isEqualTo(copy.id());
        assertThat(decoded(stored)).isEqualTo(Files.readAllBytes(fileOf(dir, backup)));
        assertThat(fake.count("POST /upload/drive/v3/files")).isEqualTo(2);
        assertThat(codec.starts).as("a new session, a new encoding").hasSize(2);
        assertThat(codec.starts.get(0)).isNotEqualTo(codec.starts.get(1));
        assertThat(Arrays.copyOf(stored.bytes(), Recording.START)).isEqualTo(codec.starts.get(1));
    }

    @Test
    void memoryStaysAtAChunkAndABlock_whateverTheSizeOfTheStoredBytes() throws IOException {
        Backup backup = backup(dir, T0, 3 * 1024 * 1024 + 5, 4); // stored: 24 MiB, 96 chunks
        byte[] plain = Files.readAllBytes(fileOf(dir, backup));
        DriveRemoteBackupStore store = store(new Stretching());

        RemoteBackup copy = store.upload(backup, fileOf(dir, backup));

        FakeDrive.FakeFile stored = fake.named(backup.name().value() + ".zst").get(0);
        assertThat(stored.size()).isEqualTo(Stretching.TIMES * (long) plain.length);
        assertThat(copy.md5()).contains(FakeDrive.hex("MD5", new Stretching().stretch(plain)));
        assertThat(store.uploadHighWater()).as("bytes held at once").isGreaterThan(CHUNK)
                .isLessThanOrEqualTo(CHUNK + DriveRemoteBackupStore.READ_BLOCK);
        Path target = Files.createFile(dir.resolve("restored.db"));
        store.download(copy, target);
        assertThat(target).hasBinaryContent(plain);
    }

    @Test
    void memoryStaysAtAChunkAndABlock_alsoWhenTheCodecWritesEverythingAtOnce() throws IOException {
        Backup backup = backup(dir, T0, 6 * 1024 * 1024 + 5, 11); // the fake codec writes its 6 MiB in one go
        DriveRemoteBackupStore store = store(encrypting());

        RemoteBackup copy = store.upload(backup, fileOf(dir, backup));

        assertThat(decoded(fake.named(copy.storedName()).get(0))).isEqualTo(Files.readAllBytes(fileOf(dir, backup)));
        assertThat(store.uploadHighWater()).as("bytes held at once").isGreaterThan(CHUNK)
                .isLessThanOrEqualTo(CHUNK + DriveRemoteBackupStore.READ_BLOCK);
    }

    @Test
    void aLocalFileChangedSinceVerification_neverBecomesAnEncryptedFileOnDrive() throws IOException {
        Backup backup = backup(dir, T0, 3 * CHUNK + 100, 5);
        byte[] changed = Files.readAllBytes(fileOf(dir, backup));
        changed[changed.length - 1] ^= 1;
        Files.write(fileOf(dir, backup), changed);

        assertThatThrownBy(() -> store(encrypting()).upload(backup, fileOf(dir, backup)))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("not the verified");

        assertThat(fake.files()).noneMatch(f -> !f.isFolder());
        assertThat(fake.count("PUT /upload/drive/v3/files bytes ")).as("chunks went").isPositive();
        assertThat(fake.requests()).as("no chunk stated a total").filteredOn(r -> r.startsWith("PUT"))
                .allSatisfy(r -> assertThat(r).endsWith("/*"));
    }

    @Test
    void aCopyWithoutItsKey_failsWithNoMatchingIdentity_untried_andLeavesNoBytes() throws IOException {
        Backup backup = backup(dir, T0, 2 * CHUNK, 6);
        RemoteBackup copy = store(encrypting()).upload(backup, fileOf(dir, backup));
        Path target = Files.writeString(dir.resolve("target.db"), "left from before");

        DriveRemoteBackupStore wrongKey = store(InMemoryBackupCodec.compressed("age1someoneelse"));
        assertThatThrownBy(() -> wrongKey.download(copy, target)).isExactlyInstanceOf(
                NoMatchingIdentityException.class).hasMessageContaining(copy.storedName());

        assertThat(mediaGets(copy.id())).as("not retried").isEqualTo(1);
        assertThat(sleeper.delays()).isEmpty();
        assertThat(target).isEmptyFile();
    }

    @Test
    void aFlippedByteInAStoredEncryptedCopy_failsTheDownload_namingIt() throws IOException {
        Backup backup = backup(dir, T0, 2 * CHUNK + 1, 7);
        DriveRemoteBackupStore store = store(encrypting());
        RemoteBackup copy = store.upload(backup, fileOf(dir, backup));
        fake.damageStored(copy.id());
        RemoteBackup listed = store.list().get(0); // Drive's md5 follows the rotten bytes: only decoding sees it
        Path target = Files.createFile(dir.resolve("restored.db"));

        assertThatThrownBy(() -> store.download(listed, target)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining(copy.storedName() + " is damaged or cut short")
                .hasMessageNotContaining("\n");

        assertThat(mediaGets(copy.id())).as("tried again once, as a bad md5").isEqualTo(2);
        assertThat(target).isEmptyFile();
    }

    @Test
    void aCorruptTransferOfAnEncryptedCopy_isRetried_andDecodes() throws IOException {
        Backup backup = backup(dir, T0, 2 * CHUNK + 1, 8);
        DriveRemoteBackupStore store = store(encrypting());
        RemoteBackup copy = store.upload(backup, fileOf(dir, backup));
        fake.failNext(Op.DOWNLOAD, Fault.CORRUPT);
        Path target = Files.createFile(dir.resolve("restored.db"));

        store.download(copy, target);

        assertThat(target).hasBinaryContent(Files.readAllBytes(fileOf(dir, backup)));
        assertThat(mediaGets(copy.id())).isEqualTo(2);
    }

    @Test
    void oldPlainCopiesAndNewEncryptedOnes_areListedTogether_andAPlainCopyOfTheBackupIsNotDoubled()
            throws IOException {
        Backup old = backup(dir, T0, 1000, 9);
        RemoteBackup plain = store(InMemoryBackupCodec.plain()).upload(old, fileOf(dir, old));
        Backup newer = backup(dir, T0.plusSeconds(86_400), 1000, 10);
        DriveRemoteBackupStore store = store(encrypting());
        RemoteBackup encrypted = store.upload(newer, fileOf(dir, newer));

        RemoteBackup again = store.upload(old, fileOf(dir, old));

        assertThat(again.id()).isEqualTo(plain.id());
        assertThat(again.form()).isEqualTo(StoredForm.PLAIN);
        assertThat(store.list()).extracting(RemoteBackup::storedName)
                .containsExactly(encrypted.storedName(), plain.storedName());
        assertThat(fake.count("POST /upload/drive/v3/files")).isEqualTo(2);
    }

    @Test
    void aFileWhoseNameContradictsItsFormTag_isNotTheTools() throws IOException {
        String folder = fake.put("SQLite Backups", DriveRemoteBackupStore.FOLDER_MIME, FakeDrive.ROOT_ID, Map.of(),
                null).id;
        String renamed = fake.put("backup-2026-11-26-030000.db", "application/vnd.sqlite3", folder,
                Map.of("sqlite-backup", "1", "sha256", "ab", "form", "zstd+age"), new byte[] {1}).id;
        String untagged = fake.put("backup-2026-11-25-030000.db.zst", "application/zstd", folder,
                Map.of("sqlite-backup", "1", "sha256", "cd"), new byte[] {2}).id;

        List<RemoteBackup> listed = store(encrypting()).list();

        assertThat(listed).extracting(RemoteBackup::id).containsExactly(untagged);
        assertThat(listed.get(0).form()).isEqualTo(StoredForm.ZSTD);
        RemoteBackup pretend = new RemoteBackup(new BackupName("backup-2026-11-26-030000.db"), StoredForm.PLAIN,
                renamed, 1, Optional.empty(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> store(encrypting()).delete(pretend)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("refusing");
    }

    /** Passes encodings through to another codec, keeping how each began (before the nonce and after it). */
    private static final class Recording implements BackupCodec {
        static final int START = 64;
        final BackupCodec inner;
        final List<byte[]> starts = new CopyOnWriteArrayList<>();

        Recording(BackupCodec inner) {
            this.inner = inner;
        }

        @Override
        public StoredForm form() {
            return inner.form();
        }

        @Override
        public OutputStream encoding(OutputStream stored) throws IOException {
            byte[] start = new byte[START];
            starts.add(start);
            return inner.encoding(new FilterOutputStream(stored) {
                private long written;

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    for (int i = 0; i < length && written + i < START; i++) {
                        start[(int) written + i] = bytes[offset + i];
                    }
                    written += length;
                    out.write(bytes, offset, length);
                }
            });
        }

        @Override
        public InputStream decoding(InputStream stored, StoredForm form, String storedName) throws IOException {
            return inner.decoding(stored, form, storedName);
        }
    }

    /**
     * A streaming codec whose stored bytes are {@link #TIMES} as long as the plain ones (each byte repeated), so an
     * upload is many chunks long while nothing but the upload holds them.
     */
    private static final class Stretching implements BackupCodec {
        static final int TIMES = 8;

        byte[] stretch(byte[] plain) {
            byte[] out = new byte[plain.length * TIMES];
            for (int i = 0; i < out.length; i++) {
                out[i] = plain[i / TIMES];
            }
            return out;
        }

        @Override
        public StoredForm form() {
            return StoredForm.ZSTD;
        }

        @Override
        public OutputStream encoding(OutputStream stored) {
            return new OutputStream() {
                private final byte[] block = new byte[4096 * TIMES];

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    while (length > 0) {
                        int n = Math.min(length, block.length / TIMES);
                        for (int i = 0; i < n * TIMES; i++) {
                            block[i] = bytes[offset + i / TIMES];
                        }
                        stored.write(block, 0, n * TIMES);
                        offset += n;
                        length -= n;
                    }
                }

                @Override
                public void close() throws IOException {
                    stored.close();
                }
            };
        }

        @Override
        public InputStream decoding(InputStream stored, StoredForm form, String storedName) {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = stored.readNBytes(TIMES);
                    if (one.length == 0) {
                        return -1;
                    }
                    for (byte b : one) {
                        if (one.length != TIMES || b != one[0]) {
                            throw new IOException(storedName + " is damaged");
                        }
                    }
                    return one[0] & 0xff;
                }
            };
        }
    }
}
