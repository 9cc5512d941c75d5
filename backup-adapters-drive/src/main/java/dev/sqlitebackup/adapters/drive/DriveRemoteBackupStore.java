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
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Out-port adapter: off-site copies of finished backups in one Google Drive folder. A store for a database tags each
 * upload with it and sees only its copies (and untagged ones, uploaded before copies were tagged), so two databases
 * can share a folder.
 */
public final class DriveRemoteBackupStore implements RemoteBackupStore {

    private static final Logger LOG = LoggerFactory.getLogger(DriveRemoteBackupStore.class);

    /** appProperties that mark the tool's own files: this key with value "1", and the file's SHA-256. */
    static final String OWN_KEY = "sqlite-backup";
    static final String OWN_VALUE = "1";
    static final String SHA256_KEY = "sha256";
    /** appProperty naming the database a copy is of: the SHA-256 of its path (a value has at most ~120 bytes). */
    static final String DATABASE_KEY = "database";
    static final String FOLDER_MIME = "application/vnd.google-apps.folder";
    static final String BACKUP_MIME = "application/vnd.sqlite3";
    static final String FILE_FIELDS = "id,name,mimeType,size,md5Checksum,webViewLink,appProperties";
    /** An upload whose md5 does not match is deleted and made once more, then the run fails. */
    static final int MD5_ATTEMPTS = 2;
    private static final int PAGE_SIZE = 1000;

    private final DriveSettings settings;
    /** The {@link #DATABASE_KEY} tag of this store's database; empty for every copy of the tool's. */
    private final Optional<String> databaseTag;
    private final Drive drive;
    private final JsonFactory json = GsonFactory.getDefaultInstance();
    private final Backoff backoff;
    private final ResumableUpload uploads;
    private String folderId; // found or created once, then kept

    /**
     * Builds the store of {@code database}'s copies (for no database: every copy of the tool's in the folder, and
     * uploads untagged); no network until the first call.
     */
    public DriveRemoteBackupStore(DriveSettings settings, Optional<DatabaseIdentity> database) {
        this(settings, database, Sleeper.REAL);
    }

    /** Builds the store of every copy of the tool's in the folder; no network until the first call. */
    public DriveRemoteBackupStore(DriveSettings settings) {
        this(settings, Optional.empty());
    }

    DriveRemoteBackupStore(DriveSettings settings, Sleeper sleeper) {
        this(settings, Optional.empty(), sleeper);
    }

    DriveRemoteBackupStore(DriveSettings settings, Optional<DatabaseIdentity> database, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.databaseTag = database.map(DriveRemoteBackupStore::tagOf);
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

    @Override
    public RemoteBackup upload(Backup backup, Path file) {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(file, "file");
        BackupName name = backup.name();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new BackupFailedException("Drive: cannot read local backup " + file + ": " + e.getMessage(), e);
        }
        if (size != backup.sizeBytes()) {
            throw notTheVerified(file, name);
        }
        // The file is read once, for sending, and digested on the way; its SHA-256 is checked against the recorded
        // one before the last chunk goes, so Drive never makes a file of bytes that were not verified, and the MD5
        // of the same bytes is checked against Drive's at the end.
        try (UploadDigests digests = new UploadDigests(file, size, settings.chunkSizeBytes())) {
            Supplier<Digests.Result> local = () -> verified(backup, file, digests);
            // without a recorded SHA-256 (to tag the file with) the whole file is digested first
            String sha256 = backup.recordedSha256().orElseGet(() -> local.get().sha256());
            String folder = folderId();
            for (int attempt = 1; attempt <= MD5_ATTEMPTS; attempt++) {
                Optional<File> existing = existingCopy(folder, name, sha256, local);
                if (existing.isPresent()) {
                    LOG.info("Drive: {} is already in {}", name, settings.describe());
                    return remote(existing.get());
                }
                Map<String, String> tags = new LinkedHashMap<>(Map.of(OWN_KEY, OWN_VALUE, SHA256_KEY, sha256));
                databaseTag.ifPresent(tag -> tags.put(DATABASE_KEY, tag));
                File metadata = new File().setName(name.value()).setMimeType(BACKUP_MIME).setParents(List.of(folder))
                        .setAppProperties(tags);
                File uploaded = uploads.upload(metadata, file, size, digests, local::get,
                        () -> existingCopy(folder, name, sha256, local));
                String localMd5 = local.get().md5();
                String remoteMd5 = uploaded.getMd5Checksum() != null ? uploaded.getMd5Checksum()
                        : metadata(uploaded.getId()).map(File::getMd5Checksum).orElse(null);
                if (localMd5.equalsIgnoreCase(remoteMd5)) {
                    LOG.info("Drive: uploaded {} ({} bytes, md5 ok) to {}", name, size, settings.describe());
                    return remote(uploaded);
                }
                LOG.warn("Drive: {} arrived with md5 {} instead of {}; deleting the damaged copy{}", name, remoteMd5,
                        localMd5, attempt < MD5_ATTEMPTS ? " and uploading again" : "");
                deleteById(uploaded.getId(), name.value());
            }
        }
        throw new BackupFailedException("Drive: upload of " + name + " failed: Drive's md5 did not match the local "
                + "file in " + MD5_ATTEMPTS + " tries (damaged copies deleted)");
    }

