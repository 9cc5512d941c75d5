package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
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
 * touched, other people's files. Reads local files from the shared {@link InMemoryFiles}; can fail on demand.
 */
public final class InMemoryRemoteBackupStore implements RemoteBackupStore {

    private record Entry(RemoteBackup backup, byte[] content, boolean ours) {
    }

    private final InMemoryFiles files;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger uploads = new AtomicInteger();
    private int failuresToInject;
    private boolean downloadsDamaged;
    private String failure = "HTTP 503 Service Unavailable";

    public InMemoryRemoteBackupStore(InMemoryFiles files) {
        this.files = files;
    }

    /** The next {@code count} uploads fail with {@code cause}. */
    public synchronized void failNextUploads(int count, String cause) {
        failuresToInject = count;
        failure = cause;
    }

    /** A file someone else put in the folder; it must survive everything the tool does. */
    public synchronized String putForeignFile(String name, byte[] content) {
        String id = "foreign-" + ids.incrementAndGet();
        Optional<BackupName> asBackup = BackupName.parse(name);
        RemoteBackup r = new RemoteBackup(asBackup.orElse(BackupName.at(java.time.Instant.EPOCH)), id,
                content.length, Optional.empty(), Optional.of(md5(content)), Optional.empty());
        entries.put(id, new Entry(r, content.clone(), false));
        return id;
    }

    /** Adds a copy of the tool's own, as an earlier run would have uploaded it. */
    public synchronized RemoteBackup putOwn(BackupName name, byte[] content) {
        String id = "file-" + ids.incrementAndGet();
        RemoteBackup r = new RemoteBackup(name, id, content.length, Optional.of(sha256(content)),
                Optional.of(md5(content)), Optional.of("https://drive.example/file/" + id));
        entries.put(id, new Entry(r, content.clone(), true));
        return r;
    }

    /** From now on every download arrives damaged and is refused, as a store's checksum check would. */
    public synchronized void damageDownloads() {
        downloadsDamaged = true;
    }

    public synchronized boolean holds(String id) {
        return entries.containsKey(id);
    }

    public int uploadsAttempted() {
        return uploads.get();
    }

    public synchronized byte[] content(String id) {
        return entries.get(id).content().clone();
    }

    @Override
    public String describe() {
        return "Drive";
    }

    @Override
    public synchronized RemoteBackup upload(Backup backup, Path file) {
        uploads.incrementAndGet();
        if (failuresToInject > 0) {
            failuresToInject--;
            throw new BackupFailedException(failure);
        }
        byte[] content = files.read(file).orElseThrow(() -> new BackupFailedException(file + " does not exist"));
        String sha = sha256(content);
        for (Entry e : entries.values()) {
            if (e.ours() && e.backup().name().equals(backup.name()) && e.backup().sha256().equals(Optional.of(sha))) {
                return e.backup();
            }
        }
        return putOwn(backup.name(), content);
    }

    @Override
    public synchronized List<RemoteBackup> list() {
        List<RemoteBackup> ours = new ArrayList<>();
        entries.values().stream().filter(Entry::ours).forEach(e -> ours.add(e.backup()));
        ours.sort(Comparator.comparing(RemoteBackup::name).reversed());
        return ours;
    }

    @Override
    public synchronized void delete(RemoteBackup backup) {
        Entry e = entries.get(backup.id());
        if (e == null || !e.ours()) {
            throw new IllegalStateException("refusing to delete a file that is not the tool's own: " + backup.id());
        }
        entries.remove(backup.id());
    }

    @Override
    public synchronized void download(RemoteBackup backup, Path target) {
        Entry e = entries.get(backup.id());
        if (e == null) {
            throw new BackupFailedException("no remote file " + backup.id());
        }
        if (downloadsDamaged) {
            throw new BackupFailedException("Drive: download of " + backup.name() + " arrived damaged (md5 mismatch)");
        }
        files.write(target, e.content());
    }

    private static String sha256(byte[] content) {
        return digest("SHA-256", content);
    }

    private static String md5(byte[] content) {
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
