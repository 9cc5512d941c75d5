package dev.sqlitebackup.adapters.filesystem;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.ForeignBackupFolderException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.Pin;
import dev.sqlitebackup.domain.model.Sidecar;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapter: the local backup folder, where a backup's name appears only once it and its sidecar are on disk. Backups
 * are stored as the plain database ({@code backup-….db}) or, with a compressing codec, as a zstd frame of it
 * ({@code backup-….db.zst}); the folder may hold both, and one timestamp is one backup whatever its form.
 */
// Published by hard links, never renames: link(2) fails on an existing name, rename(2) would silently replace it.
public final class FilesystemBackupRepository implements BackupRepository {

    /** The forms a backup folder holds; the plain one first, as the one a timestamp stored in both is read from. */
    static final List<StoredForm> LOCAL_FORMS = List.of(StoredForm.PLAIN, StoredForm.ZSTD);

    private static final Logger LOG = LoggerFactory.getLogger(FilesystemBackupRepository.class);

    static final String SCRATCH_DIR = ".sqlite-backup";
    /** The folder's record of the database it belongs to: its path, one line. */
    static final String DATABASE_FILE = "database";
    private static final int MAX_RECORD_BYTES = 8192;
    static final String SCRATCH_PREFIX = "tmp-";
    /** The pins ({@link Pin}), one file per pinned backup, in the scratch folder: {@code pins/<backup>.pin}. */
    static final String PINS_DIR = "pins";
    private static final String PIN_SUFFIX = ".pin";
    private static final List<String> SQLITE_SIDE_SUFFIXES = List.of("-journal", "-wal", "-shm");
    private static final int MAX_SIDECAR_BYTES = 4096;
    /** How many later seconds publish tries before giving up on a folder that is somehow full of names. */
    private static final int MAX_NAME_ATTEMPTS = 100_000;

    private final Path folder;
    private final Path scratch;
    private final Path record;
    private final Optional<DatabaseIdentity> database;
    private final BackupFolderLock folderLock;
    /** Stores new backups in its form and decodes compressed ones; empty: stores plain and decodes none. */
    private final Optional<BackupCodec> codec;

    /**
     * The folder of {@code database}'s backups (for no database, whatever the folder holds: nothing is recorded),
     * storing new backups in {@code codec}'s form (plain or zstd) and reading compressed ones through it.
     */
    public FilesystemBackupRepository(Path folder, Optional<DatabaseIdentity> database, BackupCodec codec) {
        this(folder, database, Optional.of(codec));
        if (!LOCAL_FORMS.contains(codec.form())) {
            throw new IllegalArgumentException("a backup folder stores backups plain or zstd, not "
                    + codec.form().label());
        }
    }

    /**
     * The folder of {@code database}'s backups, storing new backups plain; it lists and checks compressed ones but
     * cannot decode them.
     */
    public FilesystemBackupRepository(Path folder, Optional<DatabaseIdentity> database) {
        this(folder, database, Optional.empty());
    }

    private FilesystemBackupRepository(Path folder, Optional<DatabaseIdentity> database,
            Optional<BackupCodec> codec) {
        this.codec = codec;
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize();
        this.scratch = this.folder.resolve(SCRATCH_DIR);
        this.record = scratch.resolve(DATABASE_FILE);
        this.database = Objects.requireNonNull(database, "database");
        this.folderLock = new FilesystemBackupFolderLock(this.folder, this::checkOwner);
    }

    /** The folder, for whatever database it holds: it checks and records none. */
    public FilesystemBackupRepository(Path folder) {
        this(folder, Optional.empty());
    }

    @Override
    public String describe() {
        return folder.toString();
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(folder);
    }

    @Override
    public Optional<DatabaseIdentity> database() {
        checkOwner();
        return database.isPresent() ? database : recorded();
    }

