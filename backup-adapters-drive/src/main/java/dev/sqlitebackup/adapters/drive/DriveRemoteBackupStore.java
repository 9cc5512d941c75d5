package dev.sqlitebackup.adapters.drive;

import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.model.File;
import com.google.api.services.drive.model.FileList;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Out-port adapter: off-site copies of finished backups in one Google Drive folder, stored in its codec's form
 * (compressed, encrypted) and read back from any form. A store for a database tags each upload with it and sees only
 * its copies (and untagged ones, uploaded before copies were tagged), so two databases can share a folder.
 */
public final class DriveRemoteBackupStore implements RemoteBackupStore {

    private static final Logger LOG = LoggerFactory.getLogger(DriveRemoteBackupStore.class);

    /** appProperties that mark the tool's own files: this key with value "1", and the file's SHA-256. */
    static final String OWN_KEY = "sqlite-backup";
    static final String OWN_VALUE = "1";
    static final String SHA256_KEY = "sha256";
    /** appProperty naming the form the bytes are stored in ({@link StoredForm#label()}); copies made before have none. */
    static final String FORM_KEY = "form";
    /** appProperty naming the database a copy is of: the SHA-256 of its path (a value has at most ~120 bytes). */
    static final String DATABASE_KEY = "database";
    static final String FOLDER_MIME = "application/vnd.google-apps.folder";
    static final String BACKUP_MIME = "application/vnd.sqlite3";
    static final String ZSTD_MIME = "application/zstd";
    /** age has no registered media type. */
    static final String ENCRYPTED_MIME = "application/octet-stream";
    static final String FILE_FIELDS = "id,name,mimeType,size,md5Checksum,webViewLink,appProperties";
    /** An upload whose md5 does not match is deleted and made once more, then the run fails. */
    static final int MD5_ATTEMPTS = 2;
    private static final int PAGE_SIZE = 1000;
    /** Bytes per read of a local file: with the upload's chunk, all the memory an upload or download takes. */
    static final int READ_BLOCK = 64 * 1024;

    private final DriveSettings settings;
    /** The {@link #DATABASE_KEY} tag of this store's database; empty for every copy of the tool's. */
    private final Optional<String> databaseTag;
    private final Drive drive;
    private final JsonFactory json = GsonFactory.getDefaultInstance();
    private final Backoff backoff;
    private final BackupCodec codec;
    private final ResumableUpload uploads;
    private String folderId; // found or created once, then kept

    /**
     * Builds the store of {@code database}'s copies (for no database: every copy of the tool's in the folder, and
     * uploads untagged), written in {@code codec}'s form and read back through it; no network until the first call.
     */
    public DriveRemoteBackupStore(DriveSettings settings, Optional<DatabaseIdentity> database, BackupCodec codec) {
        this(settings, database, codec, Sleeper.REAL);
    }

    /** Builds the store of every copy of the tool's in the folder, through {@code codec}; no network yet. */
    public DriveRemoteBackupStore(DriveSettings settings, BackupCodec codec) {
        this(settings, Optional.empty(), codec);
    }

