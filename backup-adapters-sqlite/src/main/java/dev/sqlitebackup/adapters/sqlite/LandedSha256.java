package dev.sqlitebackup.adapters.sqlite;

import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The SHA-256 of a copy taken as it is written: each part, once final, is read back from the copy (the page cache,
 * so the copy's bytes and never the source's) and hashed on another thread while the next part is copied. The
 * parts must come in order and end to end from byte 0; {@link #finish} then gives the digest once the last is
 * hashed (while the caller goes on, e.g. to check the copy), checking that the copy has exactly the bytes hashed.
 * Each part is hashed after the one before has been, on a pooled thread ({@link SideThreads}).
 */
final class LandedSha256 implements AutoCloseable {

    private static final int BUFFER_BYTES = 256 << 10;
    private static final ExecutorService THREADS = SideThreads.pool("sqlite-backup-landed-sha256");

    private final FileChannel copy;
    private final MessageDigest digest;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    /** The hashing of every part handed in so far, one after another: the next part's starts when this is done. */
    private CompletableFuture<Void> hashed = CompletableFuture.completedFuture(null);
    /** Set by {@link #close}: the parts not hashed yet never will be. */
    private volatile boolean stopped;
    /** Up to where parts were handed in (the next must start here). */
    private long handedIn;
    /** The first failure to read or hash a part (written and read only by the hashing, one part after another). */
    private Exception failure;

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
        hashed = hashed.thenRunAsync(() -> {
            if (failure == null && !stopped) {
                try {
                    hash(from, to);
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
            }
        }, THREADS);
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
     * The SHA-256 (lowercase hex) and size of every byte handed in, once the last part is hashed; failed when reading
     * the copy failed, or the copy is not exactly the bytes handed in. Nothing more may be handed in; the copy's
     * descriptor is closed when it is done.
     */
    CompletableFuture<DatabaseSnapshotter.CopyChecksum> finish() {
        CompletableFuture<DatabaseSnapshotter.CopyChecksum> done = new CompletableFuture<>();
        hashed.whenCompleteAsync((hashedAll, error) -> {
            try (copy) {
                if (error != null) {
                    throw new IOException("the copy could not be hashed: " + error, error);
                }
                if (stopped) {
                    throw new IOException("the hashing was stopped");
                }
                if (failure != null) {
                    throw failure instanceof IOException io ? io : new IOException(failure);
                }
                long size = copy.size();
                if (size != handedIn) {
                    throw new IOException("the copy has " + size + " bytes, " + handedIn + " were hashed");
                }
                done.complete(new DatabaseSnapshotter.CopyChecksum(HexFormat.of().formatHex(digest.digest()),
                        handedIn));
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, THREADS);
        return done;
    }

    /**
     * Stops hashing at once (the copy failed or is made again): no digest. A part being read fails as its
     * descriptor closes; the parts after it are not read.
     */
    @Override
    public void close() throws IOException {
        stopped = true;
        copy.close();
    }
}
