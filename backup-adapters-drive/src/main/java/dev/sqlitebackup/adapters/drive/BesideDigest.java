package dev.sqlitebackup.adapters.drive;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A digest taken on a thread of its own, beside the thread that reads, encodes and sends: blocks go in once that
 * thread is done with them and come back for the next read once digested, so the digest of one block runs while the
 * next is encoded. A few blocks are all the memory it takes; the reader waits for one when the digest falls behind.
 */
final class BesideDigest implements AutoCloseable {

    private static final int BLOCKS = 3;

    private record Block(byte[] bytes, int length) {
    }

    private static final Block END = new Block(new byte[0], 0);

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS);
    private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final MessageDigest digest;
    private final Thread worker;
    private boolean ended;

    BesideDigest(String algorithm, int blockSize) {
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
        for (int i = 0; i < BLOCKS; i++) {
            free.add(new byte[blockSize]);
        }
        worker = new Thread(this::run, "drive-" + algorithm.toLowerCase());
        worker.setDaemon(true);
        worker.start();
    }

    private void run() {
        try {
            while (true) {
                Block block = queue.take();
                if (block == END) {
                    return;
                }
                digest.update(block.bytes(), 0, block.length());
                free.add(block.bytes());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A block to read into, once one is free. */
    byte[] block() throws InterruptedException {
        return free.take();
    }

    /** Digests the first {@code length} bytes of {@code block}, which the caller no longer touches. */
    void update(byte[] block, int length) throws InterruptedException {
        queue.put(new Block(block, length));
    }

    /** Gives back a block that was not filled. */
    void giveBack(byte[] block) {
        free.add(block);
    }

    /** The digest, in hex, of every block given, once all are digested. */
    String hex() throws InterruptedException {
        ended = true;
        queue.put(END);
        worker.join();
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() {
        if (!ended) {
            worker.interrupt();
        }
    }
}
