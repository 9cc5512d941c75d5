package dev.sqlitebackup.adapters.filesystem;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupInProgressException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adapter: the locks of a local backup folder, files in its scratch space locked by the operating system, so they
 * are released when the process dies; each file names its holder for the process that loses.
 */
public final class FilesystemBackupFolderLock implements BackupFolderLock {

    static final String LOCK_FILE = "lock";
    static final String DAEMON_LOCK_FILE = "daemon.lock";
    /** How often a waiting run tries the lock again. */
    private static final long LOCK_POLL_MILLIS = 100;

    /**
     * Lock files this JVM holds, by real path, with what holds it ("backup of app.db (pid 12)"). On POSIX, closing
     * any channel to a file drops every lock this process holds on it, so a second lock attempt in this JVM must not
     * even open the file.
     */
    private static final Map<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path folder;
    private final Path scratch;
    private final Runnable guard;

    /** The locks of {@code folder}, for whatever database it holds. */
    public FilesystemBackupFolderLock(Path folder) {
        this(folder, () -> { });
    }

    /**
     * The locks of {@code folder}, running {@code guard} before a lock file is written and again once the lock is
     * held (a guard that throws then releases it): the folder's repository checks there that it is its database's.
     */
    FilesystemBackupFolderLock(Path folder, Runnable guard) {
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize();
        this.scratch = this.folder.resolve(FilesystemBackupRepository.SCRATCH_DIR);
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public Lock lock(String owner, Duration wait) {
        guard.run(); // before the lock file is even written
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return tryLock(LOCK_FILE, owner);
            } catch (BackupInProgressException busy) {
                if (System.nanoTime() - deadline >= 0) {
                    throw busy;
                }
                try {
                    Thread.sleep(LOCK_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }

    @Override
    public Lock lockDaemon(String owner) {
        guard.run();
        return tryLock(DAEMON_LOCK_FILE, owner);
    }

    private Lock tryLock(String fileName, String owner) {
        Path lockFile = scratch.resolve(fileName);
        long pid = ProcessHandle.current().pid();
        Path key;
        try {
            createScratchIfMissing();
            createIfMissing(lockFile);
            key = lockFile.toRealPath();
        } catch (IOException e) {
            throw failure("lock backup dir " + folder, e);
        }
        // the loser names what holds the lock (a run, a prune), not what it wanted to do itself
        String holder = HELD_IN_THIS_JVM.putIfAbsent(key, owner + " is running (pid " + pid + ")");
        if (holder != null) {
            throw new BackupInProgressException("another " + holder);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileLock fileLock = channel.tryLock();
            if (fileLock == null) {
                String other = readHolder(channel);
                channel.close();
                HELD_IN_THIS_JVM.remove(key);
                throw new BackupInProgressException("another " + other);
            }
            channel.truncate(0);
            // read only by a run that finds the folder locked, from the page cache: no sync (after a crash the lock
            // is free, and its next holder writes it again)
            channel.write(ByteBuffer.wrap((pid + "\n" + owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            HeldLock held = new HeldLock(key, channel, fileLock);
            try {
                guard.run(); // another database may have taken the folder while this one waited
            } catch (RuntimeException foreign) {
                held.close();
                throw foreign;
            }
            return held;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(key);
            throw new BackupInProgressException("another " + owner + " is running (pid " + pid + ")");
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(key);
            throw failure("lock backup dir " + folder, e);
        }
    }

    /**
     * A folder of hand-copied or older backups has no scratch space yet: the lock makes it, owner-only as a run
     * makes it, so that every command that locks (prune) works in any folder of backups.
     */
    private void createScratchIfMissing() throws IOException {
        if (Files.isDirectory(scratch, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createDirectory(scratch, DurableFiles.ownerOnlyDirectory());
            Files.setPosixFilePermissions(scratch, DurableFiles.OWNER_ONLY_DIRECTORY);
        } catch (FileAlreadyExistsException taken) {
            if (!Files.isDirectory(scratch, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException("backup dir " + folder + " is not usable: " + scratch
                        + " is not a directory");
            }
        }
    }

    private static void createIfMissing(Path file) throws IOException {
        try {
            Files.createFile(file, DurableFiles.ownerReadWrite());
        } catch (FileAlreadyExistsException alreadyThere) {
            // the usual case: the lock file stays between runs
        }
    }

    /** What the lock file says holds it: "backup of /srv/app.db is running (pid 12)", as the holder wrote it. */
    private String readHolder(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(4096);
        channel.read(content, 0);
        List<String> lines = new String(content.array(), 0, content.position(), StandardCharsets.UTF_8).lines()
                .map(String::strip).toList();
        String pid = !lines.isEmpty() && lines.get(0).matches("\\d{1,19}") ? lines.get(0) : "unknown";
        String owner = lines.size() > 1 && !lines.get(1).isEmpty() ? lines.get(1)
                : "sqlite-backup process using " + folder;
        return owner + " is running (pid " + pid + ")";
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more can be done for a channel that will not close
            }
        }
    }

    /** The folder's lock: released once, by close or by the process dying. */
    private static final class HeldLock implements Lock {
        private final Path key;
        private final FileChannel channel;
        private final FileLock fileLock;
        private boolean closed;

        HeldLock(Path key, FileChannel channel, FileLock fileLock) {
            this.key = key;
            this.channel = channel;
            this.fileLock = fileLock;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                fileLock.release();
            } catch (IOException ignored) {
                // closing the channel below releases it too
            }
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(key);
        }
    }

    private BackupFailedException failure(String what, IOException e) {
        if (DurableFiles.isNoSpace(e)) {
            return new BackupFailedException("could not " + what + ": no space left on device", e);
        }
        return new BackupFailedException("could not " + what + ": " + DurableFiles.oneLine(e), e);
    }
}
