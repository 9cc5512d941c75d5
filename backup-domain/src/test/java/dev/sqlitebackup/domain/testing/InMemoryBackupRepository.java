package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.ForeignBackupFolderException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.Sidecar;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory {@link BackupRepository}: a folder of backups with sidecars and a scratch space, held in memory; the
 * database it belongs to is recorded in {@code .sqlite-backup/database}, as in the real folder.
 */
public final class InMemoryBackupRepository implements BackupRepository {

    /** What all repositories over the one folder share, as processes share a real folder. */
    private static final class Folder {
        private final AtomicInteger staged = new AtomicInteger();
        private boolean exists;
        private final InMemoryBackupFolderLock locks = new InMemoryBackupFolderLock();
        private boolean unusable;
        private final Set<BackupName> unreadable = ConcurrentHashMap.newKeySet();
    }

    private final InMemoryFiles files;
    private final Path folder;
    private final Path scratch;
    private final Path record;
    private final Folder state;
    private final Optional<DatabaseIdentity> database;
    private final BackupFolderLock folderLock;

    /** A repository for whatever the folder holds: it checks and records no database. */
    public InMemoryBackupRepository(InMemoryFiles files, Path folder) {
        this(files, folder, new Folder(), Optional.empty());
    }

    private InMemoryBackupRepository(InMemoryFiles files, Path folder, Folder state,
            Optional<DatabaseIdentity> database) {
        this.files = files;
        this.folder = folder.normalize();
        this.scratch = this.folder.resolve(".sqlite-backup");
        this.record = scratch.resolve("database");
        this.state = state;
        this.database = database;
        this.folderLock = state.locks.guardedBy(this::checkOwner);
    }

    /** Another repository over the same folder, for {@code database} (or, when empty, for whatever it holds). */
    public InMemoryBackupRepository forDatabase(Optional<DatabaseIdentity> of) {
        return new InMemoryBackupRepository(files, folder, state, of);
    }

    /** The database the folder records, if any. */
    public Optional<DatabaseIdentity> recorded() {
        return files.read(record).map(b -> new String(b, StandardCharsets.UTF_8).strip())
                .map(line -> DatabaseIdentity.parse(line).orElseThrow(() -> new InvalidInputException(
                        "backup dir " + folder + " has an unreadable record of its database in " + record)));
    }

    /** Forgets the recorded database, as deleting the record by hand does. */
    public void forgetDatabase() {
        files.delete(record);
    }

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

    public InMemoryBackupRepository() {
        this(new InMemoryFiles(), Path.of("/in-memory/backups"));
    }

    public InMemoryFiles files() {
        return files;
    }

    /** From now on {@link #prepare()} fails, as for a backup folder that is a file. */
    public void makeUnusable() {
        state.unusable = true;
    }

    /** Adds a backup as if copied in by hand, with or without a sidecar. */
    public void put(BackupName name, byte[] content, boolean withSidecar) {
        state.exists = true;
        files.write(locate(name), content);
        if (withSidecar) {
            files.write(folder.resolve(name.sidecarName()), sidecarLine(sha256(content), name));
        }
    }

    /** Flips the first byte of a backup, leaving its sidecar as it was. */
    public void tamper(BackupName name) {
        byte[] content = files.read(locate(name)).orElseThrow();
        content[0] ^= 0x01;
        files.write(locate(name), content);
    }

    /** Replaces a backup's sidecar with {@code content}, as a person or a broken disk might. */
    public void writeSidecar(BackupName name, String content) {
        files.write(folder.resolve(name.sidecarName()), content.getBytes(StandardCharsets.UTF_8));
    }

    /** From now on the backup's bytes cannot be read (its checksum check fails as the real folder's does). */
    public void makeUnreadable(BackupName name) {
        state.unreadable.add(name);
    }

    /** Leaves a scratch file behind, as a run killed half-way would. */
    public void leaveLeftover() {
        state.exists = true;
        files.write(scratch.resolve("tmp-crashed-" + state.staged.incrementAndGet() + ".db"), new byte[] {1, 2, 3});
    }

    /** The scratch files of runs (not the folder's record of its database). */
    public List<Path> scratchFiles() {
        return files.under(scratch).stream().filter(p -> p.getFileName().toString().startsWith("tmp-")).toList();
    }

    public boolean isLocked() {
        return state.locks.isLocked();
    }

