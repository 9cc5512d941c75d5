package dev.sqlitebackup.adapters.filesystem;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongConsumer;

/**
 * SHA-256 of files and streams, through fixed buffers so memory never depends on the file's size. A file is read
 * into direct buffers, which the kernel fills without the copy a heap buffer takes (it is filled through a hidden
 * direct one); the digest takes a direct buffer's bytes in 4 KiB pieces that stay in the core's cache. A file larger
 * than one buffer is read on another thread while the digest works through what was read before: the reads' copies
 * out of the page cache then cost no time of the digest's, a fifth less time per GiB when the other core is free
 * (docs/benchmarks.md). Not through a memory map, though it is a little faster: a file that
 * shrinks under a map raises SIGBUS, which Java 17 turns into an InternalError thrown at some later point of the
 * thread, as likely inside the channel's or the unmapping Cleaner's own code (which then calls System.exit) as in
 * ours, so a shrinking file could not be made a clean failure.
 */
final class Sha256 {

    static final int BUFFER_BYTES = 1 << 20;
    /** A file's read size: few system calls and few hand-overs between the reading and the hashing thread. */
    static final int FILE_BUFFER_BYTES = 1 << 20;
    /** Buffers a file's reading thread may fill ahead of the digest. */
    static final int BUFFERS_AHEAD = 4;
    private static final Object LAST_READ = new Object();
    private static final ExecutorService READERS = SideThreads.pool("sqlite-backup-sha256-read");

    /** A file's digest (lowercase hex) and how many bytes it had. */
    record Digest(String hex, long sizeBytes) {
    }

    private Sha256() {
    }

    /**
     * Hashes {@code file} (never through a symlink) as it is when opened; one that changes size meanwhile fails,
     * rather than being hashed in part.
     */
    static Digest of(Path file) throws IOException {
        return of(file, FILE_BUFFER_BYTES, position -> { });
    }

    /**
     * Hashes {@code file} in reads of {@code bufferBytes}, calling {@code beforeRead} with each read's position (for
     * tests, to change the file just there; it runs on whichever thread reads).
     */
    static Digest of(Path file, int bufferBytes, LongConsumer beforeRead) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = newDigest();
            long size = in.size();
            long hashed = size <= bufferBytes
                    ? hashInTurn(in, size, digest, bufferBytes, beforeRead)
                    : hashBesideReads(in, size, digest, bufferBytes, beforeRead);
            long now = in.size();
            if (hashed != size || now != size) {
                throw new IOException("changed size while it was hashed (" + size + " bytes, then " + now + ")");
            }
            return new Digest(HexFormat.of().formatHex(digest.digest()), size);
        }
    }

    /** One read at {@code position}, of at most what is left of {@code size}; -1 at the file's end. */
    private static int readAt(FileChannel in, ByteBuffer buffer, long position, long size, LongConsumer beforeRead)
            throws IOException {
        beforeRead.accept(position);
        buffer.clear().limit((int) Math.min(buffer.capacity(), size - position));
        return in.read(buffer, position);
    }

    /**
     * A file no larger than one buffer: read and hashed on this thread, no thread to hand it over to. Returns how many
     * bytes were hashed.
     */
    private static long hashInTurn(FileChannel in, long size, MessageDigest digest, int bufferBytes,
            LongConsumer beforeRead) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(bufferBytes, size));
        long position = 0;
        while (position < size) {
            int n = readAt(in, buffer, position, size, beforeRead);
            if (n < 0) {
                break; // shorter than it was: the size check says so
            }
            position += n;
            digest.update(buffer.flip());
        }
        return position;
    }

    /**
     * Reads the file on a pooled thread into {@link #BUFFERS_AHEAD} buffers taken in turn, and hashes each as it
     * arrives. Returns how many bytes were hashed; a failed read fails the digest. The reading thread has ended
     * whenever this returns or throws (interrupted, it stops the reading and throws {@link InterruptedIOException}).
     */
    private static long hashBesideReads(FileChannel in, long size, MessageDigest digest, int bufferBytes,
            LongConsumer beforeRead) throws IOException {
        BlockingQueue<ByteBuffer> empty = new ArrayBlockingQueue<>(BUFFERS_AHEAD);
        for (int i = 0; i < BUFFERS_AHEAD; i++) {
            empty.add(ByteBuffer.allocateDirect(bufferBytes));
        }
        // each filled buffer in file order, then LAST_READ, or what made the reading fail
        BlockingQueue<Object> read = new LinkedBlockingQueue<>();
        CountDownLatch readerEnded = new CountDownLatch(1);
        Future<?> reading = READERS.submit(() -> {
            try {
                long position = 0;
                while (position < size) {
                    ByteBuffer buffer = empty.take();
                    int n = readAt(in, buffer, position, size, beforeRead);
                    if (n < 0) {
                        break; // shorter than it was: the size check says so
                    }
                    position += n;
                    read.add(buffer.flip());
                }
                read.add(LAST_READ);
            } catch (InterruptedException e) {
                read.add(new InterruptedIOException("reading stopped"));
            } catch (IOException | RuntimeException | Error e) {
                read.add(e); // whatever ends the reading ends the digest's wait too
            } finally {
                readerEnded.countDown();
            }
        });
        try {
            long hashed = 0;
            while (true) {
                Object next = read.take();
                if (next == LAST_READ) {
                    return hashed;
                } else if (next instanceof ByteBuffer buffer) {
                    hashed += buffer.remaining();
                    digest.update(buffer);
                    empty.add(buffer);
                } else if (next instanceof IOException e) {
                    throw e;
                } else if (next instanceof Error e) {
                    throw e;
                } else {
                    throw (RuntimeException) next;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } finally {
            reading.cancel(true); // only a reading still under way is interrupted
            awaitUninterruptibly(readerEnded);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Streams {@code in} into {@code out} (when not null), hashing every byte that passes. */
    static Digest copy(FileChannel in, FileChannel out) throws IOException {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        long size = 0;
        while (in.read(buffer) >= 0) {
            buffer.flip();
            digest.update(buffer.array(), 0, buffer.limit());
            size += buffer.limit();
            if (out != null) {
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            buffer.clear();
        }
        return new Digest(HexFormat.of().formatHex(digest.digest()), size);
    }

    /** Streams {@code in} into {@code out}, hashing every byte that passes; closes neither. */
    static Digest copy(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[BUFFER_BYTES];
        long size = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            size += n;
        }
        return new Digest(HexFormat.of().formatHex(digest.digest()), size);
    }

    /** A stream that hashes what is written to it on its way into {@code out}; {@link #digest()} once closed. */
    static final class Hashing extends FilterOutputStream {
        private final MessageDigest digest = newDigest();
        private long size;

        Hashing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            size += len;
        }

        Digest digest() {
            return new Digest(HexFormat.of().formatHex(digest.digest()), size);
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
