package dev.sqlitebackup.adapters.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.StoredForm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real codec on real SQLite databases (one of random, incompressible pages, one mostly text, several MB each),
 * and against the standard tools both ways: what it writes, {@code age -d} and {@code zstd -d} restore byte for
 * byte; what {@code zstd} and {@code age -r} write, it reads.
 */
class ZstdAgeBackupCodecTest {

    private static final String NAME = "backup-2026-11-26-030000.db";

    @TempDir
    static Path databases;

    @TempDir
    Path dir;

    private static Path randomDb;
    private static Path textDb;

    private static final TestKeys.Pair OWNER = TestKeys.newPair();
    private static final TestKeys.Pair SOMEONE_ELSE = TestKeys.newPair();

    @BeforeAll
    static void databases() throws SQLException {
        randomDb = databases.resolve("random.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + randomDb);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB NOT NULL)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                    + "INSERT INTO blobs (b) SELECT randomblob(3000) FROM n");
        }
        textDb = databases.resolve("text.db");
        String[] words = ("the a meeting about backup notes moved to room on tuesday invoice customer sent paid "
                + "account password reset chat message hello thanks see you tomorrow order shipped delayed "
                + "weather report rain sun").split(" ");
        Random random = new Random(7);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + textDb)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, author TEXT, body TEXT NOT NULL)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO notes (author, body) VALUES (?, ?)")) {
                for (int row = 0; row < 40_000; row++) {
                    StringBuilder body = new StringBuilder();
                    for (int w = 0; w < 20 + random.nextInt(20); w++) {
                        body.append(words[random.nextInt(words.length)]).append(' ');
                    }
                    insert.setString(1, "user" + random.nextInt(300));
                    insert.setString(2, body.toString());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    private static ZstdAgeBackupCodec codec(StoredForm form) {
        return codec(form, CodecSettings.DEFAULT_LEVEL);
    }

    private static ZstdAgeBackupCodec codec(StoredForm form, int level) {
        return new ZstdAgeBackupCodec(new CodecSettings(form.compressed(), level,
                form.encrypted() ? List.of(OWNER.recipient()) : List.of(), List.of(OWNER.identity())));
    }

    /** Encodes {@code plain} into {@code stored}, streaming from file to file. */
    private static Path encode(ZstdAgeBackupCodec codec, Path plain, Path stored) throws IOException {
        try (InputStream in = Files.newInputStream(plain);
                OutputStream out = codec.encoding(Files.newOutputStream(stored))) {
            in.transferTo(out);
        }
        return stored;
    }

    private static Path decode(ZstdAgeBackupCodec codec, Path stored, StoredForm form, Path plain)
            throws IOException {
        try (InputStream in = codec.decoding(Files.newInputStream(stored), form, form.fileName(
                new dev.sqlitebackup.domain.model.BackupName(NAME)))) {
            Files.copy(in, plain);
        }
        return plain;
    }

    private Path stored(StoredForm form) {
        return dir.resolve(NAME + form.suffix());
    }

    @ParameterizedTest
    @EnumSource(StoredForm.class)
    void roundTrip_ofARandomPagedDatabase_andOfAMostlyTextOne(StoredForm form) throws IOException {
        for (Path db : List.of(randomDb, textDb)) {
            Path stored = encode(codec(form), db, dir.resolve(db.getFileName() + form.suffix()));
            Path restored = decode(codec(form), stored, form, dir.resolve(db.getFileName() + ".restored"));

            assertThat(Files.size(db)).as("several MB").isGreaterThan(5_000_000);
            assertThat(Files.mismatch(db, restored)).as("%s of %s", form, db.getFileName()).isEqualTo(-1);
            if (form.compressed() && db.equals(textDb)) {
                assertThat(Files.size(stored)).isLessThan(Files.size(db) / 3);
            } else {
                // random pages do not shrink, and neither form may add more than its framing
                assertThat(Files.size(stored)).isLessThan(Files.size(db) + Files.size(db) / 100 + 1000);
            }
        }
    }

    @Test
    void theZstdLevel_isHonoured_nineteenPacksTextTighterThanOne() throws IOException {
        long one = Files.size(encode(codec(StoredForm.ZSTD, 1), textDb, dir.resolve("one.zst")));
        long nineteen = Files.size(encode(codec(StoredForm.ZSTD, 19), textDb, dir.resolve("nineteen.zst")));

        assertThat(nineteen).isLessThan(one);
        assertThat(Files.mismatch(decode(codec(StoredForm.ZSTD), dir.resolve("nineteen.zst"), StoredForm.ZSTD,
                dir.resolve("nineteen.db")), textDb)).isEqualTo(-1);
    }

    @Test
    void level3_storesTheTextDatabaseInAboutWhatZstdMinus3Does() throws IOException {
        StandardTools.require("zstd");
        StandardTools.run(dir, "zstd", "-3", "-q", "-o", "cli.zst", textDb.toString());
        long cli = Files.size(dir.resolve("cli.zst"));

        long ours = Files.size(encode(codec(StoredForm.ZSTD, 3), textDb, dir.resolve("ours.zst")));

        assertThat((double) ours).as("ours %d, zstd -3 %d", ours, cli).isCloseTo(cli, Percentage.withPercentage(2));
    }

    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"ZSTD", "AGE", "ZSTD_AGE"})
    void whatTheCodecWrites_theStandardToolsRestore(StoredForm form) throws IOException {
        StandardTools.require("age", "zstd");
        Path identity = Files.writeString(dir.resolve("id.txt"), OWNER.secret() + "\n");
        for (Path db : List.of(textDb, randomDb)) {
            Path stored = encode(codec(form), db, stored(form));
            Path zst = stored;
            if (form.encrypted()) {
                zst = dir.resolve("decrypted");
                StandardTools.run(dir, "age", "-d", "-i", identity.toString(), "-o", zst.toString(),
                        stored.toString());
            }
            Path restored = dir.resolve("restored.db");
            if (form.compressed()) {
                StandardTools.run(dir, "zstd", "-d", "-q", "-o", restored.toString(), zst.toString());
            } else {
                Files.move(zst, restored);
            }
            assertThat(Files.mismatch(restored, db)).as("%s of %s", form, db.getFileName()).isEqualTo(-1);
            for (Path p : List.of(stored, restored, dir.resolve("decrypted"))) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void zstdThenAgeFromTheCommandLine_isReadByTheCodec_asAreAgeAloneAndZstdAlone() throws IOException {
        StandardTools.require("age", "age-keygen", "zstd");
        Path identity = Files.writeString(dir.resolve("id.txt"), OWNER.secret() + "\n");
        String recipient = StandardTools.run(dir, "age-keygen", "-y", identity.toString());
        assertThat(recipient).isEqualTo(OWNER.recipient().value());

        // zstd -3 -c db | age -r $(age-keygen -y id.txt), in two steps through files
        StandardTools.run(dir, "zstd", "-3", "-q", "-o", "db.zst", textDb.toString());
        StandardTools.run(dir, "age", "-r", recipient, "-o", "db.zst.age", "db.zst");
        StandardTools.run(dir, "age", "-r", recipient, "-o", "db.age", randomDb.toString());

        assertThat(Files.mismatch(decode(codec(StoredForm.PLAIN), dir.resolve("db.zst.age"), StoredForm.ZSTD_AGE,
                dir.resolve("a.db")), textDb)).isEqualTo(-1);
        assertThat(Files.mismatch(decode(codec(StoredForm.PLAIN), dir.resolve("db.age"), StoredForm.AGE,
                dir.resolve("b.db")), randomDb)).isEqualTo(-1);
        assertThat(Files.mismatch(decode(codec(StoredForm.PLAIN), dir.resolve("db.zst"), StoredForm.ZSTD,
                dir.resolve("c.db")), textDb)).isEqualTo(-1);
    }

    @Test
    void anAgeFileForSeveralRecipients_opensWithTheOwnersIdentityAmongOthers() throws IOException {
        StandardTools.require("age");
        StandardTools.run(dir, "age", "-r", SOMEONE_ELSE.recipient().value(), "-r", OWNER.recipient().value(),
                "-o", "db.age", textDb.toString());
        ZstdAgeBackupCodec withBoth = new ZstdAgeBackupCodec(new CodecSettings(true, 3, List.of(),
                List.of(TestKeys.newPair().identity(), OWNER.identity())));

        assertThat(Files.mismatch(decode(withBoth, dir.resolve("db.age"), StoredForm.AGE, dir.resolve("a.db")),
                textDb)).isEqualTo(-1);
    }

    /** age's chunks are 64 KiB: sizes at and around their boundaries, both ways. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 131_072})
    void chunkBoundaries_agreeWithAge(int size) throws IOException {
        StandardTools.require("age");
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        Path file = Files.write(dir.resolve("plain.bin"), plain);
        Path identity = Files.writeString(dir.resolve("id.txt"), OWNER.secret() + "\n");

        encode(codec(StoredForm.AGE), file, dir.resolve("ours.age"));
        StandardTools.run(dir, "age", "-d", "-i", identity.toString(), "-o", "ours.bin", "ours.age");
        StandardTools.run(dir, "age", "-r", OWNER.recipient().value(), "-o", "theirs.age", file.toString());

        // age -o creates its output at the first byte it writes: for an empty file, none
        Path ours = dir.resolve("ours.bin");
        assertThat(Files.exists(ours) ? Files.readAllBytes(ours) : new byte[0]).isEqualTo(plain);
        assertThat(Files.readAllBytes(decode(codec(StoredForm.AGE), dir.resolve("theirs.age"), StoredForm.AGE,
                dir.resolve("theirs.bin")))).isEqualTo(plain);
    }

    private static byte[] encodeBytes(StoredForm form, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encoding = codec(form).encoding(out)) {
            encoding.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] decodeBytes(ZstdAgeBackupCodec codec, byte[] stored, StoredForm form) throws IOException {
        try (InputStream in = codec.decoding(new ByteArrayInputStream(stored), form, form.fileName(
                new dev.sqlitebackup.domain.model.BackupName(NAME)))) {
            return in.readAllBytes();
        }
    }

    private static int indexOf(byte[] bytes, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError(text + " not found");
    }

    @Test
    void damageToTheAgeHeader_isDamage_exceptInsideAStanza_whichAgeCannotTellFromAnotherKey() throws IOException {
        byte[] plain = "a small database".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        byte[] stored = encodeBytes(StoredForm.ZSTD_AGE, plain);
        int version = indexOf(stored, "age-encryption.org/v1");
        int mac = indexOf(stored, "\n--- ") + 6;
        int stanzaBody = indexOf(stored, "-> X25519 ") + 10;
        String name = NAME + ".zst.age";

        for (int at : new int[] {version + 4, mac + 10}) {
            byte[] damaged = stored.clone();
            damaged[at] ^= 0x01;
            assertThatThrownBy(() -> decodeBytes(codec(StoredForm.ZSTD_AGE), damaged, StoredForm.ZSTD_AGE))
                    .as("byte %d flipped", at)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith(name + " is damaged or cut short: ");
        }
        assertThatThrownBy(() -> decodeBytes(codec(StoredForm.ZSTD_AGE), Arrays.copyOf(stored, mac),
                StoredForm.ZSTD_AGE))
                .isInstanceOf(IOException.class)
                .hasMessage(name + " is damaged or cut short: it has no readable age header");
        byte[] otherKey = stored.clone();
        otherKey[stanzaBody + 5] ^= 0x01;
        assertThatThrownBy(() -> decodeBytes(codec(StoredForm.ZSTD_AGE), otherKey, StoredForm.ZSTD_AGE))
                .isInstanceOf(NoMatchingIdentityException.class);
    }

    @Test
    void theErrorsSayWhatIsWrong_andNeverHoldASecret() throws IOException {
        byte[] plain = new byte[200_000];
        new Random(3).nextBytes(plain);
        byte[] stored = encodeBytes(StoredForm.ZSTD_AGE, plain);
        List<Throwable> errors = new ArrayList<>();
        byte[] cut = Arrays.copyOf(stored, stored.length - 100);
        byte[] flipped = stored.clone();
        flipped[stored.length / 2] ^= 0x10;
        for (byte[] bad : List.of(cut, flipped)) {
            try {
                decodeBytes(codec(StoredForm.ZSTD_AGE), bad, StoredForm.ZSTD_AGE);
            } catch (IOException e) {
                errors.add(e);
            }
        }
        ZstdAgeBackupCodec wrongKey = new ZstdAgeBackupCodec(new CodecSettings(true, 3, List.of(),
                List.of(SOMEONE_ELSE.identity())));
        try {
            decodeBytes(wrongKey, stored, StoredForm.ZSTD_AGE);
        } catch (NoMatchingIdentityException e) {
            errors.add(e);
        }

        assertThat(errors).extracting(Throwable::getMessage).containsExactly(
                NAME + ".zst.age is damaged or cut short: its age payload does not authenticate",
                NAME + ".zst.age is damaged or cut short: its age payload does not authenticate",
                "no identity matches " + NAME + ".zst.age");
        for (Throwable error : errors) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage()))
                        .doesNotContain(OWNER.secret().substring(16, 40))
                        .doesNotContain(SOMEONE_ELSE.secret().substring(16, 40));
            }
        }
    }

    @Test
    void aDamagedZstdFrame_namesZstdsComplaint() throws IOException {
        byte[] plain = new byte[200_000];
        new Random(5).nextBytes(plain);
        byte[] stored = encodeBytes(StoredForm.ZSTD, plain);
        stored[stored.length - 2] ^= 0x01; // in the frame's checksum

        assertThatThrownBy(() -> decodeBytes(codec(StoredForm.ZSTD), stored, StoredForm.ZSTD))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(NAME + ".zst is damaged or cut short: its zstd frame is broken (");
    }

    /** A stored stream that fails on its own (a network reset, a disk error) is not called damaged. */
    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"ZSTD", "AGE", "ZSTD_AGE"})
    void theStoredStreamsOwnFailure_isPassedOnAsItIs(StoredForm form) throws IOException {
        byte[] plain = new byte[1_000_000];
        new Random(9).nextBytes(plain);
        byte[] stored = encodeBytes(form, plain);
        IOException reset = new IOException("connection reset by peer");
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(stored)) {
            private int read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > stored.length / 2) {
                    throw reset;
                }
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };

        assertThatThrownBy(() -> {
            try (InputStream in = codec(form).decoding(failing, form, NAME + form.suffix())) {
                in.readAllBytes();
            }
        }).isSameAs(reset);
    }

    /** Memory stays bounded: plain bytes come out long before the stored stream is read to its end. */
    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"ZSTD", "AGE", "ZSTD_AGE"})
    void decodingStreams(StoredForm form) throws IOException {
        byte[] plain = new byte[16 << 20];
        new Random(1).nextBytes(plain);
        byte[] stored = encodeBytes(form, plain);
        long[] consumed = {0};
        InputStream counting = new FilterInputStream(new ByteArrayInputStream(stored)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                consumed[0] += Math.max(n, 0);
                return n;
            }
        };

        try (InputStream in = codec(form).decoding(counting, form, NAME + form.suffix())) {
            byte[] first = in.readNBytes(1 << 20);
            assertThat(first).isEqualTo(Arrays.copyOf(plain, 1 << 20));
            assertThat(consumed[0]).as("stored bytes read for the first MiB").isLessThan(4 << 20);
        }
    }

    /**
     * What encoding holds back (written in, not yet out) stays a few of zstd's jobs, however much goes through: 128
     * MiB of incompressible bytes here, in 1 MiB writes. zstd holds its workers' jobs and a few more as they come in
     * (a ring of workers + 3 jobs), and as many compressed ones until they are taken out.
     */
    @ParameterizedTest
    @EnumSource(value = StoredForm.class, names = {"ZSTD", "AGE", "ZSTD_AGE"})
    void encodingStreams_holdingBackAFewMiBAtMost(StoredForm form) throws IOException {
        long[] received = {0};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                received[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                received[0] += len;
            }
        };
        byte[] block = new byte[1 << 20];
        Random random = new Random(2);
        long written = 0;
        long heldBack = 0;

        try (OutputStream out = codec(form).encoding(sink)) {
            for (int i = 0; i < 128; i++) {
                random.nextBytes(block);
                out.write(block);
                written += block.length;
                heldBack = Math.max(heldBack, written - received[0]);
            }
        }

        long jobs = 2L * (ZstdAgeBackupCodec.ZSTD_WORKERS + 3);
        assertThat(heldBack).as("bytes written but not yet stored, at most, over 128 MiB")
                .isLessThanOrEqualTo(jobs * ZstdAgeBackupCodec.ZSTD_JOB_SIZE);
        assertThat(received[0]).isGreaterThan(written);
    }

    @Test
    void aPlainCopy_passesThroughUntouched_andTheDatabaseOpensAsItIs() throws IOException {
        Path stored = encode(codec(StoredForm.PLAIN), textDb, stored(StoredForm.PLAIN));

        assertThat(Files.mismatch(stored, textDb)).isEqualTo(-1);
        assertThat(Files.mismatch(decode(codec(StoredForm.PLAIN), stored, StoredForm.PLAIN, dir.resolve("r.db")),
                textDb)).isEqualTo(-1);
    }
}
