package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory {@link RemoteBackupStore}: a remote folder holding the tool's copies and, to prove they are never
 * touched, other people's files. Like Drive, it tags each copy with the store's database, so stores of two databases
 * ({@link #forDatabase}) can share the folder. Reads local files from the shared {@link InMemoryFiles}; can fail on
 * demand.
 */
public final class InMemoryRemoteBackupStore implements RemoteBackupStore {

    private record Entry(RemoteBackup backup, byte[] content, boolean ours, Optional<DatabaseIdentity> database) {
    }

    /** The remote folder, shared by the stores of every database that uses it; also their lock. */
    private static final class Folder {
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
    }

    private final InMemoryFiles files;
    private final Folder folder;
    private final Optional<DatabaseIdentity> database;
    private final AtomicInteger uploads = new AtomicInteger();
    private int failuresToInject;
    private boolean downloadsDamaged;
    private String failure = "HTTP 503 Service Unavailable";

    /** The store of every copy of the tool's in a new, empty folder; uploads untagged. */
    public InMemoryRemoteBackupStore(InMemoryFiles files) {
        this(files, new Folder(), Optional.empty());
    }

    private InMemoryRemoteBackupStore(InMemoryFiles files, Folder folder, Optional<DatabaseIdentity> database) {
        this.files = files;
        this.folder = folder;
        this.database = database;
    }

    /**
     * The store of {@code database}'s copies in this store's folder (for no database, of every copy of the tool's),
     * as another installation given the same folder would open it.
     */
    public InMemoryRemoteBackupStore forDatabase(Optional<DatabaseIdentity> database) {
        return new InMemoryRemoteBackupStore(files, folder, database);
    }

    /** The next {@code count} uploads fail with {@code cause}. */
    public void failNextUploads(int count, String cause) {
        synchronized (folder) {
            failuresToInject = count;
            failure = cause;
        }
    }

    /** A file someone else put in the folder; it must survive everything the tool does. */
    public String putForeignFile(String name, byte[] content) {
        synchronized (folder) {
            String id = "foreign-" + folder.ids.incrementAndGet();
            Optional<BackupName> asBackup = BackupName.parse(name);
            RemoteBackup r = new RemoteBackup(asBackup.orElse(BackupName.at(java.time.Instant.EPOCH)), id,
                    content.length, Optional.empty(), Optional.of(md5(content)), Optional.empty());
            folder.entries.put(id, new Entry(r, content.clone(), false, Optional.empty()));
            return id;
        }
    }

    /** Adds a copy of the tool's own (of this store's database), as an earlier run would have uploaded it. */
    public RemoteBackup putOwn(BackupName name, byte[] content) {
        synchronized (folder) {
            String id = "file-" + folder.ids.incrementAndGet();
            RemoteBackup r = new RemoteBackup(name, id, content.length, Optional.of(sha256(content)),
                    Optional.of(md5(content)), Optional.of("https://drive.example/file/" + id));
            folder.entries.put(id, new Entry(r, content.clone(), true, database));
            return r;
        }
    }

    /** From now on every download arrives damaged and is refused, as a store's checksum check would. */
    public void damageDownloads() {
        synchronized (folder) {
            downloadsDamaged = true;
        }
    }

    /**
     * One byte of the stored copy {@code id} flips, as when storage rots: the store's md5 now describes the damaged
     * bytes, while the SHA-256 the copy was tagged with still describes the original.
     */
    public void damageStored(String id) {
        synchronized (folder) {
            Entry e = folder.entries.get(id);
            if (e == null || e.content().length == 0) {
                throw new IllegalArgumentException("no stored bytes to damage for " + id);
            }
            byte[] damaged = e.content().clone();
            damaged[damaged.length / 2] ^= 0x01;
            RemoteBackup b = e.backup();
            RemoteBackup described = new RemoteBackup(b.name(), b.id(), b.sizeBytes(), b.sha256(),
                    Optional.of(md5(damaged)), b.link());
            folder.entries.put(id, new Entry(described, damaged, e.ours(), e.database()));
        }
    }

    public boolean holds(String id) {
        synchronized (folder) {
            return folder.entries.containsKey(id);
        }
    }

    public int uploadsAttempted() {
        return uploads.get();
    }

    public byte[] content(String id) {
        synchronized (folder) {
            return folder.entries.get(id).content().clone();
        }
    }

    @Override
    public String describe() {
        return "Drive";
    }

    @Override
    public RemoteBackup upload(Backup backup, Path file) {
        synchronized (folder) {
            uploads.incrementAndGet();
            if (failuresToInject > 0) {
                failuresToInject--;
                throw new BackupFailedException(failure);
            }
            byte[] content = files.read(file)
                    .orElseThrow(() -> new BackupFailedException(file + " does not exist"));
            String sha = sha256(content);
            if (content.length != backup.sizeBytes()
                    || backup.recordedSha256().filter(recorded -> !recorded.equalsIgnoreCase(sha)).isPresent()) {
                throw new BackupFailedException("Drive: local backup " + file + " is not the verified "
                        + backup.name() + " (size or SHA-256 changed); not uploaded");
            }
            for (Entry e : folder.entries.values()) {
                if (isThisDatabases(e) && e.backup().name().equals(backup.name())) {
                    if (!e.backup().sha256().equals(Optional.of(sha))) {
                        // as Drive: never a second file of one name, never replace another backup
                        throw new BackupFailedException("Drive: the remote folder already holds a different "
                                + backup.name() + " (id " + e.backup().id() + "); not replaced");
                    }
                    return e.backup();
                }
            }
            return putOwn(backup.name(), content);
        }
    }

    @Override
    public List<RemoteBackup> list() {
        synchronized (folder) {
            List<RemoteBackup> ours = new ArrayList<>();
            folder.entries.values().stream().filter(this::isThisDatabases).forEach(e -> ours.add(e.backup()));
            ours.sort(Comparator.comparing(RemoteBackup::name).reversed());
            return ours;
        }
    }

    @Override
    public void delete(RemoteBackup backup) {
        synchronized (folder) {
            Entry e = folder.entries.get(backup.id());
            if (e == null) {
                return; // already gone is what was wanted, as Drive's 404
            }
            if (!isThisDatabases(e) || !e.backup().name().equals(backup.name())) {
                throw new BackupFailedException("Drive: refusing to delete " + backup.id() + ": not sqlite-backup's "
                        + backup.name());
            }
            folder.entries.remove(backup.id());
        }
    }

    @Override
    public void download(RemoteBackup backup, Path target) {
        synchronized (folder) {
            Entry e = folder.entries.get(backup.id());
            if (e == null) {
                throw new BackupFailedException("Drive: download of " + backup.name() + " failed: no remote file "
                        + backup.id());
            }
            // as Drive: the bytes that arrive are checked against the md5 and SHA-256 known for the copy
            boolean md5Ok = backup.md5().or(() -> e.backup().md5()).map(md5(e.content())::equalsIgnoreCase)
                    .orElse(false);
            boolean shaOk = backup.sha256().map(sha256(e.content())::equalsIgnoreCase).orElse(true);
            if (downloadsDamaged || !md5Ok || !shaOk) {
                throw new BackupFailedException("Drive: download of " + backup.name()
                        + " arrived damaged (md5 mismatch)");
            }
            files.write(target, e.content());
        }
    }

    /** The tool's own copy, of this store's database or of none (uploaded before copies were tagged). */
    private boolean isThisDatabases(Entry e) {
        return e.ours() && (database.isEmpty() || e.database().isEmpty() || e.database().equals(database));
    }

    static String sha256(byte[] content) {
        return digest("SHA-256", content);
    }

    static String md5(byte[] content) {
        return digest("MD5", content);
    }

    private static String digest(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
