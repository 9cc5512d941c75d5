package dev.sqlitebackup.adapters.sqlite;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the JVM's SHA-256 code compiled while a copy that is not hashed as it lands is made (VACUUM INTO, the online
 * backup API). That copy's hash starts only once it is complete, while SQLite checks it on the other core; a digest
 * that had never run began in the interpreter, hashing in plain Java code, and the compilers then took CPU from the
 * hash and the check: the hash of a 1 GiB VACUUM INTO copy took about 110 ms longer on Java 17 (docs/benchmarks.md;
 * Java 25's AOT cache already holds what the compilers need). Hashing a few MiB of zeros on a pooled thread while
 * SQLite writes the copy (one core is then mostly idle) moves that to where it costs nothing. Once per process, and
 * only for a copy large enough for it to matter: a small database's run never pays for it.
 */
final class HashWarmUp {

    /** Below this, a copy's hash is short enough that warming up would cost more than it saves. */
    static final long WORTH_IT_FROM_BYTES = 64L << 20;
    /** Enough to get the digest compiled (8 MiB hashed: 110 ms saved; 32 MiB saved no more). */
    static final int WARM_UP_BYTES = 8 << 20;
    private static final int BUFFER_BYTES = 1 << 20;
    private static final ExecutorService THREADS = SideThreads.pool("sqlite-backup-hash-warm-up");

    /** The one the process's copies share: the compiled code is the whole JVM's. */
    static final HashWarmUp PROCESS = new HashWarmUp(WORTH_IT_FROM_BYTES);

    private final long fromBytes;
    private final AtomicBoolean started = new AtomicBoolean();

    HashWarmUp(long fromBytes) {
        this.fromBytes = fromBytes;
    }

    /**
     * Called as a copy of about {@code copyBytes} starts whose hash follows it: warms the digest up on another thread
     * unless the copy is small or that was done before. The warm-up's own digest when it was started (for tests).
     */
    Optional<Future<String>> beforeCopy(long copyBytes) {
        if (copyBytes < fromBytes || !started.compareAndSet(false, true)) {
            return Optional.empty();
        }
        return Optional.of(THREADS.submit(HashWarmUp::hashZeros));
    }

    /**
     * The SHA-256 of {@link #WARM_UP_BYTES} zeros, hashed the way copies are: from a direct buffer, a MiB at a time.
     */
    static String hashZeros() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer zeros = ByteBuffer.allocateDirect(BUFFER_BYTES);
            for (int hashed = 0; hashed < WARM_UP_BYTES; hashed += BUFFER_BYTES) {
                digest.update(zeros.clear());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
