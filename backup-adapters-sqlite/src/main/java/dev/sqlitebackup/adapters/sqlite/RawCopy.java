package dev.sqlitebackup.adapters.sqlite;

import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

/**
 * The raw copy: the database file copied by the kernel while SQLite's read lock keeps it consistent, and in WAL mode
 * the committed frames of the {@code -wal} laid over it, so the copy holds exactly one committed state.
 *
 * <p>The rules it keeps, and why. SQLite's read lock is taken first and held until the copy is complete: in rollback
 * mode it keeps writers out of the file; in WAL mode it keeps checkpoints from writing any page newer than the frames
 * the copy lays over the file (they may write older ones meanwhile, which the frames then cover), and from restarting
 * the WAL, unless this connection reads the database file alone (then the file does not change at all, and a
 * restart is noticed by the WAL's header and the copy made from the file alone). The descriptor on the database is
 * opened before SQLite's connection and closed after it: closing a descriptor drops all of the process's POSIX
 * locks on that file, SQLite's included. Only the -wal is opened meanwhile (SQLite locks nothing in it). Pages past
 * the end of the database file come only from WAL frames; the copy is exactly the page count SQLite itself would
 * read, so page 1 never needs changing. The copy is made in parts, each final (file pages, then its WAL frames)
 * before it is hashed, read back from the copy on another core while the next part is copied: the SHA-256 is ready
 * moments after the last byte, instead of a second pass over the whole copy after it. Once the WAL changes during the
 * copy (the application is committing), each part waits until the background flushes are at most 4 MiB behind:
 * a copy faster than the disk otherwise piles up tens to hundreds of MiB that each flush writes at once, and the
 * application's checkpoints (their fsync) waited behind them, up to 96 ms in the benchmark and 1.7 s once on a slow
 * disk, against 4-13 ms paced (docs/benchmarks.md). Nobody writing, the copy goes as fast as it can.
 */
final class RawCopy {

    private static final Logger LOG = LoggerFactory.getLogger(RawCopy.class);

    /**
     * One kernel copy (sendfile/copy_file_range) at a time, so the copy's progress shows while it runs and the
     * background fdatasync keeps up with it (see {@link BackgroundDatasync.Settings#DEFAULT}).
     */
    static final long CHUNK_BYTES = 4L << 20;
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_SIZE = 100;
    private static final int WAL_FORMAT = 2;

    private RawCopy() {
    }

    /**
     * Why the raw copy cannot be used before anything is opened: a platform whose locks and kernel copy this was
     * not made for, or another connection of this process that has the database open (closing this copy's
     * descriptor would drop that connection's locks); empty when it can.
     */
    static Optional<String> unavailable(Path database, String osName) {
        if (!osName.startsWith("Linux") && !osName.startsWith("Mac OS X")) {
            return Optional.of("the raw copy is made for Linux and macOS, not " + osName);
        }
        try {
            Path real = database.toRealPath();
            if (SqliteFileLocks.openInThisProcess(List.of(real))) {
                return Optional.of("another connection in this process has it open, and closing a second "
                        + "descriptor would drop that connection's locks");
            }
        } catch (IOException missing) {
            // SQLite's own open says what is wrong with it
        }
        return Optional.empty();
    }

