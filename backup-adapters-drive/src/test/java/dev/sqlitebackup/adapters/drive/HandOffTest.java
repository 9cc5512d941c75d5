package dev.sqlitebackup.adapters.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sqlitebackup.domain.model.BackupFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HandOffTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void everyByteArrivesInOrder_whateverTheSizesOfTheWrites() throws IOException {
        int total = HandOff.BLOCK * HandOff.BLOCKS * 3 + 12_345; // more than all the blocks, three times over
        byte[] bytes = random(total);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        HandOff.run(out -> {
            Random sizes = new Random(7);
            int at = 0;
            while (at < total) {
                int n = Math.min(total - at, sizes.nextInt(3) == 0 ? 1 : sizes.nextInt(HandOff.BLOCK * 2));
                if (n == 1) {
                    out.write(bytes[at]);
                } else {
                    out.write(bytes, at, n);
                }
                at += n;
            }
        }, sink, "test upload");
        assertThat(sink.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void nothingWritten_arrivesAsNothing() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        HandOff.run(out -> { }, sink, "test upload");
        assertThat(sink.size()).isZero();
    }

    @Test
    void theProducerMakesBytesWhileTheSinkIsBusy() {
        // the sink takes its first block only once the producer has made more than that block: with the producer on
        // the sending thread this would never happen
        int ahead = HandOff.BLOCK * 4;
        CountDownLatch madeAhead = new CountDownLatch(1);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        OutputStream slowSink = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("blocks only");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    if (!madeAhead.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IOException("the producer did not run ahead of the sink");
                    }
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                received.write(b, off, len);
            }
        };
        byte[] bytes = random(ahead * 2);
        assertTimeoutPreemptively(LIMIT.plusSeconds(5), () -> HandOff.run(out -> {
            out.write(bytes, 0, ahead + 1);
            madeAhead.countDown();
            out.write(bytes, ahead + 1, bytes.length - ahead - 1);
        }, slowSink, "test upload"));
        assertThat(received.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void whatTheProducerThrows_isThrownToTheSender_withItsBytesSentBefore() {
        BackupFailedException refused = new BackupFailedException("not the verified backup");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertThatThrownBy(() -> HandOff.run(out -> {
            out.write(random(1000));
            throw refused;
        }, sink, "test upload")).isSameAs(refused);

        IOException unreadable = new IOException("cannot read");
        assertThatThrownBy(() -> HandOff.run(out -> {
            throw unreadable;
        }, sink, "test upload")).isSameAs(unreadable);
    }

    @Test
    void whenTheSinkFails_theProducerIsStopped_andHasEndedBeforeRunReturns() {
        IOException lost = new IOException("connection reset");
        AtomicBoolean producerEnded = new AtomicBoolean();
        AtomicReference<Throwable> producerSaw = new AtomicReference<>();
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw lost;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw lost;
            }
        };
        assertTimeoutPreemptively(LIMIT, () -> assertThatThrownBy(() -> HandOff.run(out -> {
            try {
                byte[] block = random(HandOff.BLOCK);
                while (true) { // an endless producer: only the stop ends it
                    out.write(block);
                }
            } catch (IOException e) {
                producerSaw.set(e);
                throw e;
            } finally {
                producerEnded.set(true);
            }
        }, failing, "test upload")).isSameAs(lost));
        assertThat(producerEnded).as("the producer had ended when run returned").isTrue();
        assertThat(producerSaw.get()).hasMessage("the test upload has stopped");
    }

    @Test
    void anInterruptedSender_stopsTheProducer_andSaysSo() throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean producerEnded = new AtomicBoolean();
        CountDownLatch producing = new CountDownLatch(1);
        Thread sender = new Thread(() -> {
            try {
                HandOff.run(out -> {
                    try {
                        producing.countDown();
                        while (true) {
                            Thread.sleep(5); // slower than the sender: the sender waits for blocks
                            out.write(1);
                        }
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    } finally {
                        producerEnded.set(true);
                    }
                }, OutputStream.nullOutputStream(), "test upload");
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        sender.start();
        assertThat(producing.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        sender.interrupt();
        sender.join(LIMIT.toMillis());
        assertThat(sender.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class)
                .hasMessage("interrupted while sending the test upload");
        assertThat(producerEnded).isTrue();
    }
}
