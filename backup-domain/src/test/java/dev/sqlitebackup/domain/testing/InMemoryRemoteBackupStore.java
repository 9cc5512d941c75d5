package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * ({@link #forDatabase}) can share the folder. Stores each copy in its codec's form (plain unless given one) and
 * reads every form back through it. Reads local files from the shared {@link InMemoryFiles}; can fail on demand.
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
    private final BackupCodec codec;
    private final Folder folder;
    private final Optional<DatabaseIdentity> database;
    private final AtomicInteger uploads = new AtomicInteger();
    private int failuresToInject;
    private boolean downloadsDamaged;
    private String failure = "HTTP 503 Service Unavailable";

    /** The store of every copy of the tool's in a new, empty folder; uploads untagged and plain. */
    public InMemoryRemoteBackupStore(InMemoryFiles files) {
        this(files, InMemoryBackupCodec.plain());
    }

    /** The store of every copy of the tool's in a new, empty folder; uploads untagged, in {@code codec}'s form. */
    public InMemoryRemoteBackupStore(InMemoryFiles files, BackupCodec codec) {
        this(files, codec, new Folder(), Optional.empty());
    }

    private InMemoryRemoteBackupStore(InMemoryFiles files, BackupCodec codec, Folder folder,
            Optional<DatabaseIdentity> database) {
        this.files = files;
        this.codec = codec;
        this.folder = folder;
        this.database = database;
    }

    /**
     * The store of {@code database}'s copies in this store's folder (for no database, of every copy of the tool's),
     * as another installation given the same folder would open it.
     */
    public InMemoryRemoteBackupStore forDatabase(Optional<DatabaseIdentity> database) {
        return new InMemoryRemoteBackupStore(files, codec, folder, database);
    }

    /** This store's folder and database, written and read through {@code other} (a change of settings). */
    public InMemoryRemoteBackupStore withCodec(BackupCodec other) {
        return new InMemoryRemoteBackupStore(files, other, folder, database);
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
            RemoteBackup r = new RemoteBackup(asBackup.orElse(BackupName.at(java.time.Instant.EPOCH)), StoredForm.PLAIN, id,
                    content.length, Optional.empty(), Optional.of(md5(content)), Optional.empty());
            folder.entries.put(id, new Entry(r, content.clone(), false, Optional.empty()));
            return id;
        }
    }

    /** Adds a plain copy of the tool's own (of this store's database), as an earlier run would have uploaded it. */
    public RemoteBackup putOwn(BackupName name, byte[] content) {
        return putOwn(name, StoredForm.PLAIN, content, sha256(content));
    }

    /**
     * Adds a copy of the tool's own (of this store's database) whose stored bytes are {@code stored}, in
     * {@code form}, of a database whose SHA-256 is {@code plainSha256}, as an earlier run would have uploaded it.
     */
    public RemoteBackup putOwn(BackupName name, StoredForm form, byte[] stored, String plainSha256) {
        synchronized (folder) {
            String id = "file-" + folder.ids.incrementAndGet();
            RemoteBackup r = new RemoteBackup(name, form, id, stored.length, Optional.of(plainSha256),
                    Optional.of(md5(stored)), Optional.of("https://drive.example/file/" + id));
            folder.entries.put(id, new Entry(r, stored.clone(), true, database));
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
            RemoteBackup described = new RemoteBackup(b.name(), b.form(), b.id(), b.sizeBytes(), b.sha256(),
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

    /** The stored bytes of the copy {@code id}, in its form. */
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
            byte[] stored = files.read(file)
                    .orElseThrow(() -> new BackupFailedException(file + " does not exist"));
            // a compressed local backup is decoded first: the store gets the plain database through its own codec
            byte[] content = decoded(backup, stored);
            String sha = sha256(content);
            if (stored.length != backup.sizeBytes()
                    || backup.recordedSha256().filter(recorded -> !recorded.equalsIgnoreCase(sha)).isPresent()) {
                throw new BackupFailedException("Drive: local backup " + file + " is not the verified "
                        + backup.name() + " (size or SHA-256 changed); not uploaded");
            }
            for (Entry e : folder.entries.values()) {
                // one backup is one timestamp, whatever the form its copy is stored in
                if (isThisDatabases(e) && e.backup().name().equals(backup.name())) {
                    if (!e.backup().sha256().equals(Optional.of(sha))) {
                        // as Drive: never a second file of one name, never replace another backup
                        throw new BackupFailedException("Drive: the remote folder already holds a different "
                                + backup.name() + " (id " + e.backup().id() + "); not replaced");
                    }
                    return e.backup();
                }
            }
            return putOwn(backup.name(), codec.form(), encoded(content), sha);
        }
    }

    private byte[] decoded(Backup backup, byte[] stored) {
        try {
            return codec.decoding(new java.io.ByteArrayInputStream(stored), backup.form(), backup.storedName())
                    .readAllBytes();
        } catch (IOException e) {
            throw new BackupFailedException("Drive: cannot read local backup " + backup.storedName() + ": "
                    + e.getMessage(), e);
        }
    }

    private byte[] encoded(byte[] plain) {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream encoding = codec.encoding(stored)) {
            encoding.write(plain);
        } catch (IOException e) {
            throw new BackupFailedException("Drive: cannot encode " + codec.form().label() + ": " + e.getMessage(), e);
        }
        return stored.toByteArray();
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
            // as Drive: the stored bytes that arrive are checked against the store's md5, the plain bytes they
            // decode to against the SHA-256 the copy was tagged with
            boolean md5Ok = backup.md5().or(() -> e.backup().md5()).map(md5(e.content())::equalsIgnoreCase)
                    .orElse(false);
            if (downloadsDamaged || !md5Ok) {
                throw new BackupFailedException("Drive: download of " + backup.storedName()
                        + " arrived damaged (md5 mismatch)");
            }
            byte[] plain;
            try (InputStream decoded = codec.decoding(new ByteArrayInputStream(e.content()), e.backup().form(),
                    e.backup().storedName())) {
                plain = decoded.readAllBytes();
            } catch (IOException damaged) {
                throw new BackupFailedException("Drive: download of " + backup.storedName() + " failed: "
                        + damaged.getMessage(), damaged);
            }
            if (!backup.sha256().map(sha256(plain)::equalsIgnoreCase).orElse(true)) {
                throw new BackupFailedException("Drive: download of " + backup.storedName()
                        + " arrived damaged (sha256 mismatch)");
            }
            files.write(target, plain);
        }
    }

    /** The tool's own copy, of this store's database or of none (uploaded before copies were tagged). */
    private boolean isThisDatabases(Entry e) {
        return e.ours() && (database.isEmpty() || e.database().isEmpty() || e.database().equals(database));
    }

    public static String sha256(byte[] content) {
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
