package dev.sqlitebackup.adapters.drive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Bytes made on a thread of their own and handed over, in blocks, to the thread that sends them. The upload sends a
 * chunk synchronously; without this the encoder would wait for every chunk on the wire, and the compressor's worker
 * with it. With it the encoder runs up to {@link #BLOCKS} blocks ahead of the sender, and waits only when the sender
 * falls that far behind: a few MiB are all the memory it adds, whatever the size of the upload.
 *
 * <p>The sender learns that the producer is done only when it has returned normally: what the producer throws is
 * thrown to the sender before it could finish the upload. When the sender fails, the producer is stopped at its next
 * write, and is waited for: no reading of the local file goes on after {@link #run} returns.
 */
final class HandOff {

    static final int BLOCK = 256 * 1024;
    static final int BLOCKS = 16;

    private record Block(byte[] bytes, int length) {
    }

    private static final Block END = new Block(new byte[0], 0);

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS);
    /** Every block there is, and the end, fit: putting never waits. */
    private final BlockingQueue<Block> full = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final String what;
    private volatile boolean stopped;
    /** What the producer threw; written before {@link #END} is put, read after it is taken. */
    private Throwable failure;

    private HandOff(String what) {
        this.what = what;
        for (int i = 0; i < BLOCKS; i++) {
            free.add(new byte[BLOCK]);
        }
    }

    /**
     * Runs {@code producer} on a thread of its own and writes what it writes, in order, to {@code sink} on the
     * calling thread. Returns once the producer has returned and every byte it wrote is in {@code sink}; throws what
     * the producer threw, or what {@code sink} threw (the producer is then stopped and waited for).
     */
    static void run(ResumableUpload.Producer producer, OutputStream sink, String what) throws IOException {
        new HandOff(what).transfer(producer, sink);
    }

    private void transfer(ResumableUpload.Producer producer, OutputStream sink) throws IOException {
        Thread thread = new Thread(() -> produce(producer), "drive-encode");
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                Block block = full.take();
                if (block == END) {
                    break;
                }
                sink.write(block.bytes(), 0, block.length());
                free.add(block.bytes());
            }
        } catch (InterruptedException e) {
            stop(thread);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending the " + what);
        } catch (IOException | RuntimeException | Error e) {
            stop(thread);
            throw e;
        }
        join(thread);
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new UncheckedIOException(new IOException(failure));
        }
    }

    /** Tells the producer to stop, and takes what it still hands over until it has. */
    private void stop(Thread thread) {
        stopped = true;
        boolean interrupted = false;
        while (true) {
            try {
                Block block = full.take();
                if (block == END) {
                    break;
                }
                free.add(block.bytes());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        join(thread);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void produce(ResumableUpload.Producer producer) {
        Blocks out = new Blocks();
        try {
            producer.writeTo(out);
            out.handOver();
        } catch (Throwable t) {
            failure = t;
        } finally {
            full.add(END);
        }
    }

    /** The producer's stream: fills a free block, hands it over when full, and the last one when the producer returns. */
    private final class Blocks extends OutputStream {

        private byte[] current;
        private int filled;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (stopped) {
                throw stoppedException();
            }
            while (length > 0) {
                if (current == null) {
                    current = take();
                    filled = 0;
                }
                int n = Math.min(length, current.length - filled);
                System.arraycopy(bytes, offset, current, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == current.length) {
                    handOver();
                }
            }
        }

        private byte[] take() throws IOException {
            try {
                byte[] block = free.take();
                if (stopped) {
                    throw stoppedException();
                }
                return block;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while making the " + what);
            }
        }

        private IOException stoppedException() {
            return new IOException("the " + what + " has stopped");
        }

        void handOver() {
            if (current != null && filled > 0) {
                full.add(new Block(current, filled));
            }
            current = null;
        }
    }
}