    /**
     * Copies {@code database}, open as {@code raw} and through {@code source} (in autocommit mode), into
     * {@code target}, hashing each part of the copy as it lands (on another core, from the copy's own bytes). Takes
     * and ends the read transaction itself.
     *
     * @return why the raw copy could not be made (a precondition failed), with {@code target} left empty; or the
     *         complete copy's SHA-256 and size
     */
    static Outcome copy(FileChannel raw, SQLiteConnection source, Path database, Path target,
            BackgroundDatasync written) throws SQLException, IOException {
        String lockingMode = text(source, "PRAGMA locking_mode");
        if (!"normal".equals(lockingMode.toLowerCase(Locale.ROOT))) {
            return Outcome.notPossible("SQLite's locking mode is " + lockingMode + ", not normal");
        }
        source.setAutoCommit(false);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            // the read lock: held from here until the transaction ends, after the last byte is copied
            text(source, "SELECT count(*) FROM sqlite_schema");
            Outcome outcome = copyLocked(raw, source, database, target, out, written);
            if (outcome.notPossible().isPresent()) {
                out.truncate(0);
            }
            return outcome;
        } finally {
            endReadTransaction(source);
        }
    }

    /**
     * Why the raw copy could not be made, or the SHA-256 and size of the copy it made, once the hashing of its last
     * part is done (the copy itself is complete, and the read transaction ended, already).
     */
    record Outcome(Optional<String> notPossible, CompletableFuture<DatabaseSnapshotter.CopyChecksum> checksum) {
        static Outcome notPossible(String why) {
            return new Outcome(Optional.of(why), CompletableFuture.failedFuture(new IllegalStateException(why)));
        }

        static Outcome copied(LandedSha256 landed) {
            return new Outcome(Optional.empty(), landed.finish());
        }
    }

    /** Ends the read transaction, so that the connection is as it was (a failure here must not hide the first). */
    private static void endReadTransaction(SQLiteConnection source) {
        try {
            source.rollback();
            source.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.debug("ending the raw copy's read transaction failed: {}", e.toString());
        }
    }

    private static Outcome copyLocked(FileChannel raw, SQLiteConnection source, Path database, Path target,
            FileChannel out, BackgroundDatasync written) throws SQLException, IOException {
        Path walPath = database.resolveSibling(database.getFileName() + "-wal");
        Pace pace = Pace.watching(walPath, written);
        int pageSize = Integer.parseInt(text(source, "PRAGMA page_size"));
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        WalIndex.readFully(raw, header, 0);
        byte[] magic = Arrays.copyOf(header.array(), MAGIC.length);
        if (header.position() < HEADER_SIZE || !Arrays.equals(magic, MAGIC)) {
            return Outcome.notPossible("the file does not start with the SQLite header SQLite reads through its VFS");
        }
        int rawPageSize = header.getShort(16) & 0xFFFF;
        rawPageSize = rawPageSize == 1 ? 65_536 : rawPageSize;
        if (rawPageSize != pageSize) {
            return Outcome.notPossible("its page size changed: the file says " + rawPageSize + " bytes, SQLite reads "
                    + pageSize);
        }
        boolean walMode = header.get(18) == WAL_FORMAT && header.get(19) == WAL_FORMAT;
        if (!walMode) {
            return fileAlone(raw, header.array(), pageSize, target, out, pace);
        }
        try (FileChannel wal = openIfThere(walPath)) {
            WalIndex index;
            try {
                index = WalIndex.read(wal);
            } catch (WalIndex.Unreadable e) {
                return Outcome.notPossible(walPath.getFileName() + " does not parse: " + e.getMessage());
            }
            if (index.pageSize() != 0 && index.pageSize() != pageSize) {
                return Outcome.notPossible("its page size changed: " + walPath.getFileName() + " has "
                        + index.pageSize() + "-byte pages, the database " + pageSize);
            }
            LandedSha256 landed = LandedSha256.of(target);
            try {
                boolean framesWhole = writePages(raw, wal, index, header.array(), pageSize, out, landed, pace);
                if (framesWhole && index.sameGenerationAs(wal)) {
                    return Outcome.copied(landed);
                }
            } catch (IOException | RuntimeException e) {
                landed.close();
                throw e;
            }
            landed.close();
            // Restarted or truncated meanwhile: only possible while this connection reads the database file
            // alone, which then does not change; the frames read may belong to either generation.
            LOG.debug("{} restarted during the copy: copying the database file alone, the state this read "
                    + "transaction sees", walPath.getFileName());
            out.truncate(0);
            return fileAlone(raw, header.array(), pageSize, target, out, pace);
        }
    }

    /** The database file's pages alone (no WAL to lay over them), hashed as they land. */
    private static Outcome fileAlone(FileChannel raw, byte[] header, int pageSize, Path target, FileChannel out,
            Pace pace) throws IOException {
        LandedSha256 landed = LandedSha256.of(target);
        try {
            writePages(raw, null, WalIndex.empty(), header, pageSize, out, landed, pace);
            return Outcome.copied(landed);
        } catch (IOException | RuntimeException e) {
            landed.close();
            throw e;
        }
    }

    /**
     * The database file's pages up to the page count, laid over with the WAL's committed frames, in parts of
     * {@link #CHUNK_BYTES}: each part copied from the file, then the frames of its pages laid over it, then handed to
     * {@code landed} to be hashed while the next part is copied.
     *
     * @return false when the WAL ended inside one of them: it was truncated since it was read
     */
    private static boolean writePages(FileChannel raw, FileChannel wal, WalIndex index, byte[] fileHeader,
            int pageSize, FileChannel out, LandedSha256 landed, Pace pace) throws IOException {
        long fileBytes = raw.size();
        long pagesInFile = index.pageCount().orElse((fileBytes + pageSize - 1) / pageSize);
        Map<Integer, Long> frames = index.latestFrames();
        byte[] page1 = fileHeader;
        Long page1Frame = frames.get(1);
        if (page1Frame != null) {
            ByteBuffer fromWal = ByteBuffer.allocate(HEADER_SIZE);
            WalIndex.readFully(wal, fromWal, page1Frame);
            page1 = fromWal.array();
        }
        long pages = pageCount(ByteBuffer.wrap(page1), pagesInFile);
        long bytes = pages * pageSize;
        long fromFile = Math.min(fileBytes, bytes);
        List<Integer> laid = new ArrayList<>();
        for (Integer page : frames.keySet()) {
            if (Integer.toUnsignedLong(page) <= pages) {
                laid.add(page);
            }
        }
        laid.sort(Integer::compareUnsigned);
        ByteBuffer buffer = ByteBuffer.allocateDirect(pageSize);
        boolean fileEnded = false;
        int next = 0;
        for (long at = 0; at < bytes; ) {
            pace.beforePart(at);
            long end = Math.min(at + CHUNK_BYTES, bytes);
            for (long p = at; !fileEnded && p < Math.min(end, fromFile); ) {
                long n = raw.transferTo(p, Math.min(end, fromFile) - p, out.position(p));
                if (n <= 0) {
                    fileEnded = true; // the file is shorter now: a checkpoint truncated it, those pages are in the WAL
                } else {
                    p += n;
                }
            }
            for (; next < laid.size() && offset(laid.get(next), pageSize) < end; next++) {
                Integer page = laid.get(next);
                buffer.clear();
                WalIndex.readFully(wal, buffer, frames.get(page));
                if (buffer.hasRemaining()) {
                    return false;
                }
                buffer.flip();
                long to = offset(page, pageSize);
                while (buffer.hasRemaining()) {
                    to += out.write(buffer, to);
                }
            }
            if (out.size() < end) {
                out.write(ByteBuffer.allocate(1), end - 1); // pages neither in the file nor the WAL read as zeros
            }
            landed.landed(at, end);
            at = end;
        }
        LOG.debug("raw copy: {} pages of {} bytes, {} from {} WAL frames", pages, pageSize, laid.size(),
                index.committedFrames());
        return true;
    }

    private static long offset(Integer page, int pageSize) {
        return (Integer.toUnsignedLong(page) - 1) * pageSize;
    }

    /**
     * The page count SQLite reads: the size in page 1's header when it is valid (offset 92 equals the change
     * counter at offset 24) and not past the end, otherwise the pages of the file (or of the WAL's last commit).
     */
    static long pageCount(ByteBuffer page1, long pagesInFile) {
        long inHeader = Integer.toUnsignedLong(page1.getInt(28));
        boolean valid = page1.getInt(92) == page1.getInt(24) && inHeader > 0;
        return valid ? Math.min(inHeader, pagesInFile) : pagesInFile;
    }

    private static FileChannel openIfThere(Path file) throws IOException {
        try {
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? FileChannel.open(file, StandardOpenOption.READ)
                    : null;
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    private static String text(SQLiteConnection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            if (!r.next()) {
                throw new SQLException(sql + " returned nothing");
            }
            return String.valueOf(r.getString(1));
        }
    }

    /**
     * Keeps the copy at the disk's pace once the application is seen writing: its {@code -wal} was modified since the
     * copy's read transaction began (every commit writes it). In rollback-journal mode nobody commits during the copy
     * (the read lock keeps writers waiting, and then the sooner the copy ends the better), and there is no
     * {@code -wal} to change.
     */
    private static final class Pace {
        private final Path wal;
        private final Optional<FileTime> modifiedAtStart;
        private final BackgroundDatasync written;
        private boolean paced;

        private Pace(Path wal, Optional<FileTime> modifiedAtStart, BackgroundDatasync written) {
            this.wal = wal;
            this.modifiedAtStart = modifiedAtStart;
            this.written = written;
        }

        /** Notes when {@code wal} was last modified (a stat: no descriptor is opened, none closed). */
        static Pace watching(Path wal, BackgroundDatasync written) {
            return new Pace(wal, modified(wal), written);
        }

        /** Before the part from byte {@code at}: waits for the flushes, once the application is seen writing. */
        void beforePart(long at) throws IOException {
            if (!paced && !modified(wal).equals(modifiedAtStart)) {
                paced = true;
                LOG.debug("{} changed during the copy: the application is writing, so the copy keeps to the pace "
                        + "of the disk from byte {} on", wal.getFileName(), at);
            }
            if (paced) {
                written.awaitBacklog(at);
            }
        }

        private static Optional<FileTime> modified(Path file) {
            try {
                return Optional.of(Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS));
            } catch (IOException gone) {
                return Optional.empty();
            }
        }
    }
}
