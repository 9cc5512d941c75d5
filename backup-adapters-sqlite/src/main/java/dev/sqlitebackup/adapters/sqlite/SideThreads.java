package dev.sqlitebackup.adapters.sqlite;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that work beside a copy (flushing it to disk, hashing it as it lands), kept in pools and reused from one
 * copy to the next: a run of a thousand small databases otherwise started and ended two threads per database, a
 * tenth of each backup's time. Daemon threads, so a pool never keeps the JVM alive; idle ones end after a minute.
 * Whoever hands work to a pool waits for that work itself.
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