    /** The digests of the whole local file, once they match what was verified at publish (size and SHA-256). */
    private static Digests.Result verified(Backup backup, Path file, UploadDigests digests) {
        Digests.Result local;
        try {
            local = digests.result();
        } catch (IOException e) {
            throw new BackupFailedException("Drive: cannot read local backup " + file + ": " + e.getMessage(), e);
        }
        if (local.size() != backup.sizeBytes()
                || backup.recordedSha256().filter(sha -> !sha.equalsIgnoreCase(local.sha256())).isPresent()) {
            throw notTheVerified(file, backup.name());
        }
        return local;
    }

    private static BackupFailedException notTheVerified(Path file, BackupName name) {
        return new BackupFailedException("Drive: local backup " + file + " is not the verified " + name
                + " (size or SHA-256 changed); not uploaded");
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
                || !current.get().getName().equals(backup.name().value())) {
            throw new BackupFailedException("Drive: refusing to delete " + backup.id() + " ("
                    + DriveFailure.oneLine(current.get().getName()) + "): not sqlite-backup's " + backup.name());
        }
        deleteById(backup.id(), backup.name().value());
        LOG.info("Drive: deleted {} from {}", backup.name(), settings.describe());
    }

    @Override
    public void download(RemoteBackup backup, Path target) {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(target, "target");
        String what = "download of " + backup.name();
        Optional<String> expectedMd5 = backup.md5().or(() -> metadata(backup.id()).map(File::getMd5Checksum));
        if (expectedMd5.isEmpty()) {
            throw new BackupFailedException("Drive: " + what + " failed: Drive reports no md5 to check it against");
        }
        String mismatch = "";
        for (int attempt = 1; attempt <= MD5_ATTEMPTS; attempt++) {
            Digests.Result got = backoff.run(what, () -> fetch(backup.id(), target));
            boolean md5Ok = got.md5().equalsIgnoreCase(expectedMd5.get());
            boolean shaOk = backup.sha256().map(sha -> sha.equalsIgnoreCase(got.sha256())).orElse(true);
            if (md5Ok && shaOk && got.size() == backup.sizeBytes()) {
                LOG.info("Drive: downloaded {} ({} bytes, md5 ok)", backup.name(), got.size());
                return;
            }
            mismatch = md5Ok && shaOk ? "size " + got.size() + " instead of " + backup.sizeBytes()
                    : !md5Ok ? "md5 " + got.md5() + " instead of " + expectedMd5.get()
                    : "sha256 " + got.sha256() + " instead of " + backup.sha256().orElseThrow();
            LOG.warn("Drive: {} arrived with {}{}", what, mismatch, attempt < MD5_ATTEMPTS ? "; trying again" : "");
        }
        truncate(target);
        throw new BackupFailedException("Drive: " + what + " failed: the bytes did not match (" + mismatch + ")");
    }

    /** Writes the file's bytes over {@code target}, returning their digests. */
    private Digests.Result fetch(String id, Path target) throws IOException {
        Digests digests = new Digests();
        try (FileChannel channel = openForDownload(target);
                InputStream in = drive.files().get(id).setSupportsAllDrives(true).executeMediaAsInputStream()) {
            OutputStream disk = Channels.newOutputStream(channel);
            OutputStream out = digests.teeTo(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    try {
                        disk.write(bytes, offset, length);
                    } catch (IOException e) {
                        throw new LocalFileException("cannot write " + target + ": " + e.getMessage(), e);
                    }
                }
            });
            in.transferTo(out);
            try {
                channel.force(true);
            } catch (IOException e) {
                throw new LocalFileException("cannot write " + target + ": " + e.getMessage(), e);
            }
        }
        return digests.result();
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
     * This backup already on Drive with the same content, if it is. A copy whose md5 contradicts its own SHA-256 tag
     * is damaged and deleted; a copy with another SHA-256 is a different backup of the same name, left alone, and
     * the upload fails rather than making a second file of that name.
     */
    private Optional<File> existingCopy(String folder, BackupName name, String sha256,
            Supplier<Digests.Result> local) {
        String q = DriveQuery.ownFileNamed(folder, name.value());
        FileList files = backoff.run("looking for " + name + " in " + settings.describe(),
                () -> listRequest(q).setFields("files(" + FILE_FIELDS + ")").setPageSize(10).execute());
        for (File file : files.getFiles() == null ? List.<File>of() : files.getFiles()) {
            if (!isOwn(file) || !isThisDatabases(file)) {
                continue; // another database's copy of the same name is no copy of this one
            }
            String sha = file.getAppProperties().get(SHA256_KEY);
            if (!sha256.equalsIgnoreCase(sha)) {
                throw new BackupFailedException("Drive: " + settings.describe() + " already holds a different " + name
                        + " (id " + file.getId() + "); not replaced");
            }
            // only here is the local MD5 needed before the upload: digest (and check) the whole file first
            if (local.get().md5().equalsIgnoreCase(file.getMd5Checksum())) {
                return Optional.of(file);
            }
            LOG.warn("Drive: the copy of {} on Drive is damaged (md5 {}); deleting it", name, file.getMd5Checksum());
            deleteById(file.getId(), name.value());
        }
        return Optional.empty();
    }

    private synchronized String folderId() {
        Optional<String> known = knownFolder();
        if (known.isPresent()) {
            return known.get();
        }
        String parent = settings.parentId().orElse("root");
        int retries = 0;
        while (true) {
            try {
                File folder = drive.files().create(new File().setName(settings.folderName()).setMimeType(FOLDER_MIME)
                        .setParents(List.of(parent))).setFields("id").setSupportsAllDrives(true).execute();
                LOG.info("Drive: created {}", settings.describe());
                folderId = folder.getId();
                return folderId;
            } catch (IOException e) {
                DriveFailure failure = DriveFailure.of(e);
                if (!failure.retryable() || retries >= backoff.attempts()) {
                    throw failure.toException("creating " + settings.describe(), retries);
                }
                retries++;
                backoff.pause("creating " + settings.describe(), retries, failure);
                // the failed create may have gone through: look again before creating, never two folders
                known = knownFolder();
                if (known.isPresent()) {
                    return known.get();
                }
            }
        }
    }

    /** The folder, when it exists: the oldest of that name under the parent. */
    private synchronized Optional<String> knownFolder() {
        if (folderId != null) {
            return Optional.of(folderId);
        }
        String q = DriveQuery.folderNamed(settings.folderName(), settings.parentId().orElse("root"));
        FileList folders = backoff.run("looking for " + settings.describe(), () -> listRequest(q)
                .setFields("files(id,name)").setOrderBy("createdTime").setPageSize(10).execute());
        if (folders.getFiles() == null || folders.getFiles().isEmpty()) {
            return Optional.empty();
        }
        if (folders.getFiles().size() > 1) {
            LOG.warn("Drive: {} folders named '{}'; using the oldest, {}", folders.getFiles().size(),
                    settings.folderName(), folders.getFiles().get(0).getId());
        }
        folderId = folders.getFiles().get(0).getId();
        LOG.debug("Drive: using folder {}", folderId);
        return Optional.of(folderId);
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

    static boolean isOwn(File file) {
        Map<String, String> properties = file.getAppProperties();
        return properties != null && OWN_VALUE.equals(properties.get(OWN_KEY))
                && !FOLDER_MIME.equals(file.getMimeType()) && BackupName.parse(file.getName()).isPresent();
    }

    private static RemoteBackup remote(File file) {
        BackupName name = BackupName.parse(file.getName()).orElseThrow(
                () -> new BackupFailedException("Drive: unexpected file name " + DriveFailure.oneLine(file.getName())));
        Map<String, String> properties = file.getAppProperties() == null ? Map.of() : file.getAppProperties();
        return new RemoteBackup(name, StoredForm.PLAIN, file.getId(), file.getSize() == null ? 0 : file.getSize(),
                Optional.ofNullable(properties.get(SHA256_KEY)), Optional.ofNullable(file.getMd5Checksum()),
                Optional.ofNullable(file.getWebViewLink()));
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
