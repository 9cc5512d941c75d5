package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.BackupInProgressException;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory {@link BackupFolderLock}: the run lock and the daemon lock of one folder, shared by every view of it
 * ({@link #guardedBy}) as processes share a real folder's lock files.
 */
public final class InMemoryBackupFolderLock implements BackupFolderLock {

    private enum Kind { RUN, DAEMON }

    /** Who holds which lock; also the monitor a waiting run waits on. */
    private final Map<Kind, String> holders;
    private final Runnable guard;
    /** Run just after a run lock is released (shared by every view, like the holders). */
    private final List<Runnable> onRelease;

    /** The locks of a new folder, checking nothing before they are taken. */
    public InMemoryBackupFolderLock() {
        this(new EnumMap<>(Kind.class), () -> { }, new CopyOnWriteArrayList<>());
    }

    private InMemoryBackupFolderLock(Map<Kind, String> holders, Runnable guard, List<Runnable> onRelease) {
        this.holders = holders;
        this.guard = guard;
        this.onRelease = onRelease;
    }

    /** Runs {@code action} each time a run lock is released, just after (time passing before the run goes on). */
    public void whenReleased(Runnable action) {
        onRelease.add(action);
    }

    /**
     * The same locks, running {@code check} before a lock is taken and again once it is held (a check that throws
     * then releases it), as a repository's ownership check of its folder does.
     */
    public InMemoryBackupFolderLock guardedBy(Runnable check) {
        return new InMemoryBackupFolderLock(holders, check, onRelease);
    }

    /** Whether a run holds the run lock. */
    public boolean isLocked() {
        synchronized (holders) {
            return holders.containsKey(Kind.RUN);
        }
    }

    @Override
    public Lock lock(String owner, Duration wait) {
        return take(Kind.RUN, owner, wait);
    }

    @Override
    public Lock lockDaemon(String owner) {
        return take(Kind.DAEMON, owner, Duration.ZERO);
    }

    private Lock take(Kind kind, String owner, Duration wait) {
        guard.run();
        synchronized (holders) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (holders.containsKey(kind)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw busy(kind);
                }
                try {
                    holders.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy(kind);
                }
            }
            holders.put(kind, owner);
        }
        Held held = new Held(kind);
        try {
            guard.run(); // another database may have taken the folder while this one waited
        } catch (RuntimeException foreign) {
            held.close();
            throw foreign;
        }
        return held;
    }

    private BackupInProgressException busy(Kind kind) {
        return new BackupInProgressException("another " + holders.get(kind) + " is running (pid in-memory)");
    }

    /** A held lock: released once, by close. */
    private final class Held implements Lock {
        private final Kind kind;
        private boolean closed;

        Held(Kind kind) {
            this.kind = kind;
        }

        @Override
        public void close() {
            boolean released = false;
            synchronized (holders) {
                if (!closed) {
                    closed = true;
                    holders.remove(kind);
                    holders.notifyAll();
                    released = kind == Kind.RUN;
                }
            }
            if (released) {
                onRelease.forEach(Runnable::run);
            }
        }
    }
}