    @Override
    public String describe() {
        return folder.toString();
    }

    @Override
    public boolean exists() {
        return state.exists;
    }

    @Override
    public Optional<DatabaseIdentity> database() {
        checkOwner();
        return database.or(this::recorded);
    }

    @Override
    public Preparation prepare() {
        if (state.unusable) {
            throw new InvalidInputException("backup dir " + folder + " is not a directory");
        }
        checkOwner();
        if (state.exists) {
            return Preparation.NOTHING_CREATED;
        }
        state.exists = true;
        return new Preparation(List.of(folder, scratch));
    }

    @Override
    public void undo(Preparation preparation) {
        if (preparation.createdFolders().contains(scratch)) {
            files.delete(record); // only this run can have written it
        }
        if (preparation.createdFolders().contains(folder) && files.under(folder).isEmpty()) {
            state.exists = false;
        }
    }

    @Override
    public BackupFolderLock folderLock() {
        return folderLock;
    }

    @Override
    public int sweepLeftovers() {
        checkOwner();
        List<Path> leftovers = scratchFiles();
        leftovers.forEach(files::delete);
        return leftovers.size();
    }

    @Override
    public StagedBackup stage() {
        Path file = scratch.resolve("tmp-" + state.staged.incrementAndGet() + ".db");
        files.write(file, new byte[0]);
        return new StagedBackup(file);
    }

    @Override
    public Backup publish(StagedBackup stagedBackup, Instant takenAt) {
        byte[] content = files.read(stagedBackup.file())
                .orElseThrow(() -> new IllegalStateException("not staged: " + stagedBackup.file()));
        checkOwner();
        if (database.isPresent() && recorded().isEmpty()) {
            files.write(record, (database.get().value() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        BackupName name = BackupName.at(takenAt);
        while (files.exists(locate(name)) || files.exists(folder.resolve(name.sidecarName()))) {
            name = name.nextSecond();
        }
        String sha = stagedBackup.sha256().orElseGet(() -> sha256(content));
        files.write(folder.resolve(name.sidecarName()), sidecarLine(sha, name));
        files.write(locate(name), content);
        files.delete(stagedBackup.file());
        return new Backup(name, content.length, Optional.of(sha));
    }

    @Override
    public StagedBackup checksum(StagedBackup stagedBackup) {
        byte[] content = files.read(stagedBackup.file())
                .orElseThrow(() -> new IllegalStateException("not staged: " + stagedBackup.file()));
        return new StagedBackup(stagedBackup.file(), sha256(content), content.length);
    }

    @Override
    public void discard(StagedBackup stagedBackup) {
        files.delete(stagedBackup.file());
    }

    @Override
    public List<Backup> list() {
        checkOwner();
        List<Backup> backups = new ArrayList<>();
        for (Path p : files.under(folder)) {
            if (p.getParent().equals(folder)) {
                BackupName.parse(p.getFileName().toString()).ifPresent(name -> backups.add(toBackup(name)));
            }
        }
        backups.sort(Comparator.comparing(Backup::name).reversed());
        return backups;
    }

    @Override
    public Optional<Backup> find(BackupName name) {
        checkOwner();
        return files.exists(locate(name)) ? Optional.of(toBackup(name)) : Optional.empty();
    }

    @Override
    public Path locate(BackupName name) {
        return folder.resolve(name.value());
    }

    @Override
    public ChecksumCheck checkChecksum(BackupName name) {
        checkOwner();
        byte[] content = files.read(locate(name))
                .orElseThrow(() -> new InvalidInputException("no backup " + name + " in " + folder));
        if (state.unreadable.contains(name)) {
            throw new BackupFailedException("could not read " + locate(name) + ": permission denied");
        }
        return ChecksumCheck.of(sidecar(name), sha256(content));
    }

    @Override
    public void delete(BackupName name) {
        checkOwner();
        files.delete(folder.resolve(name.sidecarName()));
        files.delete(locate(name));
    }

    private Backup toBackup(BackupName name) {
        return new Backup(name, files.read(locate(name)).orElseThrow().length, sidecar(name));
    }

    private Sidecar sidecar(BackupName name) {
        return files.read(folder.resolve(name.sidecarName())).map(content -> Sidecar.parse(name, content))
                .orElse(Sidecar.MISSING);
    }

    private static byte[] sidecarLine(String sha, BackupName name) {
        return (sha + "  " + name + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
