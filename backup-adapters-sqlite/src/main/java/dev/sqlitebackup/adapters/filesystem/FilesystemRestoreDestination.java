package dev.sqlitebackup.adapters.filesystem;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.RestoreTargetExistsException;
import dev.sqlitebackup.domain.port.out.RestoreDestination;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adapter: writes a restored database beside its target and swaps it in with one atomic rename or link. */
public final class FilesystemRestoreDestination implements RestoreDestination {

    private static final Logger LOG = LoggerFactory.getLogger(FilesystemRestoreDestination.class);
    private static final List<String> STALE_SUFFIXES = List.of("-wal", "-shm", "-journal");

    @Override
    public boolean exists(Path target) {
        if (Files.isDirectory(target)) {
            throw new InvalidInputException(target + " is a directory; restore writes a database file: give the "
                    + "file's path, e.g. " + target.resolve("restored.db"));
        }
        return Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void install(Path verifiedCopy, String expectedSha256, Path target, boolean replace) {
        Path requested = target.toAbsolutePath().normalize();
        Path parent = requested.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InvalidInputException("restore target folder " + parent + " does not exist");
        }
        Path destination = replace ? followSymlink(requested) : requested;
        if (!replace && exists(destination)) {
            throw refuseToOverwrite(destination);
        }
        PosixFileAttributes existing = replace ? existingAttributes(destination) : null;
        Path temp = destination.resolveSibling("." + destination.getFileName() + ".restore-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
        boolean installed = false;
        try {
            Set<PosixFilePermission> mode = existing == null ? DurableFiles.OWNER_READ_WRITE : existing.permissions();
            String actual;
            try (FileChannel in = FileChannel.open(verifiedCopy, StandardOpenOption.READ);
                    FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                            PosixFilePermissions.asFileAttribute(DurableFiles.OWNER_READ_WRITE))) {
                actual = Sha256.copy(in, out).hex();
                out.force(true);
            }
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new BackupFailedException("copy of " + verifiedCopy + " to " + destination
                        + " does not match its checksum (" + actual + " != " + expectedSha256 + "); nothing restored");
            }
            Files.setPosixFilePermissions(temp, mode);
            if (existing != null) {
                keepOwner(temp, existing);
            }
            if (replace) {
                // Stale -wal/-shm/-journal first: SQLite would replay an old WAL into the restored file.
                for (String suffix : STALE_SUFFIXES) {
                    Files.deleteIfExists(destination.resolveSibling(destination.getFileName() + suffix));
                }
                Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try {
                    Files.createLink(destination, temp); // link(2) never overwrites, unlike rename(2)
                } catch (FileAlreadyExistsException e) {
                    throw refuseToOverwrite(destination);
                }
                Files.delete(temp);
            }
            installed = true;
            DurableFiles.fsyncDirectory(parent);
        } catch (NoSuchFileException e) {
            throw new BackupFailedException("restore to " + destination + " failed: " + DurableFiles.oneLine(e), e);
        } catch (IOException | UnsupportedOperationException e) {
            String cause = DurableFiles.isNoSpace(e) ? "no space left on device" : DurableFiles.oneLine(e);
            throw new BackupFailedException("restore to " + destination + " failed: " + cause, e);
        } finally {
            if (!installed) {
                DurableFiles.deleteQuietly(temp);
            }
        }
    }

    private static RestoreTargetExistsException refuseToOverwrite(Path target) {
        return new RestoreTargetExistsException(target);
    }

    /** Replacing a symlinked database replaces the file it points at, as SQLite itself would write to. */
    private static Path followSymlink(Path target) {
        if (!Files.isSymbolicLink(target)) {
            return target;
        }
        try {
            return target.toRealPath();
        } catch (IOException danglingLink) {
            return target;
        }
    }

    private static PosixFileAttributes existingAttributes(Path target) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(target, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                throw new InvalidInputException(target + " is a directory; restore will not replace it");
            }
            return attributes.isRegularFile() ? attributes : null;
        } catch (NoSuchFileException nothingThere) {
            return null;
        } catch (IOException e) {
            throw new BackupFailedException("restore to " + target + " failed: " + DurableFiles.oneLine(e), e);
        }
    }

    /** The restored file keeps the old file's owner, so the application can still write it after a root restore. */
    private static void keepOwner(Path file, PosixFileAttributes existing) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        try {
            PosixFileAttributes mine = view.readAttributes();
            if (!mine.owner().equals(existing.owner())) {
                view.setOwner(existing.owner());
            }
            if (!mine.group().equals(existing.group())) {
                view.setGroup(existing.group());
            }
        } catch (IOException e) {
            LOG.warn("restored {} keeps owner {}: could not give it {}:{} ({})", file, System.getProperty("user.name"),
                    existing.owner().getName(), existing.group().getName(), DurableFiles.oneLine(e));
        }
    }
}
