package dev.sqlitebackup.adapters.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sqlitebackup.adapters.codec.StandardTools;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SHA-256 of files, with a small buffer so that every edge of a read is a few KiB away. */
class Sha256Test {

    private static final int BUFFER = 64 * 1024;
    private static final int SEVERAL_READS = 3 * BUFFER + 17;

    @TempDir
    Path temp;

    private Path fileOf(int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(temp.resolve("file-" + size), bytes);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, BUFFER - 1, BUFFER, BUFFER + 1, SEVERAL_READS})
    void theDigest_isWhatSha256sumSays_onEitherSideOfAReadsEdge(int size) throws Exception {
        StandardTools.require("sha256sum");
        Path file = fileOf(size);
        String expected = StandardTools.run(temp, "sha256sum", file.toString()).split(" ")[0];

        Sha256.Digest digest = Sha256.of(file, BUFFER, position -> { });

        assertThat(digest).isEqualTo(new Sha256.Digest(expected, size));
        assertThat(Sha256.of(file)).as("with the default buffer").isEqualTo(digest);
    }

    @Test
    void eachReadStartsWhereTheLastEnded() throws Exception {
        List<Long> reads = new ArrayList<>();

        Sha256.of(fileOf(SEVERAL_READS), BUFFER, reads::add);

        assertThat(reads).containsExactly(0L, (long) BUFFER, 2L * BUFFER, 3L * BUFFER);
    }

    /** Truncated in the middle of a read, at its end, and before it: never a digest of part of the file. */
    @ParameterizedTest(name = "truncated to {0} bytes")
    @ValueSource(longs = {BUFFER + 100, 2L * BUFFER, 10, 0})
    void aFileThatShrinksWhileItIsHashed_fails_sayingSo(long truncatedTo) throws Exception {
        Path file = fileOf(SEVERAL_READS);

        assertThatThrownBy(() -> Sha256.of(file, BUFFER, position -> {
            if (position == BUFFER) {
                resize(file, truncatedTo);
            }
        })).isInstanceOf(IOException.class)
                .hasMessage("changed size while it was hashed (" + SEVERAL_READS + " bytes, then " + truncatedTo
                        + ")");
    }

    @Test
    void aFileThatGrowsWhileItIsHashed_fails_sayingSo() throws Exception {
        Path file = fileOf(SEVERAL_READS);

        assertThatThrownBy(() -> Sha256.of(file, BUFFER, position -> {
            if (position == BUFFER) {
                resize(file, SEVERAL_READS + 1);
            }
        })).isInstanceOf(IOException.class)
                .hasMessage("changed size while it was hashed (" + SEVERAL_READS + " bytes, then "
                        + (SEVERAL_READS + 1) + ")");
    }

    @Test
    void aReadThatFails_failsTheDigest_andNothingIsReadAfterIt() throws Exception {
        Path file = fileOf(SEVERAL_READS);
        List<Long> reads = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> Sha256.of(file, BUFFER, position -> {
            reads.add(position);
            if (position == 2L * BUFFER) {
                throw new UncheckedIOException(new IOException("Input/output error"));
            }
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("Input/output error");

        assertThat(reads).as("the reading stopped at the failure").containsExactly(0L, (long) BUFFER, 2L * BUFFER);
        assertThat(Sha256.of(file, BUFFER, position -> { })).as("the next digest of the file")
                .isEqualTo(Sha256.of(file));
    }

    /** An Error on the reading thread (out of memory, say) reaches the caller instead of leaving it waiting. */
    @Test
    void anErrorWhileReading_reachesTheCaller() throws Exception {
        Path file = fileOf(SEVERAL_READS);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> Sha256.of(file, BUFFER,
                position -> {
                    if (position == BUFFER) {
                        throw new OutOfMemoryError("Direct buffer memory");
                    }
                })).isInstanceOf(OutOfMemoryError.class).hasMessage("Direct buffer memory"));
    }

    /** The reading runs on a thread of its own: an interrupted digest stops it and returns only once it ended. */
    @Test
    void anInterruptedDigest_stopsTheReading_beforeItReturns() throws Exception {
        Path file = fileOf(SEVERAL_READS);
        CountDownLatch readingWaits = new CountDownLatch(1);
        AtomicBoolean readingEnded = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean readingEndedFirst = new AtomicBoolean();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread hashing = new Thread(() -> {
            try {
                Sha256.of(file, BUFFER, position -> {
                    if (position == BUFFER) {
                        readingWaits.countDown();
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            readingEnded.set(true);
                            throw new IllegalStateException("reading interrupted", e);
                        }
                    }
                });
            } catch (Throwable e) {
                thrown.set(e);
                readingEndedFirst.set(readingEnded.get());
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        hashing.start();
        assertThat(readingWaits.await(10, TimeUnit.SECONDS)).isTrue();

        hashing.interrupt();
        hashing.join(10_000);

        assertThat(hashing.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(readingEndedFirst).as("the reading had ended when the digest returned").isTrue();
        assertThat(stillInterrupted).as("the interrupt is kept for the caller").isTrue();
    }

    private static void resize(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (size < channel.size()) {
                channel.truncate(size);
            } else {
                channel.write(java.nio.ByteBuffer.allocate((int) (size - channel.size())), channel.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
