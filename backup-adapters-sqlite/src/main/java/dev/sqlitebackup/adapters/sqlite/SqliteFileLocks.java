package dev.sqlitebackup.adapters.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who else has an SQLite database open, seen from outside SQLite: the POSIX record locks of SQLite's unix VFS (which
 * Java's {@link FileChannel#tryLock} takes as fcntl locks on Linux, so they conflict with SQLite's own) and, on Linux,
 * the open files of the processes {@code /proc} lets this user see.
 *
 * <p>POSIX locks belong to a process, and closing any descriptor of a file drops all of that process's locks on it.
 * So every probe opens a fresh channel, holds a lock only for as long as it takes, and must never run while this
 * process itself has the database open through SQLite.
 */
final class SqliteFileLocks {

    /** os_unix.c: PENDING_BYTE 0x40000000, RESERVED_BYTE +1, SHARED_FIRST +2 for 510 bytes (SHARED_SIZE). */
    private static final long DATABASE_LOCKS_FIRST = 0x4000_0000L;
    private static final long DATABASE_LOCKS_SIZE = 2 + 510;
    /** The -shm's lock bytes: the WAL write, checkpoint, recover and five read locks from 120, the DMS byte at 128. */
    private static final long SHM_LOCKS_FIRST = 120;
    private static final long SHM_LOCKS_SIZE = 9;
    private static final Path PROC = Path.of("/proc");

    private SqliteFileLocks() {
    }

    /** Something to do while the database is held. */
    interface WhileHeld {
        void run() throws IOException;
    }

    /**
     * Runs {@code action} while this process holds a write lock on all of the database's lock bytes, the lock SQLite's
     * last connection takes before it removes the -wal: while it is held no other connection can start reading, and
     * it is only granted when no other process has the database open in WAL mode or in a transaction.
     *
     * @return false, without running {@code action}, when another process holds one of those locks
     * @throws IOException when the database cannot be opened for writing, which a write lock needs
     */
    static boolean whileNoOtherProcess(Path database, WhileHeld action) throws IOException {
        try (FileChannel channel = FileChannel.open(database, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock;
            try {
                lock = channel.tryLock(DATABASE_LOCKS_FIRST, DATABASE_LOCKS_SIZE, false);
            } catch (OverlappingFileLockException heldInThisJvm) {
                return false;
            }
            if (lock == null) {
                return false;
            }
            try {
                action.run();
            } finally {
                lock.release();
            }
            return true;
        }
    }

    /**
     * Another process that has the database (or its -wal, -shm or -journal) open: "pid 1234 (sqlite3)", "pids 1234
     * (java), 5678 (python3)", or, when only SQLite's lock shows it, a process this user cannot see.
     */
    static Optional<String> otherProcess(Path database) {
        Path real = realPath(database);
        List<Path> files = new ArrayList<>();
        files.add(real);
        for (String suffix : List.of("-wal", "-shm", "-journal")) {
            files.add(real.resolveSibling(real.getFileName() + suffix));
        }
        Set<Long> pids = new LinkedHashSet<>(pidsWithOpen(files, false));
        boolean locked = lockedByAnother(real, DATABASE_LOCKS_FIRST, DATABASE_LOCKS_SIZE)
                || lockedByAnother(files.get(2), SHM_LOCKS_FIRST, SHM_LOCKS_SIZE);
        if (locked) {
            // /proc/locks names the holder even of a process whose descriptors this user may not read
            pids.addAll(pidsLocking(real));
            pids.addAll(pidsLocking(files.get(2)));
        }
        if (pids.isEmpty() && !locked) {
            return Optional.empty();
        }
        if (pids.isEmpty()) {
            return Optional.of("a process this user cannot see holds SQLite's lock on it");
        }
        List<String> named = pids.stream().map(pid -> pid + commandOf(pid)).toList();
        return Optional.of((named.size() == 1 ? "pid " : "pids ") + String.join(", ", named));
    }

    /** Whether another process holds a lock on any byte of the range; a file that is not there holds none. */
    private static boolean lockedByAnother(Path file, long first, long size) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        // A write lock conflicts with every lock, but needs a writable channel; a read lock still finds writers.
        boolean writable = Files.isWritable(file);
        try (FileChannel channel = writable
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock lock = channel.tryLock(first, size, !writable);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException heldInThisJvm) {
            return false;
        } catch (IOException cannotTell) {
            return false;
        }
    }

    /**
     * The processes that have one of {@code files} open, from {@code /proc/PID/fd}; processes whose descriptors
     * this user may not read are skipped, and so is this one unless {@code includeSelf}.
     */
    static List<Long> pidsWithOpen(List<Path> files, boolean includeSelf) {
        long self = ProcessHandle.current().pid();
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                long pid;
                try {
                    pid = Long.parseLong(process.getFileName().toString());
                } catch (NumberFormatException notAProcess) {
                    continue;
                }
                if ((pid != self || includeSelf) && hasOpen(process.resolve("fd"), files)) {
                    pids.add(pid);
                }
            }
        } catch (IOException | SecurityException noProc) {
            return pids;
        }
        return pids;
    }

    /**
     * The processes holding a POSIX lock on {@code file}, from {@code /proc/locks} ("1: POSIX ADVISORY READ 1234
     * 08:02:131 128 128": the pid, then the device as major:minor in hex and the inode), this one excepted.
     */
    private static List<Long> pidsLocking(Path file) {
        List<Long> pids = new ArrayList<>();
        long inode;
        long device;
        try {
            inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            device = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
        } catch (IOException | RuntimeException noSuchFileOrNotUnix) {
            return pids;
        }
        // glibc's gnu_dev_major/gnu_dev_minor
        long major = ((device >>> 8) & 0xfff) | ((device >>> 32) & ~0xfffL);
        long minor = (device & 0xff) | ((device >>> 12) & ~0xffL);
        String fileId = String.format("%02x:%02x:%d", major, minor, inode);
        long self = ProcessHandle.current().pid();
        try {
            for (String line : Files.readAllLines(PROC.resolve("locks"))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 6 && !"->".equals(fields[1]) && fields[5].equals(fileId)) {
                    long pid = Long.parseLong(fields[4]);
                    if (pid > 0 && pid != self && !pids.contains(pid)) {
                        pids.add(pid);
                    }
                }
            }
        } catch (IOException | RuntimeException noProcLocks) {
            return pids;
        }
        return pids;
    }

    /** Whether this process has one of {@code files} open (Linux; false where there is no {@code /proc}). */
    static boolean openInThisProcess(List<Path> files) {
        return hasOpen(PROC.resolve("self").resolve("fd"), files);
    }

    private static boolean hasOpen(Path fdDir, List<Path> files) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    if (files.contains(Files.readSymbolicLink(fd))) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while we looked
                }
            }
        } catch (AccessDeniedException | NoSuchFileException notOursOrGone) {
            return false;
        } catch (IOException | SecurityException unreadable) {
            return false;
        }
        return false;
    }

    private static String commandOf(long pid) {
        try {
            String comm = Files.readString(PROC.resolve(Long.toString(pid)).resolve("comm")).strip();
            return comm.isEmpty() ? "" : " (" + comm + ")";
        } catch (IOException | RuntimeException unknown) {
            return "";
        }
    }

    private static Path realPath(Path database) {
        Path absolute = database.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException notThere) {
            return absolute;
        }
    }
}
