package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundDatasyncTest {

    private static final Duration QUICKLY = Duration.ofMillis(1);

    @TempDir
    Path temp;

    private Path file() throws IOException {
        return Files.createFile(temp.resolve("staged.db"));
    }

    private static void grow(Path file, int bytes) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.APPEND)) {
            out.write(ByteBuffer.allocate(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(condition.getAsBoolean()).as("within 10 s").isTrue();
    }

    /** Whether some thread is flushing for a BackgroundDatasync (its threads are pooled: they outlive a copy). */
    private static boolean flushingRuns() {
        return Thread.getAllStackTraces().values().stream().flatMap(Arrays::stream)
                .anyMatch(frame -> frame.getClassName().equals(BackgroundDatasync.class.getName())
                        && frame.getMethodName().equals("run"));
    }

    /** Syncing {@code file}, expected to grow as far as it will. */
    private static BackgroundDatasync syncing(Path file, BackgroundDatasync.Settings settings) throws IOException {
        return BackgroundDatasync.start(file, settings, Long.MAX_VALUE);
    }

    /** Flushes every 1,000 bytes, noting the file's size at each flush. */
    private static BackgroundDatasync.Settings everyThousandBytes(List<Long> flushedAtSize) {
        return new BackgroundDatasync.Settings(1_000, QUICKLY, channel -> {
            flushedAtSize.add(channel.size());
            channel.force(false);
        });
    }

    @Test
    void flushesEachTimeTheFileHasGrownByAStep_andNotBefore() throws Exception {
        Path file = file();
        List<Long> flushedAtSize = new CopyOnWriteArrayList<>();
        BackgroundDatasync.Settings settings = everyThousandBytes(flushedAtSize);

        try (BackgroundDatasync sync = syncing(file, settings)) {
            grow(file, 999);
            Thread.sleep(50);
            assertThat(flushedAtSize).as("less than a step written").isEmpty();

            grow(file, 1);
            await(() -> flushedAtSize.size() == 1);
            grow(file, 2_500);
            await(() -> flushedAtSize.size() == 2);
            Thread.sleep(50);
            assertThat(sync.flushes()).isEqualTo(2);
        }
        assertThat(flushedAtSize).containsExactly(1_000L, 3_500L);
    }

    @Test
    void close_waitsForAFlushInProgress_andLeavesNothingFlushingBehind() throws Exception {
        Path file = file();
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BackgroundDatasync sync = syncing(file, new BackgroundDatasync.Settings(1, QUICKLY,
                channel -> {
                    flushing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        grow(file, 10);
        assertThat(flushing.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                sync.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Thread.sleep(100);
        assertThat(closing).as("close() while the flush is still running").isNotDone();
        assertThat(flushingRuns()).isTrue();

        release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(flushingRuns()).as("flushing once closed").isFalse();
    }

    @Test
    void aFlushThatFails_isThrownByClose_andEndsTheFlushing() throws Exception {
        Path file = file();
        List<Long> attempts = new CopyOnWriteArrayList<>();
        BackgroundDatasync sync = syncing(file, new BackgroundDatasync.Settings(1, QUICKLY,
                channel -> {
                    attempts.add(channel.size());
                    throw new IOException("Input/output error");
                }));
        grow(file, 10);
        await(() -> attempts.size() == 1);
        grow(file, 10);
        Thread.sleep(50);

        assertThatThrownBy(sync::close).isInstanceOf(IOException.class)
                .hasMessage("could not flush " + file + " to disk: Input/output error")
                .hasRootCauseMessage("Input/output error");
        assertThat(attempts).as("no flush after the first failed").hasSize(1);
        assertThat(flushingRuns()).isFalse();
    }

    @Test
    void aFileExpectedToStayUnderOneStep_isLeftAlone_oneExpectedToReachAStepIsFlushed() throws Exception {
        Path small = file();
        List<Long> flushedAtSize = new CopyOnWriteArrayList<>();
        BackgroundDatasync.Settings settings = everyThousandBytes(flushedAtSize);
        try (BackgroundDatasync sync = BackgroundDatasync.start(small, settings, 999)) {
            assertThat(flushingRuns()).as("no flushing for a file expected under one step").isFalse();
            grow(small, 5_000);
            Thread.sleep(50);
            assertThat(sync.flushes()).isZero();
        }
        assertThat(flushedAtSize).isEmpty();

        Path big = Files.createFile(temp.resolve("big.db"));
        try (BackgroundDatasync sync = BackgroundDatasync.start(big, settings, 1_000)) {
            grow(big, 1_000);
            await(() -> sync.flushes() == 1);
        }
        assertThat(flushedAtSize).containsExactly(1_000L);
    }

    @Test
    void aCopyThatGrewByAStepBeforeTheFlushingLooked_isFlushedAtClose_soAFailingFlushIsNeverMissed() throws Exception {
        Path file = file();
        List<Long> attempts = new CopyOnWriteArrayList<>();
        BackgroundDatasync sync = syncing(file, new BackgroundDatasync.Settings(1_000,
                Duration.ofHours(1), channel -> {
                    attempts.add(channel.size());
                    throw new IOException("No space left on device");
                }));
        grow(file, 2_500); // written whole before the flushing's first look, an hour away

        assertThatThrownBy(sync::close).isInstanceOf(IOException.class)
                .hasMessage("could not flush " + file + " to disk: No space left on device");
        assertThat(attempts).containsExactly(2_500L);
    }

    /** A flush that waits until {@code release} opens, counting {@code flushing} down as it starts. */
    private static BackgroundDatasync.Flush heldUntil(CountDownLatch flushing, CountDownLatch release,
            List<Long> flushedAtSize) {
        return channel -> {
            flushedAtSize.add(channel.size());
            flushing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static CompletableFuture<Void> awaitingBacklog(BackgroundDatasync sync, long writtenBytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                sync.awaitBacklog(writtenBytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void awaitBacklog_holdsAWriterUntilTheFlushesAreAtMostTheBacklogBehind() throws Exception {
        Path file = file();
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> flushedAtSize = new CopyOnWriteArrayList<>();
        // looks at the file once an hour: only a waiting writer makes it look sooner
        try (BackgroundDatasync sync = syncing(file, new BackgroundDatasync.Settings(1_000, Duration.ofHours(1),
                heldUntil(flushing, release, flushedAtSize)))) {
            grow(file, 5_000);
            sync.awaitBacklog(BackgroundDatasync.BACKLOG_STEPS * 1_000); // all of it may wait to be flushed
            assertThat(flushedAtSize).as("no flush for a writer within the backlog").isEmpty();

            CompletableFuture<Void> writer = awaitingBacklog(sync, 5_000);
            assertThat(flushing.await(10, TimeUnit.SECONDS)).as("the flushing looks at once for a waiting writer")
                    .isTrue();
            Thread.sleep(100);
            assertThat(writer).as("held while the flush runs").isNotDone();

            release.countDown();
            writer.get(10, TimeUnit.SECONDS);
            assertThat(flushedAtSize).containsExactly(5_000L);
            sync.awaitBacklog(5_000 + BackgroundDatasync.BACKLOG_STEPS * 1_000); // 5,000 flushed: the backlog ahead
        }
    }

    @Test
    void awaitBacklog_neverHoldsAWriter_whenNothingFlushesTheFile_orTheFlushingFailed() throws Exception {
        Path small = file();
        List<Long> flushedAtSize = new CopyOnWriteArrayList<>();
        try (BackgroundDatasync sync = BackgroundDatasync.start(small, everyThousandBytes(flushedAtSize), 999)) {
            grow(small, 50_000);
            awaitingBacklog(sync, 50_000).get(10, TimeUnit.SECONDS);
        }
        assertThat(flushedAtSize).isEmpty();

        Path failing = Files.createFile(temp.resolve("failing.db"));
        BackgroundDatasync sync = syncing(failing, new BackgroundDatasync.Settings(1_000, QUICKLY, channel -> {
            throw new IOException("Input/output error");
        }));
        grow(failing, 50_000);
        awaitingBacklog(sync, 50_000).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(sync::close).hasMessageEndingWith("Input/output error");
    }

    @Test
    void aWriterHeldForTheFlushes_canBeInterrupted() throws Exception {
        Path file = file();
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (BackgroundDatasync sync = syncing(file, new BackgroundDatasync.Settings(1_000, QUICKLY,
                heldUntil(flushing, release, new CopyOnWriteArrayList<>())))) {
            grow(file, 5_000);
            assertThat(flushing.await(10, TimeUnit.SECONDS)).isTrue();
            grow(file, 5_000); // 10,000 written, the flush under way covers 5,000
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread writer = new Thread(() -> {
                try {
                    sync.awaitBacklog(10_000);
                    thrown.complete(null);
                } catch (IOException e) {
                    thrown.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost", e));
                }
            });
            writer.start();
            Thread.sleep(100);
            writer.interrupt();

            assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class)
                    .hasMessage("interrupted while waiting for " + file + " to be flushed");
            release.countDown();
        }
    }
}
