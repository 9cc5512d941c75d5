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
import java.util.concurrent.Executors;

/**
 * The SHA-256 of a copy taken as it is written: each part, once final, is read back from the copy (the page cache,
 * so the copy's bytes and never the source's) and hashed on a thread of its own while the next part is copied. The
 * parts must come in order and end to end from byte 0; {@link #finish} then gives the digest once the last is
 * hashed (while the caller goes on, e.g. to check the copy), checking that the copy has exactly the bytes hashed.
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
    /** The first failure to read or hash a part (the hashing thread's alone). */
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
        thread.execute(() -> {
            if (failure == null) {
                try {
                    hash(from, to);
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
            }
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
     * The SHA-256 (lowercase hex) and size of every byte handed in, once the last part is hashed; failed when reading
     * the copy failed, or the copy is not exactly the bytes handed in. Nothing more may be handed in; the hashing
     * thread and its descriptor are let go when it is done.
     */
    CompletableFuture<DatabaseSnapshotter.CopyChecksum> finish() {
        CompletableFuture<DatabaseSnapshotter.CopyChecksum> done = new CompletableFuture<>();
        thread.execute(() -> {
            try (copy) {
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
        });
        thread.shutdown();
        return done;
    }

    /** Stops hashing at once (the copy failed or is made again): no digest. */
    @Override
    public void close() throws IOException {
        thread.shutdownNow();
        copy.close();
    }
}