    /** The database the folder records; empty when it records none (or does not exist). */
    private Optional<DatabaseIdentity> recorded() {
        if (!Files.isDirectory(folder)) {
            return Optional.empty(); // missing, a file or out of reach: no record, and the folder's own error follows
        }
        String content;
        try {
            BasicFileAttributes attributes = Files.readAttributes(record, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || attributes.size() > MAX_RECORD_BYTES) {
                throw unreadableRecord("not a small regular file");
            }
            content = Files.readString(record, StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read " + record, e);
        }
        if (!content.endsWith("\n") || content.indexOf('\n') != content.length() - 1) {
            throw unreadableRecord("not one line");
        }
        return Optional.of(DatabaseIdentity.parse(content.substring(0, content.length() - 1))
                .orElseThrow(() -> unreadableRecord("not an absolute database path")));
    }

    private InvalidInputException unreadableRecord(String why) {
        return new InvalidInputException("backup dir " + folder + " has an unusable record of its database in "
                + record + " (" + why + "); delete it and the next run adopts the folder");
    }

    /** Refuses a folder that records another database than this repository's; a folder alone is never refused. */
    private void checkOwner() {
        if (database.isEmpty()) {
            return;
        }
        Optional<DatabaseIdentity> owner = recorded();
        if (owner.isPresent() && !owner.get().equals(database.get())) {
            throw new ForeignBackupFolderException(folder.toString(), owner.get(), database.get(),
                    record.toString());
        }
    }

    /**
     * Records this repository's database in a folder that records none yet: written whole and fsynced under a
     * scratch name, then linked to its name, which never replaces a record another process made in between.
     */
    private void claim() throws IOException {
        checkOwner();
        if (database.isEmpty() || recorded().isPresent()) {
            return;
        }
        Path temporary = scratch.resolve(SCRATCH_PREFIX + ProcessHandle.current().pid() + "-" + random()
                + "." + DATABASE_FILE);
        try {
            try (FileChannel out = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), DurableFiles.ownerReadWrite())) {
                ByteBuffer buffer = ByteBuffer.wrap((database.get().value() + "\n").getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.setPosixFilePermissions(temporary, DurableFiles.OWNER_READ_WRITE);
            try {
                Files.createLink(record, temporary);
            } catch (FileAlreadyExistsException raced) {
                checkOwner();
                return;
            }
            DurableFiles.fsyncDirectory(scratch);
            LOG.info("backup dir {} now belongs to database {} (recorded in {})", folder, database.get(), record);
        } finally {
            DurableFiles.deleteQuietly(temporary);
        }
    }

    @Override
    public Preparation prepare() {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new InvalidInputException("backup dir " + folder + " is not a directory");
        }
        List<Path> created = new ArrayList<>();
        try {
            if (!Files.exists(folder)) {
                List<Path> missing = new ArrayList<>();
                Path p = folder;
                for (; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
                    missing.add(0, p);
                }
                if (p != null && !Files.isDirectory(p)) {
                    throw new InvalidInputException("backup dir " + folder + " is not usable: " + p
                            + " is not a directory");
                }
                Files.createDirectories(folder, DurableFiles.ownerOnlyDirectory());
                created.addAll(missing);
                // the attribute is subject to the umask; the folder holds copies of someone's data
                Files.setPosixFilePermissions(folder, DurableFiles.OWNER_ONLY_DIRECTORY);
            }
            if (!Files.isWritable(folder)) {
                throw notWritable();
            }
            checkOwner(); // a new folder records nothing; an existing one is checked before anything is added
            if (!Files.exists(scratch, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(scratch, DurableFiles.ownerOnlyDirectory());
                    created.add(scratch);
                    Files.setPosixFilePermissions(scratch, DurableFiles.OWNER_ONLY_DIRECTORY);
                } catch (FileAlreadyExistsException raced) {
                    // another first run made it between the look and the making: checked below as one that was there
                }
            }
            if (!Files.isDirectory(scratch, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException("backup dir " + folder + " is not usable: " + scratch
                        + " is not a directory");
            }
            if (!created.contains(scratch)) {
                // a folder this run just made is writable by its maker; one that was there may not be any more
                Path probe = scratch.resolve(SCRATCH_PREFIX + "probe-" + ProcessHandle.current().pid() + "-"
                        + random());
                Files.createFile(probe, DurableFiles.ownerReadWrite());
                Files.delete(probe);
            }
            return new Preparation(created);
        } catch (AccessDeniedException e) {
            throw notWritable();
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException("backup dir " + folder + " is not a directory");
        } catch (IOException e) {
            throw failure("prepare backup dir " + folder, e);
        }
    }

    @Override
    public void undo(Preparation preparation) {
        List<Path> created = preparation.createdFolders();
        for (Path dir : created) {
            boolean ours = dir.equals(scratch) || folder.startsWith(dir);
            if (!ours || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return; // gone, or replaced (by a symlink, say): not what this run made
            }
        }
        if (created.contains(scratch)) {
            // the run lock and the record of the database are this run's own files; a state database or anything
            // else keeps the folder
            DurableFiles.deleteQuietly(scratch.resolve(FilesystemBackupFolderLock.LOCK_FILE));
            DurableFiles.deleteQuietly(record);
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            Path dir = created.get(i);
            try {
                Files.delete(dir); // only an empty directory: the system checks, not us
            } catch (IOException notEmptyOrGone) {
                LOG.debug("kept {}: {}", dir, DurableFiles.oneLine(notEmptyOrGone));
                return;
            }
        }
        Path parent = created.isEmpty() ? null : created.get(0).getParent();
        if (parent != null) {
            try {
                DurableFiles.fsyncDirectory(parent);
            } catch (IOException e) {
                LOG.debug("could not fsync {}: {}", parent, DurableFiles.oneLine(e));
            }
        }
    }

    private InvalidInputException notWritable() {
        return new InvalidInputException("backup dir " + folder + " is not writable: permission denied");
    }

    @Override
    public BackupFolderLock folderLock() {
        return folderLock;
    }

    @Override
    public int sweepLeftovers() {
        checkOwner();
        if (!Files.isDirectory(scratch, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(scratch)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith(SCRATCH_PREFIX)
                        && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                        && DurableFiles.deleteQuietly(entry)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw failure("clean up " + scratch, e);
        }
        return removed + sweepOrphanSidecars();
    }

    /**
     * Removes sidecars this tool wrote whose backup never got its name (a crash between the two links of
     * {@link #publish}) or lost it (a crash between the two unlinks of {@link #delete}): regular files named like a
     * backup's sidecar, holding exactly the line this tool writes, beside no entry of the backup's name. Anything
     * else, a symlink or a sidecar in another form, is left alone. Otherwise {@code sha256sum -c *.sha256} would fail.
     */
    private int sweepOrphanSidecars() {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "backup-*" + BackupName.SIDECAR_SUFFIX)) {
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                String storedName = fileName.substring(0, fileName.length() - BackupName.SIDECAR_SUFFIX.length());
                Optional<StoredForm> form = StoredForm.ofFileName(storedName).filter(LOCAL_FORMS::contains);
                if (form.isEmpty() || taken(folder.resolve(storedName))) {
                    continue;
                }
                BackupName name = StoredForm.backupOf(storedName).orElseThrow();
                Sidecar sidecar = readSidecar(name, form.get());
                if (sidecar.sha256().isEmpty()) {
                    continue;
                }
                String ours = Sidecar.written(name, form.get(), sidecar.sha256().get(),
                        sidecar.databaseSha256().orElse(""));
                if (Files.size(entry) == ours.length()
                        && Files.readString(entry, StandardCharsets.UTF_8).equals(ours)
                        && DurableFiles.deleteQuietly(entry)) {
                    LOG.debug("removed {}, a sidecar whose backup an interrupted run never named", fileName);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw failure("clean up " + folder, e);
        }
        return removed;
    }

    @Override
    public StagedBackup stage() {
        Path file = scratch.resolve(SCRATCH_PREFIX + ProcessHandle.current().pid() + "-" + random() + ".db");
        try {
            Files.createFile(file, DurableFiles.ownerReadWrite());
            Files.setPosixFilePermissions(file, DurableFiles.OWNER_READ_WRITE);
        } catch (IOException e) {
            DurableFiles.deleteQuietly(file);
            throw failure("create a scratch file in " + scratch, e);
        }
        return new StagedBackup(file);
    }

    @Override
    public StagedBackup checksum(StagedBackup staged) {
        try {
            long started = System.nanoTime();
            Sha256.Digest digest = Sha256.of(staged.file());
            LOG.debug("sha256 of {} ({} bytes) in {} ms", staged.file().getFileName(), digest.sizeBytes(),
                    (System.nanoTime() - started) / 1_000_000);
            return new StagedBackup(staged.file(), digest.hex(), digest.sizeBytes());
        } catch (IOException e) {
            throw failure("read " + staged.file(), e);
        }
    }

    @Override
    public Backup publish(StagedBackup staged, Instant takenAt) {
        return publish(staged, takenAt, List.of());
    }

    @Override
    public Backup publish(StagedBackup staged, Instant takenAt, List<String> notes) {
        for (String note : notes) {
            if (!note.startsWith("#") || note.contains("\n") || note.contains("\r")) {
                throw new IllegalArgumentException("a sidecar note is one comment line, got '" + note + "'");
            }
        }
        Path plain = staged.file();
        StoredForm form = codec.map(BackupCodec::form).orElse(StoredForm.PLAIN);
        Path compressed = null;
        Path scratchSidecar = null;
        Path orphanSidecar = null;
        DurableFiles.Flushing flushing = null;
        try {
            long started = System.nanoTime();
            // the folder is this database's before it holds any backup of it
            claim();
            Sha256.Digest database = staged.sha256().isPresent()
                    ? new Sha256.Digest(staged.sha256().get(), Files.size(plain)) : Sha256.of(plain);
            if (staged.sizeBytes().isPresent() && staged.sizeBytes().getAsLong() != database.sizeBytes()) {
                throw new BackupFailedException("the copy " + plain.getFileName() + " changed size after it was "
                        + "hashed (" + staged.sizeBytes().getAsLong() + " bytes, now " + database.sizeBytes()
                        + "); nothing was published");
            }
            Path file = plain;
            Sha256.Digest digest = database;
            if (form.compressed()) {
                // the verified plain copy, compressed into a second scratch file; its own SHA-256 taken on the way
                compressed = scratch.resolve(SCRATCH_PREFIX + ProcessHandle.current().pid() + "-" + random() + ".db"
                        + form.suffix());
                digest = compress(plain, compressed);
                file = compressed;
            }
            // (a) the bytes are on disk before the backup's name points at them: flushed while the sidecar is
            // written and named (a sidecar named without its backup is an orphan the next run sweeps), and waited for
            // before (d)
            flushing = DurableFiles.fsyncMeanwhile(file);
            Files.setPosixFilePermissions(file, DurableFiles.OWNER_READ_WRITE);

            BackupName name = BackupName.at(takenAt);
            for (int attempt = 0; ; attempt++, name = name.nextSecond()) {
                if (attempt == MAX_NAME_ATTEMPTS) {
                    throw new BackupFailedException("backup dir " + folder + " has no free backup name after "
                            + BackupName.at(takenAt));
                }
                // (b) a symlink or directory with the name is taken as well, in any form
                if (taken(name)) {
                    continue;
                }
                // (c) the sidecar is complete and durable before it gets its name; link(2) never overwrites
                DurableFiles.deleteQuietly(scratchSidecar);
                scratchSidecar = writeScratchSidecar(Sidecar.written(name, form, digest.hex(), database.hex())
                        + notes.stream().map(n -> n + "\n").collect(java.util.stream.Collectors.joining()));
                Path sidecar = sidecarOf(name, form);
                try {
                    Files.createLink(sidecar, scratchSidecar);
                } catch (FileAlreadyExistsException race) {
                    continue;
                }
                orphanSidecar = sidecar;
                DurableFiles.fsyncDirectory(folder);
                flushing.awaitDurable();
                // (d) only now the backup's name
                try {
                    Files.createLink(folder.resolve(form.fileName(name)), file);
                } catch (FileAlreadyExistsException race) {
                    Files.deleteIfExists(sidecar);
                    orphanSidecar = null;
                    continue;
                }
                orphanSidecar = null;
                // (e) both names durable, then the scratch names go
                DurableFiles.fsyncDirectory(folder);
                // not synced: a scratch name that comes back after a crash is swept by the next run
                Files.deleteIfExists(scratchSidecar);
                Files.deleteIfExists(file);
                Files.deleteIfExists(plain);
                LOG.debug("published {} in {} ms", form.fileName(name), (System.nanoTime() - started) / 1_000_000);
                return new Backup(name, form, digest.sizeBytes(), form.compressed()
                        ? new Sidecar.Recorded(digest.hex(), Optional.of(database.hex()))
                        : new Sidecar.Recorded(digest.hex()));
            }
        } catch (UnsupportedOperationException e) {
            throw new BackupFailedException("backup dir " + folder + " does not support hard links, which publishing "
                    + "a backup without ever overwriting one needs", e);
        } catch (IOException e) {
            throw failure("publish a backup in " + folder, e);
        } finally {
            if (flushing != null) {
                flushing.awaitEnd(); // no flush outlives the publishing
            }
            // a sidecar whose backup never got its name would only block that name
            DurableFiles.deleteQuietly(orphanSidecar);
            DurableFiles.deleteQuietly(scratchSidecar);
            DurableFiles.deleteQuietly(compressed); // the staged plain copy is the caller's to discard
        }
    }

    /** Writes the codec's form of {@code plain} into a new scratch file {@code target}; the digest of what it wrote. */
    private Sha256.Digest compress(Path plain, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(plain, LinkOption.NOFOLLOW_LINKS)) {
            OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            Sha256.Hashing hashing = new Sha256.Hashing(new BufferedOutputStream(out, Sha256.BUFFER_BYTES));
            OutputStream encoding;
            try {
                encoding = codec.orElseThrow().encoding(hashing);
            } catch (IOException | RuntimeException e) {
                out.close();
                throw e;
            }
            try (encoding) { // closing it finishes the frame and closes the file
                in.transferTo(encoding);
            }
            return hashing.digest();
        }
    }

