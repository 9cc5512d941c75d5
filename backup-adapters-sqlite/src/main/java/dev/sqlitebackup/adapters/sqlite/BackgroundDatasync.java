package dev.sqlitebackup.adapters.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a copy to disk while it is being made: a side thread fdatasyncs the file each time it has grown by a step,
 * so the disk works during the copy and the fsync before the copy is published finds little left to write. That
 * fsync still happens; this only moves most of its work earlier.
 *
 * <p>It opens only the file it syncs, never the database being copied: closing any descriptor of a file drops every
 * fcntl lock this process holds on it, SQLite's included. Open it before the writer opens the file and close it after
 * the writer closed it, and not even the writer's locks on the copy are touched. {@link #close()} stops the thread and
 * waits for it (a flush in progress included), so it never outlives the copy, and throws the first failure: a copy
 * whose fdatasync failed (an I/O error, or no space for delayed allocation) is a failed copy.
 */
final class BackgroundDatasync implements AutoCloseable {

    static final String THREAD_NAME = "sqlite-backup-datasync";

    /** What one step does to the file: fdatasync(2) in production. */
    @FunctionalInterface
    interface Flush {
        void flush(FileChannel file) throws IOException;
    }

    /**
     * Flush each time the file has grown by {@code stepBytes}, looking at its size every {@code interval}. By default
     * every 4 MiB: a copy written a GiB a second otherwise piles up dirty pages whose write-back the application's own
     * commits then wait behind (a writer's longest commit during raw copies of 1 GiB: 5-162 ms with 128 MiB steps and
     * 64 MiB kernel copies, 17-29 ms with 4 MiB ones, at the same speed; docs/benchmarks.md).
     */
    record Settings(long stepBytes, Duration interval, Flush flush) {
        static final Settings DEFAULT = new Settings(4L << 20, Duration.ofMillis(5), file -> file.force(false));

        Settings {
            if (stepBytes < 1) {
                throw new IllegalArgumentException("stepBytes must be positive: " + stepBytes);
            }
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive: " + interval);
            }
            Objects.requireNonNull(flush, "flush");
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final Settings settings;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicInteger flushes = new AtomicInteger();
    private final Thread thread;
    /** The first failure of the thread; read after it ended. */
    private volatile Exception failure;

    private BackgroundDatasync(Path file, Settings settings) throws IOException {
        this.file = file;
        this.settings = Objects.requireNonNull(settings, "settings");
        // fsync(2) and fdatasync(2) need no write access: a read-only descriptor cannot change the file
        this.channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        this.thread = new Thread(this::run, THREAD_NAME);
        // never keeps the JVM alive; close() is what waits for it
        this.thread.setDaemon(true);
    }

    /** Starts syncing {@code file}, which exists and is (or is about to be) written by someone else. */
    static BackgroundDatasync start(Path file, Settings settings) throws IOException {
        BackgroundDatasync sync = new BackgroundDatasync(file, settings);
        sync.thread.start();
        return sync;
    }

    private void run() {
        long synced = 0;
        try {
            while (!stop.await(settings.interval().toNanos(), TimeUnit.NANOSECONDS)) {
                long size = channel.size();
                if (size - synced >= settings.stepBytes()) {
                    settings.flush().flush(channel);
                    synced = size;
                    flushes.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            // only close() ends the thread, through the latch; an interrupt from elsewhere ends it too
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    /** How many flushes have completed. */
    int flushes() {
        return flushes.get();
    }

    /** Stops the thread, waits for it, closes the file; throws if a flush failed. */
    @Override
    public void close() throws IOException {
        stop.countDown();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        channel.close();
        Exception failed = failure;
        if (failed != null) {
            String reason = failed.getMessage() == null ? failed.getClass().getSimpleName() : failed.getMessage();
            throw new IOException("could not flush " + file + " to disk: " + reason, failed);
        }
    }
}
