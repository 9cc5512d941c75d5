package dev.sqlitebackup.adapters.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The SHA-256 of a copy taken as it is written: each part, once final, is read back from the copy (the page cache,
 * so the copy's bytes and never the source's) and hashed on a thread of its own while the next part is copied. The
 * parts must come in order and end to end from byte 0; {@link #digest} then waits for the last and checks that the
 * copy has exactly the bytes hashed.
 */
final class LandedSha256 implements AutoCloseable {

    private static final int BUFFER_BYTES = 256 << 10;

    private final FileChannel copy;
    private final MessageDigest digest;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sqlite-backup-landed-sha256");
        t.setDaemon(true);
        return t;
    });
    /** Up to where parts were handed in (the next must start here). */
    private long handedIn;
    private Future<?> last;

    private LandedSha256(FileChannel copy) {
        this.copy = copy;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Hashes what lands in {@code copy}, read through a descriptor of its own. */
    static LandedSha256 of(Path copy) throws IOException {
        return new LandedSha256(FileChannel.open(copy, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    /** The bytes {@code [from, to)} of the copy are final: hash them (after every part before). */
    void landed(long from, long to) {
        if (from != handedIn || to < from) {
            throw new IllegalStateException("parts out of order: [" + from + ", " + to + ") after " + handedIn);
        }
        handedIn = to;
        last = thread.submit(() -> {
            hash(from, to);
            return null;
        });
    }

    private void hash(long from, long to) throws IOException {
        for (long at = from; at < to; ) {
            buffer.clear().limit((int) Math.min(BUFFER_BYTES, to - at));
            int n = copy.read(buffer, at);
            if (n <= 0) {
                throw new IOException("the copy ended at " + at + " bytes while " + to + " were written");
            }
            at += n;
            digest.update(buffer.flip());
        }
    }

    /**
     * The SHA-256 (lowercase hex) of every byte handed in, once hashed.
     *
     * @throws IOException when reading the copy failed, or the copy is not exactly the bytes handed in
     */
    String digest() throws IOException {
        try {
            if (last != null) {
                last.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing the copy", e);
        }
        long size = copy.size();
        if (size != handedIn) {
            throw new IOException("the copy has " + size + " bytes, " + handedIn + " were hashed");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** How many bytes were handed in. */
    long size() {
        return handedIn;
    }

    @Override
    public void close() throws IOException {
        thread.shutdownNow();
        copy.close();
    }
}