    DriveRemoteBackupStore(DriveSettings settings, Optional<DatabaseIdentity> database, BackupCodec codec,
            Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.databaseTag = database.map(DriveRemoteBackupStore::tagOf);
        this.codec = Objects.requireNonNull(codec, "codec");
        WireLogging.keepSecretsOut();
        HttpTransport transport = new NetHttpTransport();
        GoogleCredentials credentials;
        try {
            credentials = DriveCredentials.load(settings.credentialsFile()).google(() -> transport);
        } catch (IOException e) {
            throw new BackupFailedException("Drive: cannot use " + settings.credentialsFile() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        credentials.addChangeListener(changed -> LOG.debug("Drive: got a new access token"));
        HttpCredentialsAdapter authorisation = new HttpCredentialsAdapter(credentials);
        int connectTimeout = millis(settings.connectTimeout());
        int readTimeout = millis(settings.readTimeout());
        HttpRequestInitializer initializer = request -> {
            authorisation.initialize(request);
            request.setConnectTimeout(connectTimeout);
            request.setReadTimeout(readTimeout);
            request.setWriteTimeout(readTimeout);
            request.setLoggingEnabled(false); // see WireLogging
        };
        Drive.Builder builder = new Drive.Builder(transport, json, initializer).setApplicationName("sqlite-backup");
        settings.rootUrl().ifPresent(root -> builder.setRootUrl(root.toString()));
        this.drive = builder.build();
        this.backoff = new Backoff(settings.retryAttempts(), settings.initialBackoff(), sleeper);
        GenericUrl uploadUrl = new GenericUrl(drive.getRootUrl() + "upload/" + drive.getServicePath() + "files");
        uploadUrl.set("uploadType", "resumable");
        uploadUrl.set("fields", FILE_FIELDS);
        uploadUrl.set("supportsAllDrives", true);
        this.uploads = new ResumableUpload(drive.getRequestFactory(), json, uploadUrl, settings.chunkSizeBytes(),
                backoff);
    }

    @Override
    public String describe() {
        // the run's message reads "local backup ok, Drive upload failed: ..."; the folder is named in the cause
        return "Drive";
    }

    /**
     * A local backup that cannot be read, named once with what went wrong (a missing file's exception says only its
     * path, an unreadable one's its path and "Permission denied").
     */
    private static BackupFailedException unreadable(Path file, Exception e) {
        String cause = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : String.valueOf(e.getMessage()).replace(file.toString() + ": ", "").replace(file.toString(), "")
                        .strip();
        return new BackupFailedException("Drive: cannot read local backup " + file + ": "
                + (cause.isEmpty() ? e.getClass().getSimpleName() : cause), e);
    }

    @Override
    public RemoteBackup upload(Backup backup, Path file) {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(file, "file");
        BackupName name = backup.name();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (size != backup.sizeBytes()) {
            throw notTheVerified(file, name);
        }
        // without a recorded SHA-256 (to tag the file with) the whole file is digested first
        String sha256 = backup.recordedSha256().orElseGet(() -> localDigests(backup, file).sha256());
        StoredForm form = codec.form();
        String folder = folderId();
        for (int attempt = 1; attempt <= MD5_ATTEMPTS; attempt++) {
            Optional<File> existing = existingCopy(folder, backup, file, sha256);
            if (existing.isPresent()) {
                LOG.info("Drive: {} is already in {} as {}", name, settings.describe(), existing.get().getName());
                return remote(existing.get());
            }
            Map<String, String> tags = new LinkedHashMap<>(Map.of(OWN_KEY, OWN_VALUE, SHA256_KEY, sha256));
            tags.put(FORM_KEY, form.label());
            databaseTag.ifPresent(tag -> tags.put(DATABASE_KEY, tag));
            File metadata = new File().setName(form.fileName(name)).setMimeType(mimeType(form))
                    .setParents(List.of(folder)).setAppProperties(tags);
            // One pass: the local file is read once, digested and encoded on the way, and the encoded bytes go to
            // Drive as they are made. Its SHA-256 is checked before the chunk that completes the Drive file goes, so
            // Drive never makes a file of bytes that were not verified; the MD5 of what was sent is checked against
            // Drive's at the end. A lost session makes the bytes afresh (a new encoding) for a new session.
            ResumableUpload.Sent sent = uploads.upload(metadata, out -> encode(backup, file, sha256, out),
                    () -> existingCopy(folder, backup, file, sha256));
            File uploaded = sent.file();
            if (sent.md5().isEmpty()) {
                return remote(uploaded); // the lost session had finished: found, and checked, as already there
            }
            String sentMd5 = sent.md5().get();
            String remoteMd5 = uploaded.getMd5Checksum() != null ? uploaded.getMd5Checksum()
                    : metadata(uploaded.getId()).map(File::getMd5Checksum).orElse(null);
            if (sentMd5.equalsIgnoreCase(remoteMd5)) {
                RemoteBackup remote = remote(uploaded);
                LOG.info("Drive: uploaded {} ({} bytes, md5 ok) to {}", remote.storedName(), remote.sizeBytes(),
                        settings.describe());
                return remote;
            }
            LOG.warn("Drive: {} arrived with md5 {} instead of {}; deleting the damaged copy{}", metadata.getName(),
                    remoteMd5, sentMd5, attempt < MD5_ATTEMPTS ? " and uploading again" : "");
            deleteById(uploaded.getId(), metadata.getName());
        }
        throw new BackupFailedException("Drive: upload of " + form.fileName(name) + " failed: Drive's md5 did not "
                + "match the bytes sent in " + MD5_ATTEMPTS + " tries (damaged copies deleted)");
    }

    /**
     * Reads the local file once, from the start, into {@code stored} through a fresh encoding, and returns only when
     * what it read is the verified backup (its size and {@code sha256}): until then the upload cannot complete.
     */
    private void encode(Backup backup, Path file, String sha256, OutputStream stored) throws IOException {
        long read = 0;
        String got;
        // the SHA-256 is taken beside the encoding, on a thread of its own: one pass at the pace of the slower
        try (BesideDigest digest = new BesideDigest("SHA-256", READ_BLOCK)) {
            try (InputStream in = openPlain(backup, file); OutputStream encoding = codec.encoding(stored)) {
                while (true) {
                    byte[] block = digest.block();
                    int n = readLocal(in, block, file);
                    if (n < 0) {
                        digest.giveBack(block);
                        break;
                    }
                    encoding.write(block, 0, n);
                    digest.update(block, n); // the encoder is done with the block: an OutputStream keeps none
                    read += n;
                }
            }
            got = digest.hex();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailedException("Drive: upload of " + codec.form().fileName(backup.name())
                    + " interrupted", e);
        }
        // a compressed local backup's stored size was checked before; its SHA-256 covers the plain bytes read
        if ((backup.form() == StoredForm.PLAIN && read != backup.sizeBytes()) || !sha256.equalsIgnoreCase(got)) {
            throw notTheVerified(file, backup.name());
        }
    }

    /**
     * The plain database bytes of a local backup: its file, or, for a compressed one, its file decoded through the
     * codec (which reads every unencrypted form), so that Drive gets the database in the form Drive copies take.
     */
    private InputStream openPlain(Backup backup, Path file) {
        InputStream in = openLocal(file);
        if (backup.form() == StoredForm.PLAIN) {
            return in;
        }
        try {
            return codec.decoding(in, backup.form(), backup.storedName());
        } catch (IOException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the decoding's failure is the one to report
            }
            throw unreadable(file, e);
        }
    }

    private static InputStream openLocal(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static int readLocal(InputStream in, byte[] block, Path file) {
        try {
            int n = in.readNBytes(block, 0, block.length);
            return n == 0 ? -1 : n;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * The digests of the whole local backup's plain bytes, once they match what was verified at publish (size and
     * SHA-256).
     */
    private Digests.Result localDigests(Backup backup, Path file) {
        Digests digests = new Digests();
        try (InputStream in = openPlain(backup, file)) {
            in.transferTo(digests.teeTo(OutputStream.nullOutputStream()));
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        Digests.Result local = digests.result();
        if ((backup.form() == StoredForm.PLAIN && local.size() != backup.sizeBytes())
                || backup.recordedSha256().filter(sha -> !sha.equalsIgnoreCase(local.sha256())).isPresent()) {
            throw notTheVerified(file, backup.name());
        }
        return local;
    }

    private static BackupFailedException notTheVerified(Path file, BackupName name) {
        return new BackupFailedException("Drive: local backup " + file + " is not the verified " + name
                + " (size or SHA-256 changed); not uploaded");
    }

    /** The media type Drive shows for a copy in {@code form}. */
    static String mimeType(StoredForm form) {
        return form.encrypted() ? ENCRYPTED_MIME : form.compressed() ? ZSTD_MIME : BACKUP_MIME;
    }

    @Override
    public List<RemoteBackup> list() {
        Optional<String> folder = knownFolder();
        if (folder.isEmpty()) {
            return List.of();
        }
        String q = DriveQuery.ownFilesIn(folder.get());
        List<RemoteBackup> found = new ArrayList<>();
        String pageToken = null;
        do {
            String page = pageToken;
            FileList files = backoff.run("listing " + settings.describe(), () -> listRequest(q)
                    .setFields("nextPageToken,files(" + FILE_FIELDS + ")").setPageSize(PAGE_SIZE)
                    .setPageToken(page).execute());
            for (File file : files.getFiles() == null ? List.<File>of() : files.getFiles()) {
                if (isOwn(file) && isThisDatabases(file)) {
                    found.add(remote(file));
                }
            }
            pageToken = files.getNextPageToken();
        } while (pageToken != null && !pageToken.isEmpty());
        found.sort(Comparator.comparing(RemoteBackup::name).reversed());
        return List.copyOf(found);
    }

    @Override
    public void delete(RemoteBackup backup) {
        Objects.requireNonNull(backup, "backup");
        Optional<File> current = metadata(backup.id());
        if (current.isEmpty()) {
            LOG.info("Drive: {} ({}) is already gone", backup.name(), backup.id());
            return;
        }
        // never touch a file that is not ours, whatever the caller holds
        if (!isOwn(current.get()) || !isThisDatabases(current.get())
                || !current.get().getName().equals(backup.storedName())) {
            throw new BackupFailedException("Drive: refusing to delete " + backup.id() + " ("
                    + DriveFailure.oneLine(current.get().getName()) + "): not sqlite-backup's " + backup.storedName());
        }
        deleteById(backup.id(), backup.storedName());
        LOG.info("Drive: deleted {} from {}", backup.storedName(), settings.describe());
    }

    @Override
    public void download(RemoteBackup backup, Path target) {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(target, "target");
        String storedName = backup.storedName();
        String what = "download of " + storedName;
        Optional<String> expectedMd5 = backup.md5().or(() -> metadata(backup.id()).map(File::getMd5Checksum));
        if (expectedMd5.isEmpty()) {
            throw new BackupFailedException("Drive: " + what + " failed: Drive reports no md5 to check it against");
        }
        String mismatch = "";
        try {
            for (int attempt = 1; attempt <= MD5_ATTEMPTS; attempt++) {
                Fetched got = backoff.run(what, () -> fetch(backup, target));
                if (got.damage().isPresent()) {
                    mismatch = got.damage().get();
                } else {
                    boolean md5Ok = got.md5().equalsIgnoreCase(expectedMd5.get());
                    boolean shaOk = backup.sha256().map(sha -> sha.equalsIgnoreCase(got.sha256())).orElse(true);
                    if (md5Ok && shaOk && got.storedSize() == backup.sizeBytes()) {
                        LOG.info("Drive: downloaded {} ({} bytes, md5 ok)", storedName, got.storedSize());
                        return;
                    }
                    mismatch = md5Ok && shaOk ? "size " + got.storedSize() + " instead of " + backup.sizeBytes()
                            : !md5Ok ? "md5 " + got.md5() + " instead of " + expectedMd5.get()
                            : "sha256 " + got.sha256() + " instead of " + backup.sha256().orElseThrow();
                }
                LOG.warn("Drive: {} arrived damaged ({}){}", what, mismatch,
                        attempt < MD5_ATTEMPTS ? "; trying again" : "");
            }
        } catch (RuntimeException e) {
            // no key opens it, Drive failed, the target cannot be written: nothing of it stays behind either
            truncate(target);
            throw e;
        }
        truncate(target);
        throw new BackupFailedException("Drive: " + what + " failed: " + storedName + " is damaged or cut short ("
                + mismatch + ")");
    }

    /** One download: the stored bytes' size and MD5 and the plain bytes' SHA-256, or why they did not decode. */
    private record Fetched(long storedSize, String md5, String sha256, Optional<String> damage) {
    }

    /**
     * Streams the copy's stored bytes from Drive through the codec into {@code target}, digesting both sides on the
     * way. A network failure is thrown (to be retried); bytes that do not decode are a damaged copy, returned.
     */
    private Fetched fetch(RemoteBackup backup, Path target) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        StoredBytes stored;
        try (FileChannel channel = openForDownload(target);
                InputStream in = drive.files().get(backup.id()).setSupportsAllDrives(true)
                        .executeMediaAsInputStream()) {
            stored = new StoredBytes(in);
            OutputStream disk = Channels.newOutputStream(channel);
            try (InputStream plain = codec.decoding(stored, backup.form(), backup.storedName())) {
                byte[] block = new byte[READ_BLOCK];
                for (int n = plain.read(block); n >= 0; n = plain.read(block)) {
                    sha256.update(block, 0, n);
                    try {
                        disk.write(block, 0, n);
                    } catch (IOException e) {
                        throw new LocalFileException("cannot write " + target + ": " + e.getMessage(), e);
                    }
                }
                stored.drain(); // the MD5 covers every byte Drive sent, also any a decoder left unread
            } catch (LocalFileException e) {
                throw e;
            } catch (IOException e) {
                if (stored.failure != null) {
                    throw stored.failure; // the network, not the copy: worth another try
                }
                return new Fetched(stored.size, "", "", Optional.of(DriveFailure.oneLine(e.getMessage())));
            }
            try {
                channel.force(true);
            } catch (IOException e) {
                throw new LocalFileException("cannot write " + target + ": " + e.getMessage(), e);
            }
        }
        return new Fetched(stored.size, HexFormat.of().formatHex(stored.md5.digest()),
                HexFormat.of().formatHex(sha256.digest()), Optional.empty());
    }

    /** Drive's bytes on their way to the codec: counted and digested, and a failure of the network remembered. */
    private static final class StoredBytes extends FilterInputStream {
        final MessageDigest md5 = digest("MD5");
        long size;
        IOException failure;

        StoredBytes(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(bytes, offset, length);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (n > 0) {
                md5.update(bytes, offset, n);
                size += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // every byte goes through read, into the digest
            byte[] skipped = new byte[(int) Math.min(8192, Math.max(n, 0))];
            int read = read(skipped, 0, skipped.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        void drain() throws IOException {
            byte[] rest = new byte[8192];
            while (read(rest, 0, rest.length) >= 0) {
                // digested by read
            }
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }

    private static FileChannel openForDownload(Path target) throws LocalFileException {
        try {
            return FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new LocalFileException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static void truncate(Path target) {
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        } catch (IOException e) {
            LOG.warn("cannot empty {} after a failed download: {}", target, e.toString());
        }
    }

    /**
     * This backup already on Drive with the same content, in whatever form, if it is. A copy with another SHA-256 is
     * a different backup of the same name, left alone, and the upload fails rather than making a second copy. A plain
     * copy whose md5 is not the local file's is damaged and deleted; an encoded copy's md5 cannot be made again
     * (every encoding differs), so Drive's, taken when it arrived and checked then, stands for it.
     */
    private Optional<File> existingCopy(String folder, Backup backup, Path local, String sha256) {
        BackupName name = backup.name();
        String q = DriveQuery.ownFilesNamed(folder, Arrays.stream(StoredForm.values()).map(f -> f.fileName(name))
                .toList());
        FileList files = backoff.run("looking for " + name + " in " + settings.describe(),
                () -> listRequest(q).setFields("files(" + FILE_FIELDS + ")").setPageSize(10).execute());
        for (File file : files.getFiles() == null ? List.<File>of() : files.getFiles()) {
            if (!isOwn(file) || !isThisDatabases(file)
                    || !StoredForm.backupOf(file.getName()).filter(name::equals).isPresent()) {
                continue; // another database's copy of the same name is no copy of this one
            }
            String sha = file.getAppProperties().get(SHA256_KEY);
            if (!sha256.equalsIgnoreCase(sha)) {
                throw new BackupFailedException("Drive: " + settings.describe() + " already holds a different " + name
                        + " (" + DriveFailure.oneLine(file.getName()) + ", id " + file.getId() + "); not replaced");
            }
            if (formOf(file).orElseThrow() != StoredForm.PLAIN) {
                return Optional.of(file);
            }
            // only here is the local MD5 needed before the upload: digest (and check) the whole file first
            if (localDigests(backup, local).md5().equalsIgnoreCase(file.getMd5Checksum())) {
                return Optional.of(file);
            }
            LOG.warn("Drive: the copy of {} on Drive is damaged (md5 {}); deleting it", name, file.getMd5Checksum());
            deleteById(file.getId(), file.getName());
        }
        return Optional.empty();
    }

    /** The folder the copies go into, found or created (the subfolder too, when there is one). */
    private synchronized String folderId() {
        Optional<String> known = knownFolder();
        if (known.isPresent()) {
            return known.get();
        }
        String top = findOrCreate(settings.folderName(), settings.parentId().orElse("root"));
        folderId = settings.subfolder().isEmpty() ? top : findOrCreate(settings.subfolder().get(), top);
        return folderId;
    }

    /** The folder named {@code name} in {@code parent}: the oldest of that name, or a new one, never two. */
    private String findOrCreate(String name, String parent) {
        Optional<String> known = findFolder(name, parent);
        if (known.isPresent()) {
            return known.get();
        }
        String what = "Google Drive folder '" + name + "'" + ("root".equals(parent) ? "" : " in " + parent);
        int retries = 0;
        while (true) {
            try {
                File folder = drive.files().create(new File().setName(name).setMimeType(FOLDER_MIME)
                        .setParents(List.of(parent))).setFields("id").setSupportsAllDrives(true).execute();
                LOG.info("Drive: created {}", what);
                return folder.getId();
            } catch (IOException e) {
                DriveFailure failure = DriveFailure.of(e);
                if (!failure.retryable() || retries >= backoff.attempts()) {
                    throw failure.toException("creating " + settings.describe(), retries);
                }
                retries++;
                backoff.pause("creating " + settings.describe(), retries, failure);
                // the failed create may have gone through: look again before creating, never two folders
                known = findFolder(name, parent);
                if (known.isPresent()) {
                    return known.get();
                }
            }
        }
    }

    /** The folder (the subfolder, when there is one), when it exists: the oldest of its name in its parent. */
    private synchronized Optional<String> knownFolder() {
        if (folderId != null) {
            return Optional.of(folderId);
        }
        Optional<String> top = findFolder(settings.folderName(), settings.parentId().orElse("root"));
        Optional<String> found = settings.subfolder().isEmpty() ? top
                : top.flatMap(parent -> findFolder(settings.subfolder().get(), parent));
        found.ifPresent(id -> {
            folderId = id;
            LOG.debug("Drive: using folder {}", id);
        });
        return found;
    }

    /** The oldest folder named {@code name} in {@code parent}, if any. */
    private Optional<String> findFolder(String name, String parent) {
        String q = DriveQuery.folderNamed(name, parent);
        FileList folders = backoff.run("looking for " + settings.describe(), () -> listRequest(q)
                .setFields("files(id,name)").setOrderBy("createdTime").setPageSize(10).execute());
        if (folders.getFiles() == null || folders.getFiles().isEmpty()) {
            return Optional.empty();
        }
        if (folders.getFiles().size() > 1) {
            LOG.warn("Drive: {} folders named '{}'; using the oldest, {}", folders.getFiles().size(), name,
                    folders.getFiles().get(0).getId());
        }
        return Optional.of(folders.getFiles().get(0).getId());
    }

    private Drive.Files.List listRequest(String q) throws IOException {
        Drive.Files.List request = drive.files().list().setQ(q).setSpaces("drive").setSupportsAllDrives(true)
                .setIncludeItemsFromAllDrives(true);
        // a folder on a shared drive is listed only across all drives; My Drive needs no such search
        return settings.parentId().isPresent() ? request.setCorpora("allDrives") : request;
    }

    private Optional<File> metadata(String id) {
        return backoff.runUnlessNotFound("reading " + id,
                () -> drive.files().get(id).setFields(FILE_FIELDS).setSupportsAllDrives(true).execute());
    }

    private void deleteById(String id, String name) {
        // already gone (404) is what we wanted
        backoff.runUnlessNotFound("deleting " + name,
                () -> drive.files().delete(id).setSupportsAllDrives(true).execute());
    }

    /**
     * Whether a file of the tool's is a copy of this store's database: tagged with it, or untagged (uploaded before
     * copies were tagged, counted as this database's; two databases that shared a folder then need separate folders).
     */
    private boolean isThisDatabases(File file) {
        if (databaseTag.isEmpty()) {
            return true;
        }
        String tag = file.getAppProperties() == null ? null : file.getAppProperties().get(DATABASE_KEY);
        return tag == null || tag.equals(databaseTag.get());
    }

    /** The tag of a database: the SHA-256 of its path, in hex (the path itself may be longer than Drive allows). */
    static String tagOf(DatabaseIdentity database) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(database.value().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * A copy the tool made: tagged as the tool's, named as a backup in some form, and, when it records its form (copies
     * made before forms were recorded do not), in the form its name says; a file renamed since is no copy to trust.
     */
    static boolean isOwn(File file) {
        Map<String, String> properties = file.getAppProperties();
        if (properties == null || !OWN_VALUE.equals(properties.get(OWN_KEY)) || FOLDER_MIME.equals(file.getMimeType())) {
            return false;
        }
        Optional<StoredForm> form = StoredForm.ofFileName(file.getName());
        String recorded = properties.get(FORM_KEY);
        return form.isPresent() && (recorded == null || recorded.equals(form.get().label()));
    }

    /** The form a file of the tool's is stored in, as its name says. */
    private static Optional<StoredForm> formOf(File file) {
        return StoredForm.ofFileName(file.getName());
    }

    private static RemoteBackup remote(File file) {
        BackupName name = StoredForm.backupOf(file.getName()).orElseThrow(
                () -> new BackupFailedException("Drive: unexpected file name " + DriveFailure.oneLine(file.getName())));
        Map<String, String> properties = file.getAppProperties() == null ? Map.of() : file.getAppProperties();
        return new RemoteBackup(name, formOf(file).orElseThrow(), file.getId(), file.getSize() == null ? 0 : file.getSize(),
                Optional.ofNullable(properties.get(SHA256_KEY)), Optional.ofNullable(file.getMd5Checksum()),
                Optional.ofNullable(file.getWebViewLink()));
    }

    /** The most bytes an upload of this store has held in memory at once (see {@link UploadSession}). */
    int uploadHighWater() {
        return uploads.highWater();
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
