package dev.sqlitebackup.adapters.filesystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/** The fsyncs and owner-only modes that make a file's bytes and its name survive a crash. */
final class DurableFiles {

    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private DurableFiles() {
    }

    static FileAttribute<Set<PosixFilePermission>> ownerReadWrite() {
        return PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
    }

    static FileAttribute<Set<PosixFilePermission>> ownerOnlyDirectory() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY);
    }

    /** Flushes a file's bytes and metadata to the disk. */
    static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            channel.force(true);
        }
    }

    /**
     * Starts flushing a file's bytes and metadata on another thread, for a caller with other work to do until the
     * file must be durable; {@link #awaitDurable} then waits for it. Daemon threads, reused.
     */
    static Flushing fsyncMeanwhile(Path file) {
        return new Flushing(file, CompletableFuture.runAsync(() -> {
            try {
                fsync(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, FLUSHING_THREADS));
    }

    /** A flush {@link #fsyncMeanwhile} started. */
    record Flushing(Path file, CompletableFuture<Void> done) {

        /** Waits until the file is durable; throws what fsync threw. */
        void awaitDurable() throws IOException {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        done.get();
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true; // the flush is under way: the file is not left half flushed
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof UncheckedIOException io) {
                            throw io.getCause();
                        }
                        throw new IOException("could not flush " + file + " to disk: " + e.getCause(), e.getCause());
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Waits until the flush has ended, however it ended (so it never outlives its caller). */
        void awaitEnd() {
            try {
                awaitDurable();
            } catch (IOException ended) {
                // reported by awaitDurable to whoever needed the file durable
            }
        }
    }

    private static final ExecutorService FLUSHING_THREADS = SideThreads.pool("sqlite-backup-fsync");

    /** Flushes a directory, so names created, linked or removed in it survive a crash. */
    static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    /** Deletes a file if it is there, never through a symlink and never failing: for cleanup paths. */
    static boolean deleteQuietly(Path file) {
        if (file == null) {
            return false;
        }
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }

    /** The cause in one line: the file and the reason, without an exception class name. */
    static String oneLine(Throwable e) {
        String text;
        if (e instanceof NoSuchFileException f) {
            text = f.getFile() + ": no such file or directory";
        } else if (e instanceof AccessDeniedException f) {
            text = f.getFile() + ": permission denied";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            text = (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        } else {
            text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
