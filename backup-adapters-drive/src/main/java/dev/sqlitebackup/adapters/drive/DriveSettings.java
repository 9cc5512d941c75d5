package dev.sqlitebackup.adapters.drive;

import dev.sqlitebackup.domain.model.InvalidInputException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and how off-site copies go to Google Drive. Holds no secret: the credentials stay in their file, which is
 * read when the store is built.
 *
 * @param credentialsFile an {@code authorized_user} or {@code service_account} JSON file
 * @param folderName      the folder the backups go into, found by name under the parent or created once
 * @param parentId        the folder (or shared drive) holding that folder; empty for the Drive root
 * @param rootUrl         the API root URL, e.g. {@code https://www.googleapis.com/}; empty for the client's own
 * @param chunkSizeBytes  resumable upload chunk, a positive multiple of 256 KiB
 * @param retryAttempts   retries of one step (a chunk, a call) after its first try; 0 turns retries off
 * @param initialBackoff  the first retry's delay, doubling (with jitter) for each further retry
 * @param connectTimeout  for each HTTP connection
 * @param readTimeout     for each HTTP read (and write) on a connection
 * @param subfolder       the subfolder of {@code folderName} the backups go into instead, found by name or created
 *                        once: a database of a config file of many keeps its copies in one of its name; empty for
 *                        the folder itself
 */
public record DriveSettings(Path credentialsFile, String folderName, Optional<String> parentId,
        Optional<URI> rootUrl, int chunkSizeBytes, int retryAttempts, Duration initialBackoff,
        Duration connectTimeout, Duration readTimeout, Optional<String> subfolder) {

    public static final String DEFAULT_FOLDER = "SQLite Backups";
    /** Drive wants every chunk but the last to be a multiple of this. */
    public static final int CHUNK_GRANULARITY = 256 * 1024;
    public static final int DEFAULT_CHUNK_MB = 8;
    /** The largest chunk, in MiB: the chunk is held in memory. */
    public static final int MAX_CHUNK_MB = 1024;
    public static final int DEFAULT_RETRY_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    /** Drive ids are URL-safe base64-ish. */
    private static final Pattern DRIVE_ID = Pattern.compile("[A-Za-z0-9_-]{1,200}");

    public DriveSettings {
        Objects.requireNonNull(credentialsFile, "credentialsFile");
        Objects.requireNonNull(folderName, "folderName");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(rootUrl, "rootUrl");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(subfolder, "subfolder");
        if (folderName.isBlank()) {
            throw new InvalidInputException("Drive folder name must not be blank");
        }
        if (subfolder.isPresent() && subfolder.get().isBlank()) {
            throw new InvalidInputException("Drive subfolder name must not be blank");
        }
        parentId.flatMap(DriveSettings::parentIdProblem).ifPresent(p -> {
            throw new InvalidInputException("Drive parent folder id " + p);
        });
        rootUrl.flatMap(DriveSettings::rootUrlProblem).ifPresent(p -> {
            throw new InvalidInputException("Drive root URL " + p);
        });
        // The client appends "drive/v3/..." to the root: it must end with a slash.
        rootUrl = rootUrl.map(url -> url.toString().endsWith("/") ? url : URI.create(url + "/"));
        if (chunkSizeBytes <= 0 || chunkSizeBytes % CHUNK_GRANULARITY != 0) {
            throw new InvalidInputException("Drive chunk size must be a positive multiple of 256 KiB, got "
                    + chunkSizeBytes + " bytes");
        }
        if (retryAttempts < 0) {
            throw new InvalidInputException("Drive retry attempts must not be negative, got " + retryAttempts);
        }
        if (initialBackoff.isNegative() || connectTimeout.isNegative() || readTimeout.isNegative()) {
            throw new InvalidInputException("Drive backoff and timeouts must not be negative");
        }
    }

    /** Settings whose backups go into {@code folderName} itself, not a subfolder of it. */
    public DriveSettings(Path credentialsFile, String folderName, Optional<String> parentId, Optional<URI> rootUrl,
            int chunkSizeBytes, int retryAttempts, Duration initialBackoff, Duration connectTimeout,
            Duration readTimeout) {
        this(credentialsFile, folderName, parentId, rootUrl, chunkSizeBytes, retryAttempts, initialBackoff,
                connectTimeout, readTimeout, Optional.empty());
    }

    /** These settings with the backups in the subfolder {@code name} of the folder (a database of a config of many). */
    public DriveSettings inSubfolder(String name) {
        return new DriveSettings(credentialsFile, folderName, parentId, rootUrl, chunkSizeBytes, retryAttempts,
                initialBackoff, connectTimeout, readTimeout, Optional.of(name));
    }

    /** The defaults for everything but the credentials file. */
    public static DriveSettings defaults(Path credentialsFile) {
        return new DriveSettings(credentialsFile, DEFAULT_FOLDER, Optional.empty(), Optional.empty(),
                DEFAULT_CHUNK_MB * 1024 * 1024, DEFAULT_RETRY_ATTEMPTS, DEFAULT_INITIAL_BACKOFF,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * Reads and checks the credentials file now (exists, is JSON of a known type), so that a bad one stops a run
     * before any work, and warns when it is readable by group or others.
     *
     * @throws InvalidInputException one line naming the file and what is wrong with it, never a secret
     */
    public void checkCredentials() {
        DriveCredentials.load(credentialsFile).warnIfShared();
    }

    /** For messages: the folder and where it lives. */
    public String describe() {
        return "Google Drive folder '" + folderName + subfolder.map(sub -> "/" + sub).orElse("") + "'"
                + parentId.map(p -> " in " + p).orElse("");
    }

    /** Why {@code id} is no Drive id, worded to follow its name; empty when it is one. */
    public static Optional<String> parentIdProblem(String id) {
        // anything but a Drive id's characters would end up inside a query string
        return DRIVE_ID.matcher(id).matches() ? Optional.empty() : Optional.of("is not a Drive id: '" + id + "'");
    }

    /** Why {@code url} cannot be the Drive API's root URL, worded to follow its name; empty when it can. */
    public static Optional<String> rootUrlProblem(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            return Optional.of("must be an http(s) URL without query, got '" + url + "'");
        }
        if (url.getRawUserInfo() != null) {
            // it would end up in messages; keep secrets out of URLs
            return Optional.of("must not contain a user or password");
        }
        return Optional.empty();
    }
}
