package dev.sqlitebackup.adapters.filesystem;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * SHA-256 of files and streams, through a fixed buffer so memory never depends on the file's size. A file is read
 * into a direct buffer, which the kernel fills and the digest reads with no copy in between (a heap buffer is filled
 * through a hidden direct one and copied). Not through a memory map, though it is a little faster: a file that
 * shrinks under a map raises SIGBUS, which Java 17 turns into an InternalError thrown at some later point of the
 * thread, as likely inside the channel's or the unmapping Cleaner's own code (which then calls System.exit) as in
 * ours, so a shrinking file could not be made a clean failure.
 */
final class Sha256 {

    static final int BUFFER_BYTES = 1 << 20;
    /** A file's read size: large enough for few system calls, small enough to stay in the core's cache. */
    static final int FILE_BUFFER_BYTES = 256 << 10;

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
     * tests, to change the file just there).
     */
    static Digest of(Path file, int bufferBytes, LongConsumer beforeRead) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = newDigest();
            ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes);
            long size = in.size();
            long position = 0;
            while (position < size) {
                beforeRead.accept(position);
                buffer.clear().limit((int) Math.min(bufferBytes, size - position));
                int n = in.read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
                digest.update(buffer.flip());
            }
            long now = in.size();
            if (position != size || now != size) {
                throw new IOException("changed size while it was hashed (" + size + " bytes, then " + now + ")");
            }
            return new Digest(HexFormat.of().formatHex(digest.digest()), size);
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
