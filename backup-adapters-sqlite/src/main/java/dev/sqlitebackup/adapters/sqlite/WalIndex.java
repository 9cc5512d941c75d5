package dev.sqlitebackup.adapters.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The committed frames of a {@code -wal} file, read the way SQLite's own recovery reads them
 * (https://www.sqlite.org/fileformat2.html#walformat): a header with its magic, page size, salts and checksum, then
 * frames whose salts match the header's and whose cumulative checksums hold, up to the first that does not. Only
 * frames up to the last commit frame count; for each page, the latest of them.
 */
final class WalIndex {

    static final int HEADER_BYTES = 32;
    static final int FRAME_HEADER_BYTES = 24;
    /** Checksums over little-endian words; the magic with bit 0 set means big-endian words. */
    static final int MAGIC_LITTLE_ENDIAN = 0x377f0682;
    static final int MAGIC_BIG_ENDIAN = 0x377f0683;
    static final int VERSION = 3_007_000;
    /** How much of the WAL is read at a time while its frames are checked. */
    private static final int READ_BYTES = 1 << 20;

    /** A -wal that is not one SQLite would read: why, in words. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String why) {
            super(why);
        }
    }

    private static final WalIndex EMPTY = new WalIndex(new byte[0], 0, 0, 0, Map.of());

    private final byte[] header;
    private final int pageSize;
    private final long pageCount;
    private final int committedFrames;
    private final Map<Integer, Long> latest;

    private WalIndex(byte[] header, int pageSize, long pageCount, int committedFrames, Map<Integer, Long> latest) {
        this.header = header;
        this.pageSize = pageSize;
        this.pageCount = pageCount;
        this.committedFrames = committedFrames;
        this.latest = latest;
    }

    /** No WAL, or one shorter than its header: nothing to lay over the database file. */
    static WalIndex empty() {
        return EMPTY;
    }

    /** Reads the WAL {@code wal} holds now (null: there is none). */
    static WalIndex read(FileChannel wal) throws IOException, Unreadable {
        if (wal == null) {
            return EMPTY;
        }
        byte[] header = headerOf(wal);
        if (header.length < HEADER_BYTES) {
            return EMPTY;
        }
        ByteBuffer h = ByteBuffer.wrap(header); // big-endian, as every field of the format
        int magic = h.getInt(0);
        if (magic != MAGIC_LITTLE_ENDIAN && magic != MAGIC_BIG_ENDIAN) {
            throw new Unreadable(String.format("its header has no WAL magic number (0x%08x)", magic));
        }
        int version = h.getInt(4);
        if (version != VERSION) {
            throw new Unreadable("its header has format version " + Integer.toUnsignedString(version) + ", not "
                    + VERSION);
        }
        int pageSize = h.getInt(8);
        if (pageSize < 512 || pageSize > 65_536 || Integer.bitCount(pageSize) != 1) {
            throw new Unreadable("its header has page size " + Integer.toUnsignedString(pageSize)
                    + ", not a power of two from 512 to 65536");
        }
        ByteOrder words = magic == MAGIC_BIG_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int[] sum = new int[2];
        checksum(h, 0, 24, words, sum);
        if (sum[0] != h.getInt(24) || sum[1] != h.getInt(28)) {
            throw new Unreadable("its header checksum does not match");
        }
        int salt1 = h.getInt(16);
        int salt2 = h.getInt(20);

        int frameBytes = FRAME_HEADER_BYTES + pageSize;
        int framesPerRead = Math.max(1, READ_BYTES / frameBytes);
        ByteBuffer block = ByteBuffer.allocate(framesPerRead * frameBytes);
        Map<Integer, Long> committed = new HashMap<>();
        Map<Integer, Long> pending = new HashMap<>();
        long pageCount = 0;
        int committedFrames = 0;
        int frame = 0;
        long position = HEADER_BYTES;
        reading:
        while (true) {
            block.clear();
            readFully(wal, block, position);
            block.flip();
            int whole = block.limit() / frameBytes;
            for (int i = 0; i < whole; i++) {
                int at = i * frameBytes;
                int page = block.getInt(at);
                int truncate = block.getInt(at + 4);
                if (page == 0 || block.getInt(at + 8) != salt1 || block.getInt(at + 12) != salt2) {
                    break reading;
                }
                checksum(block, at, 8, words, sum);
                checksum(block, at + FRAME_HEADER_BYTES, pageSize, words, sum);
                if (sum[0] != block.getInt(at + 16) || sum[1] != block.getInt(at + 20)) {
                    break reading;
                }
                frame++;
                pending.put(page, position + at + FRAME_HEADER_BYTES);
                if (truncate != 0) {
                    committed.putAll(pending);
                    pending.clear();
                    pageCount = Integer.toUnsignedLong(truncate);
                    committedFrames = frame;
                }
            }
            if (whole < framesPerRead) {
                break; // the end of the file, or a torn last frame
            }
            position += (long) whole * frameBytes;
        }
        return new WalIndex(header, pageSize, pageCount, committedFrames, committed);
    }

    /**
     * SQLite's WAL checksum over {@code length} bytes (a multiple of 8) from {@code from}, continuing from {@code sum}
     * and leaving the result there: 32-bit words in the byte order the magic number chose.
     */
    static void checksum(ByteBuffer buffer, int from, int length, ByteOrder words, int[] sum) {
        ByteBuffer b = buffer.duplicate().order(words);
        int s0 = sum[0];
        int s1 = sum[1];
        for (int i = from; i < from + length; i += 8) {
            s0 += b.getInt(i) + s1;
            s1 += b.getInt(i + 4) + s0;
        }
        sum[0] = s0;
        sum[1] = s1;
    }

    private static byte[] headerOf(FileChannel wal) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        readFully(wal, header, 0);
        return Arrays.copyOf(header.array(), header.position());
    }

    /** Reads into {@code buffer} from {@code position} until it is full or the file ends. */
    static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                return;
            }
            at += n;
        }
    }

    /**
     * Whether {@code wal} still starts with the header this index was read from. A WAL is restarted (new salts) or
     * truncated only while no reader uses its frames, and its header is written before any frame of the new
     * generation: the same header means every frame read since belongs to this index's generation.
     */
    boolean sameGenerationAs(FileChannel wal) throws IOException {
        if (wal == null || header.length == 0) {
            return true; // nothing was laid over the database file
        }
        return Arrays.equals(header, headerOf(wal));
    }

    /** The page size of the WAL's header; 0 for an empty index. */
    int pageSize() {
        return pageSize;
    }

    /** The database's size in pages after the last commit in the WAL; empty when it holds no commit. */
    Optional<Long> pageCount() {
        return committedFrames == 0 ? Optional.empty() : Optional.of(pageCount);
    }

    /** How many frames, from the first, up to and including the last commit frame. */
    int committedFrames() {
        return committedFrames;
    }

    /** For each page in a committed frame, the file offset of its latest committed content. */
    Map<Integer, Long> latestFrames() {
        return latest;
    }
}
