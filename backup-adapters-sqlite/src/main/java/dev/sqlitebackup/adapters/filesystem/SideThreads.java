package dev.sqlitebackup.adapters.filesystem;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that work beside a backup being published or hashed (flushing a file, reading one ahead of its digest),
 * kept in pools and reused: daemon threads, so a pool never keeps the JVM alive; idle ones end after a minute.
 * Whoever hands work to a pool waits for that work itself. The SQLite adapter has the same for its copies; the
 * architecture rules keep the two adapter packages from sharing code.
 */
final class SideThreads {

    private SideThreads() {
    }

    /** A pool of daemon threads named {@code name-1}, {@code name-2}, ...; as many as are busy at once. */
    static ExecutorService pool(String name) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
