package dev.sqlitebackup.adapters.drive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MD5 and SHA-256 of a local file, taken from the very buffers that are read for sending it, so the file is read
 * once: each byte goes into the digests exactly once and in file order, the first time it is read; a range read
 * again to resume an upload is sent but not digested twice. MD5 and SHA-256 each run on their own thread, beside the
 * sending one. The buffers hold one chunk and two more, so the digests of a chunk can go on while Drive takes its
 * time to answer for it; the sender waits for a buffer when the digests fall further behind.
 */
final class UploadDigests implements AutoCloseable {

    /** Bytes per read: large enough for throughput, small enough that a few of them are all the memory used. */
    static final int BUFFER = 1 << 20;

    /** One buffer's bytes, handed to the digest threads and the sender; back in the pool when all are done. */
    private final class Slice {
        final byte[] bytes;
        int length;
        final AtomicInteger holders = new AtomicInteger();

        Slice(byte[] bytes) {
            this.bytes = bytes;
        }

        void release() {
            if (holders.decrementAndGet() == 0) {
                free.add(this);
            }
        }
    }

    /** One digest on its own thread, fed slices in order. */
    private final class Worker {
        final MessageDigest digest;
        final BlockingQueue<Slice> queue = new LinkedBlockingQueue<>();
        final Thread thread;

        Worker(String algorithm) {
            digest = digest(algorithm);
            thread = new Thread(this::run, "drive-upload-" + algorithm.toLowerCase());
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (true) {
                    Slice slice = queue.take();
                    if (slice == END) {
                        return;
                    }
                    digest.update(slice.bytes, 0, slice.length);
                    slice.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final Slice END = new Slice(new byte[0]);
    private final Path file;
    private final long size;
    private final BlockingQueue<Slice> free;
    private final Worker md5 = new Worker("MD5");
    private final Worker sha256 = new Worker("SHA-256");
    /** Bytes [0, digested) are in the digests (or on their way there); touched by the sending thread only. */
    private long digested;
    private Digests.Result result;

    UploadDigests(Path file, long size, int chunkSize) {
        this.file = file;
        this.size = size;
        int buffers = (int) Math.min(Math.max(size, 1) + BUFFER - 1, chunkSize + 2L * BUFFER) / BUFFER + 1;
        free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.add(new Slice(new byte[BUFFER]));
        }
    }

    /** A buffer to read into; it stays the caller's until {@link Slice#release}, via {@link #read}. */
    private Slice take() throws LocalFileException {
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalFileException("interrupted while reading local backup " + file, null);
        }
    }

    /**
     * Reads up to {@code max} bytes (at most {@link #BUFFER}) of the file at {@code position} and gives them to
     * {@code sink}; bytes read for the first time go into the digests as well. A read never straddles the end of
     * what has been digested, so a resumed range is sent again without being digested again. Returns how many
     * bytes were read, -1 at the end of the file.
     */
    int read(FileChannel channel, long position, int max, Sink sink) throws IOException {
        int want = Math.min(max, BUFFER);
        if (position < digested) {
            want = (int) Math.min(want, digested - position);
        }
        Slice slice = take();
        slice.holders.set(1);
        try {
            int read = readFully(channel, ByteBuffer.wrap(slice.bytes, 0, want), position);
            slice.length = Math.max(read, 0);
            if (read > 0 && position == digested && result == null) {
                // the next bytes in file order: digest them while the sender sends them
                slice.holders.addAndGet(2);
                md5.queue.add(slice);
                sha256.queue.add(slice);
                digested += read;
            }
            // a position past `digested` is left out: the digests stay incomplete, and result() reads the gap
            if (read > 0) {
                sink.accept(slice.bytes, read);
            }
            return read;
        } finally {
            slice.release();
        }
    }

    /** Where the bytes that {@link #read} reads go. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] bytes, int length) throws IOException;
    }

    /**
     * The digests of the whole file: whatever has not been read for sending yet is read now (nothing, after a
     * complete upload), then both digests finish.
     */
    Digests.Result result() throws IOException {
        if (result != null) {
            return result;
        }
        if (digested < size) {
            try (FileChannel channel = open()) {
                while (digested < size) {
                    int read = read(channel, digested, (int) Math.min(BUFFER, size - digested), (b, n) -> { });
                    if (read < 0) {
                        break; // shorter than it was: the size below says so
                    }
                }
            }
        }
        finish();
        HexFormat hex = HexFormat.of();
        result = new Digests.Result(digested, hex.formatHex(md5.digest.digest()), hex.formatHex(sha256.digest.digest()));
        return result;
    }

    /** True once every byte has gone into the digests, so {@link #result} reads nothing more. */
    boolean complete() {
        return result != null || digested == size;
    }

    FileChannel open() throws LocalFileException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new LocalFileException("cannot read local backup " + file + ": " + e.getMessage(), e);
        }
    }

    private void finish() throws LocalFileException {
        md5.queue.add(END);
        sha256.queue.add(END);
        try {
            md5.thread.join();
            sha256.thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalFileException("interrupted while digesting local backup " + file, null);
        }
    }

    @Override
    public void close() {
        if (result == null) {
            md5.thread.interrupt();
            sha256.thread.interrupt();
        }
    }

    private int readFully(FileChannel channel, ByteBuffer buffer, long position) throws LocalFileException {
        int total = 0;
        try {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, position + total);
                if (read < 0) {
                    return total == 0 ? -1 : total;
                }
                total += read;
            }
        } catch (IOException e) {
            throw new LocalFileException("cannot read local backup " + file + ": " + e.getMessage(), e);
        }
        return total;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }
}