    private static boolean taken(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether {@code name} is taken in any form, by its stored file or its sidecar. */
    private boolean taken(BackupName name) {
        return LOCAL_FORMS.stream().anyMatch(f -> taken(folder.resolve(f.fileName(name))) || taken(sidecarOf(name, f)));
    }

    private Path sidecarOf(BackupName name, StoredForm form) {
        return folder.resolve(form.fileName(name) + BackupName.SIDECAR_SUFFIX);
    }

    /** The form the backup's stored file is in: the file {@link #locate} finds. */
    private StoredForm formOf(BackupName name) {
        return StoredForm.ofFileName(locate(name).getFileName().toString()).orElseThrow();
    }

    private Path writeScratchSidecar(String content) throws IOException {
        Path file = scratch.resolve(SCRATCH_PREFIX + ProcessHandle.current().pid() + "-" + random() + ".sha256");
        byte[] line = content.getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), DurableFiles.ownerReadWrite())) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.setPosixFilePermissions(file, DurableFiles.OWNER_READ_WRITE);
        return file;
    }

    @Override
    public StagedBackup expand(Backup backup) {
        checkOwner();
        Path stored = folder.resolve(backup.storedName());
        if (codec.isEmpty()) {
            throw new BackupFailedException("could not read " + stored + ": this folder was opened without a codec");
        }
        StagedBackup target = stage();
        try (InputStream file = Files.newInputStream(stored, LinkOption.NOFOLLOW_LINKS);
                InputStream in = codec.get().decoding(file, backup.form(), backup.storedName());
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(target.file(),
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS),
                        Sha256.BUFFER_BYTES)) {
            Sha256.Digest digest = Sha256.copy(in, out);
            out.flush();
            return new StagedBackup(target.file(), digest.hex(), digest.sizeBytes());
        } catch (IOException e) {
            discard(target);
            if (e instanceof NoSuchFileException) {
                throw new InvalidInputException("no backup " + backup.storedName() + " in " + folder);
            }
            if (DurableFiles.isNoSpace(e)) {
                throw new BackupFailedException("could not decode " + stored + ": no space left on device", e);
            }
            throw new BackupFailedException("could not decode " + stored + ": " + reason(e), e);
        } catch (RuntimeException e) {
            discard(target);
            throw e;
        }
    }

    @Override
    public void discard(StagedBackup staged) {
        Path file = staged.file();
        DurableFiles.deleteQuietly(file);
        for (String suffix : SQLITE_SIDE_SUFFIXES) {
            DurableFiles.deleteQuietly(file.resolveSibling(file.getFileName() + suffix));
        }
    }

    @Override
    public List<Backup> list() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        checkOwner();
        Set<BackupName> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                if (StoredForm.ofFileName(fileName).filter(LOCAL_FORMS::contains).isPresent()) {
                    names.add(StoredForm.backupOf(fileName).orElseThrow());
                }
            }
        } catch (IOException e) {
            throw failure("list backup dir " + folder, e);
        }
        List<Backup> backups = new ArrayList<>();
        names.forEach(name -> findUnchecked(name).ifPresent(backups::add));
        backups.sort(Comparator.comparing(Backup::name).reversed());
        return backups;
    }

    @Override
    public Optional<Backup> find(BackupName name) {
        checkOwner();
        return findUnchecked(name);
    }

    private Optional<Backup> findUnchecked(BackupName name) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(locate(name), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            StoredForm form = formOf(name);
            return Optional.of(new Backup(name, form, attributes.size(), readSidecar(name, form)));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read " + locate(name), e);
        }
    }

    /** The backup's stored file: the first form there is an entry of (the plain one when, by hand, both are). */
    @Override
    public Path locate(BackupName name) {
        return LOCAL_FORMS.stream().map(f -> folder.resolve(f.fileName(name))).filter(FilesystemBackupRepository::taken)
                .findFirst().orElse(folder.resolve(name.value()));
    }

    /**
     * What the backup's sidecar says, read as {@code sha256sum -c --strict} reads it (see {@link Sidecar}). A sidecar
     * that exists is never taken for a missing one: a symlink, a directory, an unreadable or oversized file is
     * damaged, and says why.
     */
    private Sidecar readSidecar(BackupName name, StoredForm form) {
        Path sidecar = sidecarOf(name, form);
        try {
            BasicFileAttributes attributes = Files.readAttributes(sidecar, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                return new Sidecar.Damaged("is a symbolic link, not a file");
            }
            if (!attributes.isRegularFile()) {
                return new Sidecar.Damaged("is not a regular file");
            }
            if (attributes.size() > MAX_SIDECAR_BYTES) {
                return new Sidecar.Damaged("is " + attributes.size() + " bytes, too large for one sha256sum line");
            }
            ByteBuffer buffer = ByteBuffer.allocate(MAX_SIDECAR_BYTES + 1);
            try (FileChannel in = FileChannel.open(sidecar, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                    // a sidecar is one short line
                }
            }
            if (buffer.position() > MAX_SIDECAR_BYTES) {
                return new Sidecar.Damaged("grew past " + MAX_SIDECAR_BYTES + " bytes while it was read");
            }
            return Sidecar.parse(name, form, Arrays.copyOf(buffer.array(), buffer.position()));
        } catch (NoSuchFileException none) {
            return Sidecar.MISSING;
        } catch (IOException e) {
            return new Sidecar.Damaged("cannot be read: " + reason(e));
        }
    }

    /** Why reading a file failed, without its path (the message names the file already). */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : DurableFiles.oneLine(e);
    }

    @Override
    public ChecksumCheck checkChecksum(BackupName name) {
        checkOwner();
        try {
            return ChecksumCheck.of(readSidecar(name, formOf(name)), Sha256.of(locate(name)).hex());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("no backup " + name + " in " + folder);
        } catch (IOException e) {
            throw new BackupFailedException("could not read " + locate(name) + ": " + reason(e), e);
        }
    }

    @Override
    public void delete(BackupName name) {
        checkOwner();
        for (StoredForm form : LOCAL_FORMS) {
            Path backup = folder.resolve(form.fileName(name));
            if (!Files.isRegularFile(backup, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                // The backup goes first: a crash in between leaves a lone sidecar (a name skipped later), never a
                // backup without its sidecar.
                Files.deleteIfExists(backup);
                DurableFiles.fsyncDirectory(folder);
                Path sidecar = sidecarOf(name, form);
                if (Files.isRegularFile(sidecar, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(sidecar);
                }
                DurableFiles.fsyncDirectory(folder);
            } catch (IOException e) {
                throw failure("delete " + backup, e);
            }
        }
    }

    @Override
    public List<Pin> pins() {
        Path dir = scratch.resolve(PINS_DIR);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        checkOwner();
        List<Pin> pins = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                if (file.endsWith(PIN_SUFFIX)) {
                    BackupName.parse(file.substring(0, file.length() - PIN_SUFFIX.length()))
                            .ifPresent(name -> pins.add(readPin(entry, name)));
                }
            }
        } catch (IOException e) {
            throw failure("read the pins in " + dir, e);
        }
        pins.sort(Comparator.comparing(Pin::backup));
        return pins;
    }

    /** The pin in {@code file}; one that cannot be read holds forever, so that it never lets its backup go. */
    private static Pin readPin(Path file, BackupName name) {
        try {
            Map<String, String> fields = new HashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new Pin(name, Instant.parse(fields.getOrDefault("until", "")), fields.getOrDefault("reason", ""));
        } catch (IOException | RuntimeException unreadable) {
            return new Pin(name, Instant.MAX, "pin file " + file + " cannot be read (" + unreadable.getClass()
                    .getSimpleName() + "); it holds until unpinned");
        }
    }

    @Override
    public void pin(Pin pin) {
        checkOwner();
        if (find(pin.backup()).isEmpty()) {
            throw new InvalidInputException("no backup " + pin.backup() + " in " + folder + " to pin");
        }
        Path dir = scratch.resolve(PINS_DIR);
        Optional<Pin> existing = pins().stream().filter(p -> p.backup().equals(pin.backup())).findFirst();
        Pin kept = existing.filter(e -> !e.until().isBefore(pin.until())).orElse(pin);
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir, DurableFiles.ownerOnlyDirectory());
                DurableFiles.fsyncDirectory(scratch);
            }
            Path temporary = scratch.resolve(SCRATCH_PREFIX + ProcessHandle.current().pid() + "-" + random()
                    + PIN_SUFFIX);
            try {
                Files.write(temporary, ("until=" + kept.until() + "\nreason=" + kept.reason() + "\n")
                        .getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(temporary, DurableFiles.OWNER_READ_WRITE);
                DurableFiles.fsync(temporary);
                Files.move(temporary, dir.resolve(pin.backup().value() + PIN_SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                DurableFiles.deleteQuietly(temporary);
            }
            DurableFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw failure("pin " + pin.backup() + " in " + dir, e);
        }
    }

    @Override
    public Optional<Pin> unpin(BackupName name) {
        checkOwner();
        Optional<Pin> existing = pins().stream().filter(p -> p.backup().equals(name)).findFirst();
        if (existing.isPresent()) {
            Path dir = scratch.resolve(PINS_DIR);
            try {
                Files.deleteIfExists(dir.resolve(name.value() + PIN_SUFFIX));
                DurableFiles.fsyncDirectory(dir);
            } catch (IOException e) {
                throw failure("unpin " + name + " in " + dir, e);
            }
        }
        return existing;
    }

    private BackupFailedException failure(String what, IOException e) {
        if (DurableFiles.isNoSpace(e)) {
            return new BackupFailedException("could not " + what + ": no space left on device", e);
        }
        return new BackupFailedException("could not " + what + ": " + DurableFiles.oneLine(e), e);
    }

    private static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
