package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.ForeignBackupFolderException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.Pin;
import dev.sqlitebackup.domain.model.Sidecar;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import dev.sqlitebackup.domain.model.StoredForm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.util.stream.Stream;

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
    /** The form new backups are stored in; it reads every form. */
    private final InMemoryBackupCodec codec;

    /** A repository for whatever the folder holds: it checks and records no database. */
    public InMemoryBackupRepository(InMemoryFiles files, Path folder) {
        this(files, folder, new Folder(), Optional.empty(), InMemoryBackupCodec.plain());
    }

    private InMemoryBackupRepository(InMemoryFiles files, Path folder, Folder state,
            Optional<DatabaseIdentity> database, InMemoryBackupCodec codec) {
        this.codec = codec;
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
        return new InMemoryBackupRepository(files, folder, state, of, codec);
    }

    /** Another repository over the same folder, for the same database, that stores new backups compressed. */
    public InMemoryBackupRepository compressing() {
        return new InMemoryBackupRepository(files, folder, state, database, InMemoryBackupCodec.compressed());
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

    /** Adds a plain backup as if copied in by hand, with or without a sidecar. */
    public void put(BackupName name, byte[] content, boolean withSidecar) {
        state.exists = true;
        files.write(folder.resolve(name.value()), content); // a plain backup, whatever else the folder holds
        if (withSidecar) {
            files.write(folder.resolve(name.sidecarName()), sidecarLine(sha256(content), name));
        }
    }

    /** Flips a byte of a backup's stored file (the last: a compressed one's data), leaving its sidecar as it was. */
    public void tamper(BackupName name) {
        byte[] content = files.read(locate(name)).orElseThrow();
        content[StoredForm.ofFileName(locate(name).getFileName().toString()).orElseThrow().compressed()
                ? content.length - 1 : 0] ^= 0x01;
        files.write(locate(name), content);
    }

    /** The stored bytes of a backup, in whatever form. */
    public byte[] stored(BackupName name) {
        return files.read(locate(name)).orElseThrow();
    }

    /** Replaces a backup's sidecar with {@code content}, as a person or a broken disk might. */
    public void writeSidecar(BackupName name, String content) {
        files.write(sidecarOf(name, storedFile(name).isPresent() ? formOf(name) : StoredForm.PLAIN),
                content.getBytes(StandardCharsets.UTF_8));
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

    /** Runs {@code action} just after each release of the folder's run lock. */
    public void whenLockReleased(Runnable action) {
        state.locks.whenReleased(action);
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
        while (storedFile(name).isPresent() || files.exists(sidecarOf(name, StoredForm.PLAIN))
                || files.exists(sidecarOf(name, StoredForm.ZSTD))) {
            name = name.nextSecond();
        }
        String sha = stagedBackup.sha256().orElseGet(() -> sha256(content));
        StoredForm form = codec.form();
        byte[] stored = codec.encode(content);
        String storedSha = form.compressed() ? sha256(stored) : sha;
        files.write(sidecarOf(name, form), Sidecar.written(name, form, storedSha, sha)
                .getBytes(StandardCharsets.UTF_8));
        files.write(folder.resolve(form.fileName(name)), stored);
        files.delete(stagedBackup.file());
        return new Backup(name, form, stored.length, form.compressed()
                ? new Sidecar.Recorded(storedSha, Optional.of(sha)) : new Sidecar.Recorded(sha));
    }

    @Override
    public StagedBackup checksum(StagedBackup stagedBackup) {
        byte[] content = files.read(stagedBackup.file())
                .orElseThrow(() -> new IllegalStateException("not staged: " + stagedBackup.file()));
        return new StagedBackup(stagedBackup.file(), sha256(content), content.length);
    }

    @Override
    public StagedBackup expand(Backup backup) {
        checkOwner();
        Path file = locate(backup.name());
        byte[] stored = files.read(file).orElseThrow(() -> new InvalidInputException("no backup " + backup.name()
                + " in " + folder));
        byte[] plain;
        try {
            plain = codec.decoding(new ByteArrayInputStream(stored), backup.form(), backup.storedName())
                    .readAllBytes();
        } catch (IOException e) {
            throw new BackupFailedException("could not decode " + file + ": " + e.getMessage(), e);
        }
        StagedBackup staged = stage();
        files.write(staged.file(), plain);
        return new StagedBackup(staged.file(), sha256(plain), plain.length);
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
                StoredForm.backupOf(p.getFileName().toString()).filter(name -> locate(name).equals(p))
                        .ifPresent(name -> backups.add(toBackup(name)));
            }
        }
        backups.sort(Comparator.comparing(Backup::name).reversed());
        return backups;
    }

    @Override
    public Optional<Backup> find(BackupName name) {
        checkOwner();
        return storedFile(name).isPresent() ? Optional.of(toBackup(name)) : Optional.empty();
    }

    @Override
    public Path locate(BackupName name) {
        return storedFile(name).orElse(folder.resolve(name.value()));
    }

    /** The backup's stored file: the plain one when (by some hand) there is both. */
    private Optional<Path> storedFile(BackupName name) {
        return Stream.of(StoredForm.PLAIN, StoredForm.ZSTD).map(f -> folder.resolve(f.fileName(name)))
                .filter(files::exists).findFirst();
    }

    private Path sidecarOf(BackupName name, StoredForm form) {
        return folder.resolve(form.fileName(name) + BackupName.SIDECAR_SUFFIX);
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
        for (StoredForm form : List.of(StoredForm.PLAIN, StoredForm.ZSTD)) {
            files.delete(sidecarOf(name, form));
            files.delete(folder.resolve(form.fileName(name)));
        }
    }

    @Override
    public List<Pin> pins() {
        if (!state.exists) {
            return List.of();
        }
        checkOwner();
        List<Pin> pins = new ArrayList<>();
        for (Path p : files.under(scratch.resolve("pins"))) {
            String file = p.getFileName().toString();
            if (!file.endsWith(".pin")) {
                continue;
            }
            BackupName.parse(file.substring(0, file.length() - ".pin".length())).ifPresent(name -> {
                String[] lines = new String(files.read(p).orElseThrow(), StandardCharsets.UTF_8).split("\n", 2);
                pins.add(new Pin(name, Instant.parse(lines[0]), lines[1]));
            });
        }
        pins.sort(Comparator.comparing(Pin::backup));
        return pins;
    }

    @Override
    public void pin(Pin pin) {
        checkOwner();
        if (find(pin.backup()).isEmpty()) {
            throw new InvalidInputException("no backup " + pin.backup() + " in " + folder + " to pin");
        }
        Optional<Pin> existing = pins().stream().filter(p -> p.backup().equals(pin.backup())).findFirst();
        Pin kept = existing.filter(e -> !e.until().isBefore(pin.until())).orElse(pin);
        files.write(pinFile(pin.backup()), (kept.until() + "\n" + kept.reason()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<Pin> unpin(BackupName name) {
        checkOwner();
        Optional<Pin> existing = pins().stream().filter(p -> p.backup().equals(name)).findFirst();
        files.delete(pinFile(name));
        return existing;
    }

    private Path pinFile(BackupName name) {
        return scratch.resolve("pins").resolve(name.value() + ".pin");
    }

    private Backup toBackup(BackupName name) {
        StoredForm form = formOf(name);
        return new Backup(name, form, files.read(locate(name)).orElseThrow().length, sidecar(name));
    }

    private StoredForm formOf(BackupName name) {
        return StoredForm.ofFileName(locate(name).getFileName().toString()).orElseThrow();
    }

    private Sidecar sidecar(BackupName name) {
        StoredForm form = formOf(name);
        return files.read(sidecarOf(name, form)).map(content -> Sidecar.parse(name, form, content))
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
