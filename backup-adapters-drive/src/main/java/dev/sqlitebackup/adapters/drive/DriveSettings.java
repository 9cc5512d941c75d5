package dev.sqlitebackup.adapters.drive;

import dev.sqlitebackup.domain.model.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
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
 */
public record DriveSettings(Path credentialsFile, String folderName, Optional<String> parentId,
        Optional<URI> rootUrl, int chunkSizeBytes, int retryAttempts, Duration initialBackoff,
        Duration connectTimeout, Duration readTimeout) {

    public static final String CREDENTIALS = "GOOGLE_DRIVE_CREDENTIALS";
    public static final String ENABLED = "DRIVE_ENABLED";
    public static final String FOLDER = "DRIVE_FOLDER";
    public static final String PARENT_ID = "DRIVE_PARENT_ID";
    public static final String ROOT_URL = "DRIVE_ROOT_URL";
    public static final String CHUNK_MB = "DRIVE_CHUNK_MB";

    public static final String DEFAULT_FOLDER = "SQLite Backups";
    /** Drive wants every chunk but the last to be a multiple of this. */
    public static final int CHUNK_GRANULARITY = 256 * 1024;
    public static final int DEFAULT_CHUNK_MB = 8;
    static final int MAX_CHUNK_MB = 1024;
    public static final int DEFAULT_RETRY_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    // Drive ids are URL-safe base64-ish; anything else would end up inside a query string.
    private static final Pattern DRIVE_ID = Pattern.compile("[A-Za-z0-9_-]{1,200}");

    public DriveSettings {
        Objects.requireNonNull(credentialsFile, "credentialsFile");
        Objects.requireNonNull(folderName, "folderName");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(rootUrl, "rootUrl");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (folderName.isBlank()) {
            throw new InvalidInputException(FOLDER + " must not be blank");
        }
        parentId.ifPresent(id -> {
            if (!DRIVE_ID.matcher(id).matches()) {
                throw new InvalidInputException(PARENT_ID + " is not a Drive id: '" + id + "'");
            }
        });
        rootUrl = rootUrl.map(DriveSettings::checkedRootUrl);
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

    /** The defaults for everything but the credentials file. */
    public static DriveSettings defaults(Path credentialsFile) {
        return new DriveSettings(credentialsFile, DEFAULT_FOLDER, Optional.empty(), Optional.empty(),
                DEFAULT_CHUNK_MB * 1024 * 1024, DEFAULT_RETRY_ATTEMPTS, DEFAULT_INITIAL_BACKOFF,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * Reads the Drive variables from the merged configuration. Empty when off-site copies are off: no
     * {@value #CREDENTIALS}, or {@value #ENABLED}{@code =false}. Blank values count as unset. Checks the credentials
     * file now (exists, is JSON of a known type) so that a bad one stops the run before any work, and warns when it
     * is readable by group or others.
     *
     * @throws InvalidInputException one line naming the variable, for a bad value or a bad credentials file
     */
    public static Optional<DriveSettings> fromConfig(Map<String, String> config) {
        Optional<Boolean> enabled = value(config, ENABLED).map(DriveSettings::parseBoolean);
        Optional<String> credentials = value(config, CREDENTIALS);
        if (enabled.isPresent() && !enabled.get()) {
            return Optional.empty();
        }
        if (credentials.isEmpty()) {
            if (enabled.isPresent()) {
                throw new InvalidInputException(ENABLED + " is true but " + CREDENTIALS
                        + " is not set (run drive-auth to make a credentials file)");
            }
            return Optional.empty();
        }
        Path credentialsFile;
        try {
            credentialsFile = Path.of(credentials.get());
        } catch (InvalidPathException e) {
            throw new InvalidInputException(CREDENTIALS + " is not a path: '" + credentials.get() + "'");
        }
        DriveCredentials.load(credentialsFile).warnIfShared(); // fail now, not at the first upload

        DriveSettings defaults = defaults(credentialsFile);
        String folder = value(config, FOLDER).orElse(DEFAULT_FOLDER);
        Optional<String> parent = value(config, PARENT_ID);
        Optional<URI> root = value(config, ROOT_URL).map(DriveSettings::parseRootUrl);
        int chunk = value(config, CHUNK_MB).map(DriveSettings::parseChunkMb).orElse(DEFAULT_CHUNK_MB) * 1024 * 1024;
        return Optional.of(new DriveSettings(credentialsFile, folder, parent, root, chunk,
                defaults.retryAttempts(), defaults.initialBackoff(), defaults.connectTimeout(),
                defaults.readTimeout()));
    }

    /** For messages: the folder and where it lives. */
    public String describe() {
        return "Google Drive folder '" + folderName + "'" + parentId.map(p -> " in " + p).orElse("");
    }

    private static Optional<String> value(Map<String, String> config, String name) {
        return Optional.ofNullable(config.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new InvalidInputException(ENABLED + " must be true or false, got '" + value + "'");
        };
    }

    private static int parseChunkMb(String value) {
        int mb;
        try {
            mb = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            mb = -1;
        }
        if (mb < 1 || mb > MAX_CHUNK_MB) {
            throw new InvalidInputException(CHUNK_MB + " must be a whole number of MiB from 1 to " + MAX_CHUNK_MB
                    + ", got '" + value + "'");
        }
        return mb;
    }

    private static URI parseRootUrl(String value) {
        try {
            return checkedRootUrl(new URI(value));
        } catch (URISyntaxException e) {
            throw new InvalidInputException(ROOT_URL + " is not a URL: '" + value + "'");
        }
    }

    private static URI checkedRootUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new InvalidInputException(ROOT_URL + " must be an http(s) URL without query, got '" + url + "'");
        }
        if (url.getRawUserInfo() != null) {
            // it would end up in messages; keep secrets out of URLs
            throw new InvalidInputException(ROOT_URL + " must not contain a user or password");
        }
        // The client appends "drive/v3/..." to the root: it must end with a slash.
        return url.toString().endsWith("/") ? url : URI.create(url + "/");
    }
}
