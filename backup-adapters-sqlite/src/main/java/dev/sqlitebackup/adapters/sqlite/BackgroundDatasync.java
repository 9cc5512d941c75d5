package dev.sqlitebackup.adapters.sqlite;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a copy to disk while it is being made: a side thread fdatasyncs the file each time it has grown by a step,
 * so the disk works during the copy and the fsync before the copy is published finds little left to write. That
 * fsync still happens; this only moves most of its work earlier.
 *
 * <p>It opens only the file it syncs, never the database being copied: closing any descriptor of a file drops every
 * fcntl lock this process holds on it, SQLite's included. Open it before the writer opens the file and close it after
 * the writer closed it, and not even the writer's locks on the copy are touched. {@link #close()} stops the flushing
 * and waits for it to end (a flush in progress included), so it never outlives the copy, and throws the first
 * failure: a copy whose fdatasync failed (an I/O error, or no space for delayed allocation) is a failed copy. The
 * flushing runs on a pooled thread ({@link SideThreads}), reused by the next copy. A writer faster than the disk can
 * keep to the flushing's pace ({@link #awaitBacklog}), so that no flush has much to write.
 */
final class BackgroundDatasync implements AutoCloseable {

    static final String THREAD_NAME = "sqlite-backup-datasync";
    /**
     * How many steps a paced writer may be ahead of the flushes ({@link #awaitBacklog}). One: with the benchmark's
     * writer, its longest commit during a paced 1 GiB copy was 4.9-11.5 ms (median 6.6) against 4.7-15.0 ms (8.9) with
     * two, the copy taking as long (docs/benchmarks.md).
     */
    static final int BACKLOG_STEPS = 1;
    private static final ExecutorService THREADS = SideThreads.pool(THREAD_NAME);

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
    /** The file's own descriptor; none when the copy is too small to need flushing while it is written. */
    private final Optional<FileChannel> channel;
    private final Settings settings;
    private final AtomicInteger flushes = new AtomicInteger();
    /** Guards the fields below; notified when a flush ends, a writer starts waiting, or the flushing stops or ends. */
    private final Object progress = new Object();
    /** Set by {@link #close}. */
    private boolean stopped;
    /** Set when the flushing has ended (stopped, failed or interrupted): it flushes nothing more. */
    private boolean ended;
    /** How much of the file, from its start, the flushes so far wrote to disk (written by the flushing only). */
    private long flushedTo;
    /**
     * Up to where a writer waiting in {@link #awaitBacklog} needs the file flushed: until it is, the flushing looks
     * again as soon as a flush ends instead of after an interval.
     */
    private long wanted;
    /** The flushing, on a pooled thread; set once by {@link #start}. */
    private Future<?> flushing = CompletableFuture.completedFuture(null);
    /** The first failure of the flushing; read after it ended. */
    private volatile Exception failure;

    private BackgroundDatasync(Path file, Settings settings, boolean flushes) throws IOException {
        this.file = file;
        this.settings = Objects.requireNonNull(settings, "settings");
        // fsync(2) and fdatasync(2) need no write access: a read-only descriptor cannot change the file
        this.channel = flushes
                ? Optional.of(FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
                : Optional.empty();
    }

    /**
     * Starts syncing {@code file}, which exists and is (or is about to be) written by someone else, and is expected
     * to grow to about {@code expectedBytes} ({@link Long#MAX_VALUE}: as far as it will). A file expected to stay
     * under one step is left alone (no descriptor, no thread): it would never be flushed before its fsync anyway, and
     * a run of a thousand small databases saved a tenth of each backup's time by not waiting for a flushing that never
     * flushed. A file that grows past its expected size anyway is only flushed all at once by that fsync.
     */
    static BackgroundDatasync start(Path file, Settings settings, long expectedBytes) throws IOException {
        BackgroundDatasync sync = new BackgroundDatasync(file, settings, expectedBytes >= settings.stepBytes());
        if (sync.channel.isPresent()) {
            try {
                sync.flushing = THREADS.submit(() -> sync.run(sync.channel.get()));
            } catch (RuntimeException e) {
                sync.channel.get().close();
                throw e;
            }
        }
        return sync;
    }

    private void run(FileChannel channel) {
        try {
            while (awaitNextLook()) {
                flushIfAStepGrew(channel);
            }
            // the copy is complete: a step it grew by since the last look is flushed now, whether or not this
            // thread got to run while it was written, so a copy whose flush fails always fails
            flushIfAStepGrew(channel);
        } catch (InterruptedException e) {
            // only close() ends the flushing; an interrupt from elsewhere ends it too
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            synchronized (progress) {
                ended = true;
                progress.notifyAll();
            }
        }
    }

    /**
     * Waits an interval before the flushing looks at the file again (not at all while a writer waits for a flush);
     * false once stopped.
     */
    private boolean awaitNextLook() throws InterruptedException {
        synchronized (progress) {
            if (!stopped && flushedTo >= wanted) {
                Duration interval = settings.interval();
                progress.wait(interval.toMillis(), (int) (interval.toNanos() % 1_000_000));
            }
            return !stopped;
        }
    }

    /** Flushes when the file has grown by a step since the last flush (on the flushing's thread only). */
    private void flushIfAStepGrew(FileChannel channel) throws IOException {
        long size = channel.size();
        synchronized (progress) {
            if (size - flushedTo < settings.stepBytes()) {
                return;
            }
        }
        settings.flush().flush(channel);
        flushes.incrementAndGet();
        synchronized (progress) {
            flushedTo = size;
            progress.notifyAll();
        }
    }

    /**
     * Keeps a writer at the disk's pace: returns once at most {@link #BACKLOG_STEPS} step(s) of the file's first
     * {@code writtenBytes} are still to be flushed (at once when nothing flushes this file, or the flushing ended).
     * Each flush then writes a few MiB, so another process's fsync on the same disk waits behind no more than that;
     * unpaced, a copy written faster than the disk takes it piles up whatever the disk did not take yet, tens to
     * hundreds of MiB, and every flush writes all of it.
     */
    void awaitBacklog(long writtenBytes) throws InterruptedIOException {
        if (channel.isEmpty()) {
            return;
        }
        long allowed = writtenBytes - BACKLOG_STEPS * settings.stepBytes();
        synchronized (progress) {
            if (flushedTo >= allowed || ended) {
                return;
            }
            wanted = Math.max(wanted, allowed);
            progress.notifyAll();
            try {
                while (flushedTo < allowed && !ended) {
                    progress.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + file + " to be flushed");
            }
        }
    }

    /** How many flushes have completed. */
    int flushes() {
        return flushes.get();
    }

    /** Stops the flushing, waits for it to end, closes the file; throws if a flush failed. */
    @Override
    public void close() throws IOException {
        synchronized (progress) {
            stopped = true;
            progress.notifyAll();
        }
        boolean interrupted = false;
        while (!flushing.isDone()) {
            try {
                flushing.get();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break; // run() catches what it can throw; nothing else ends it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (channel.isPresent()) {
            channel.get().close();
        }
        Exception failed = failure;
        if (failed != null) {
            String reason = failed.getMessage() == null ? failed.getClass().getSimpleName() : failed.getMessage();
            throw new IOException("could not flush " + file + " to disk: " + reason, failed);
        }
    }
}
