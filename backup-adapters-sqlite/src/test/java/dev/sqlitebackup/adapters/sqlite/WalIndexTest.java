package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WAL reader on WAL files built here byte by byte, with the format's checksum written out again from the
 * specification (so the reader's own is not compared with itself), and on a WAL SQLite wrote.
 */
class WalIndexTest {

    private static final int PAGE = 512;
    private static final int SALT_1 = 0x1234_5678;
    private static final int SALT_2 = 0x0bad_cafe;

    @TempDir
    Path temp;

    /** Builds a WAL: a header, then frames, each checksummed over everything before it. */
    private static final class Wal {
        private final boolean bigEndian;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long s0;
        private long s1;

        Wal(boolean bigEndian, int pageSize) {
            this.bigEndian = bigEndian;
            byte[] header = new byte[32];
            put(header, 0, bigEndian ? 0x377f0683 : 0x377f0682);
            put(header, 4, 3007000);
            put(header, 8, pageSize);
            put(header, 12, 0);
            put(header, 16, SALT_1);
            put(header, 20, SALT_2);
            sum(header, 0, 24);
            put(header, 24, (int) s0);
            put(header, 28, (int) s1);
            bytes.writeBytes(header);
        }

        /** A frame of {@code page} filled with {@code fill}; {@code commitSize} 0 for a frame that commits nothing. */
        Wal frame(int page, int commitSize, int fill) {
            return frame(page, commitSize, fill, SALT_1);
        }

        Wal frame(int page, int commitSize, int fill, int salt1) {
            byte[] frame = new byte[24 + PAGE];
            put(frame, 0, page);
            put(frame, 4, commitSize);
            put(frame, 8, salt1);
            put(frame, 12, SALT_2);
            Arrays.fill(frame, 24, frame.length, (byte) fill);
            sum(frame, 0, 8);
            sum(frame, 24, PAGE);
            put(frame, 16, (int) s0);
            put(frame, 20, (int) s1);
            bytes.writeBytes(frame);
            return this;
        }

        /** The specification's loop, on unsigned 32-bit values: s0 += x[i] + s1; s1 += x[i+1] + s0. */
        private void sum(byte[] data, int from, int length) {
            for (int i = from; i < from + length; i += 8) {
                s0 = (s0 + word(data, i) + s1) & 0xFFFF_FFFFL;
                s1 = (s1 + word(data, i + 4) + s0) & 0xFFFF_FFFFL;
            }
        }

        private long word(byte[] data, int at) {
            long b0 = data[at] & 0xFF;
            long b1 = data[at + 1] & 0xFF;
            long b2 = data[at + 2] & 0xFF;
            long b3 = data[at + 3] & 0xFF;
            return bigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b3 << 24 | b2 << 16 | b1 << 8 | b0;
        }

        private static void put(byte[] data, int at, int value) {
            data[at] = (byte) (value >>> 24);
            data[at + 1] = (byte) (value >>> 16);
            data[at + 2] = (byte) (value >>> 8);
            data[at + 3] = (byte) value;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private WalIndex read(byte[] wal) throws Exception {
        Path file = temp.resolve("test.db-wal");
        Files.write(file, wal);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return WalIndex.read(channel);
        }
    }

    /** Which fill byte each page's indexed content has. */
    private Map<Integer, Integer> contents(WalIndex index) throws IOException {
        Path file = temp.resolve("test.db-wal");
        byte[] all = Files.readAllBytes(file);
        Map<Integer, Integer> fills = new java.util.TreeMap<>();
        index.latestFrames().forEach((page, offset) -> fills.put(page, all[(int) (long) offset] & 0xFF));
        return fills;
    }

    @ParameterizedTest(name = "big-endian checksums: {0}")
    @ValueSource(booleans = {false, true})
    void framesUpToTheLastCommit_withTheLatestContentOfEachPage_inEitherByteOrder(boolean bigEndian)
            throws Exception {
        byte[] wal = new Wal(bigEndian, PAGE).frame(1, 0, 0x11).frame(2, 2, 0x21)
                .frame(2, 0, 0x22).frame(3, 3, 0x31)
                .frame(1, 3, 0x12).bytes();

        WalIndex index = read(wal);

        assertThat(index.pageSize()).isEqualTo(PAGE);
        assertThat(index.committedFrames()).isEqualTo(5);
        assertThat(index.pageCount()).contains(3L);
        assertThat(contents(index)).isEqualTo(Map.of(1, 0x12, 2, 0x22, 3, 0x31));
    }

    @Test
    void framesAfterTheLastCommit_areIgnored_andSoIsTheSizeTheyWouldSet() throws Exception {
        byte[] wal = new Wal(false, PAGE).frame(1, 0, 0x11).frame(2, 2, 0x21)
                .frame(2, 0, 0x22).frame(5, 0, 0x51).bytes();

        WalIndex index = read(wal);

        assertThat(index.committedFrames()).isEqualTo(2);
        assertThat(index.pageCount()).contains(2L);
        assertThat(contents(index)).isEqualTo(Map.of(1, 0x11, 2, 0x21));
    }

    @Test
    void aTornLastFrame_endsTheWal_atTheCommitBeforeIt() throws Exception {
        byte[] whole = new Wal(false, PAGE).frame(1, 1, 0x11).frame(1, 0, 0x12).frame(2, 2, 0x21).bytes();
        byte[] torn = Arrays.copyOf(whole, whole.length - 100);

        WalIndex index = read(torn);

        assertThat(index.committedFrames()).isEqualTo(1);
        assertThat(index.pageCount()).contains(1L);
        assertThat(contents(index)).isEqualTo(Map.of(1, 0x11));
    }

    @Test
    void aFrameWithChangedContent_failsItsChecksum_andEndsTheWal() throws Exception {
        byte[] wal = new Wal(true, PAGE).frame(1, 1, 0x11).frame(2, 2, 0x21).frame(3, 3, 0x31).bytes();
        wal[32 + (24 + PAGE) + 24 + 100] ^= 1; // a bit of the second frame's page

        WalIndex index = read(wal);

        assertThat(index.committedFrames()).isEqualTo(1);
        assertThat(index.pageCount()).contains(1L);
    }

    @Test
    void aFrameWithOtherSalts_isFromAnEarlierGeneration_andEndsTheWal() throws Exception {
        byte[] wal = new Wal(false, PAGE).frame(1, 1, 0x11).frame(2, 2, 0x21, SALT_1 - 1)
                .frame(3, 3, 0x31).bytes();

        WalIndex index = read(wal);

        assertThat(index.committedFrames()).isEqualTo(1);
        assertThat(contents(index)).isEqualTo(Map.of(1, 0x11));
    }

    @Test
    void noWal_orOneShorterThanItsHeader_laysNothingOverTheFile() throws Exception {
        assertThat(WalIndex.read(null).latestFrames()).isEmpty();
        WalIndex shorter = read(new byte[10]);
        assertThat(shorter.latestFrames()).isEmpty();
        assertThat(shorter.pageCount()).isEmpty();
        WalIndex headerOnly = read(new Wal(false, PAGE).bytes());
        assertThat(headerOnly.pageCount()).isEmpty();
        assertThat(headerOnly.pageSize()).isEqualTo(PAGE);
    }

    @Test
    void aHeaderThatIsNotAWals_doesNotParse_sayingWhy() throws Exception {
        byte[] good = new Wal(false, PAGE).frame(1, 1, 0x11).bytes();

        byte[] magic = good.clone();
        magic[3] = 0x00;
        assertThatThrownBy(() -> read(magic)).isInstanceOf(WalIndex.Unreadable.class)
                .hasMessage("its header has no WAL magic number (0x377f0600)");
        byte[] checksum = good.clone();
        checksum[13] ^= 1; // the checkpoint sequence number, covered by the header checksum
        assertThatThrownBy(() -> read(checksum)).isInstanceOf(WalIndex.Unreadable.class)
                .hasMessage("its header checksum does not match");
        byte[] version = good.clone();
        version[7] ^= 1;
        assertThatThrownBy(() -> read(version)).isInstanceOf(WalIndex.Unreadable.class)
                .hasMessageStartingWith("its header has format version ");
        byte[] pageSize = new Wal(false, 1000).bytes();
        assertThatThrownBy(() -> read(pageSize)).isInstanceOf(WalIndex.Unreadable.class)
                .hasMessage("its header has page size 1000, not a power of two from 512 to 65536");
    }

    @Test
    void aWalSqliteWrote_givesTheDatabasesPageCount() throws Exception {
        Path db = temp.resolve("real.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=wal");
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("CREATE TABLE t(x BLOB)");
            for (int i = 0; i < 20; i++) {
                s.execute("INSERT INTO t VALUES (randomblob(3000))");
            }
            long pages;
            try (ResultSet r = s.executeQuery("PRAGMA page_count")) {
                r.next();
                pages = r.getLong(1);
            }
            try (FileChannel wal = FileChannel.open(Path.of(db + "-wal"), StandardOpenOption.READ)) {
                WalIndex index = WalIndex.read(wal);
                assertThat(index.pageCount()).isEqualTo(Optional.of(pages));
                assertThat(index.latestFrames().keySet()).hasSize((int) pages);
                assertThat(index.committedFrames()).isGreaterThan((int) pages);
                assertThat(index.sameGenerationAs(wal)).isTrue();
            }
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            s.execute("INSERT INTO t VALUES (1)");
            try (FileChannel wal = FileChannel.open(Path.of(db + "-wal"), StandardOpenOption.READ)) {
                assertThat(WalIndex.read(wal).committedFrames()).isPositive();
            }
        }
    }
}
