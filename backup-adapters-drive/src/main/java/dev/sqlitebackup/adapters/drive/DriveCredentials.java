package dev.sqlitebackup.adapters.drive;

import com.google.api.services.drive.DriveScopes;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.sqlitebackup.domain.model.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A credentials file: an {@code authorized_user} file (client id, client secret, refresh token, optional
 * {@code token_uri}; what drive-auth writes) or a {@code service_account} file (for a Workspace shared drive). Its
 * secrets never leave this object except into the Google library; {@link #toString()} names only the kind and file.
 */
final class DriveCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(DriveCredentials.class);
    private static final long MAX_SIZE = 1 << 20;
    private static final Set<PosixFilePermission> SHARED = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    enum Kind {
        AUTHORIZED_USER("authorized_user", List.of("client_id", "client_secret", "refresh_token")),
        SERVICE_ACCOUNT("service_account", List.of("client_email", "private_key"));

        final String type;
        final List<String> required;

        Kind(String type, List<String> required) {
            this.type = type;
            this.required = required;
        }
    }

    private final Path file;
    private final Kind kind;
    private final byte[] json;

    private DriveCredentials(Path file, Kind kind, byte[] json) {
        this.file = file;
        this.kind = kind;
        this.json = json;
    }

    /**
     * Reads and checks a credentials file.
     *
     * @throws InvalidInputException e.g. "/x.json: not JSON" (the caller names the setting)
     */
    static DriveCredentials load(Path file) {
        byte[] bytes = read(file);
        JsonObject object;
        try {
            JsonElement element = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!element.isJsonObject()) {
                throw invalid(file, "not a JSON object");
            }
            object = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw invalid(file, "not JSON");
        }
        String type = string(object, "type").orElseThrow(() -> invalid(file,
                "no \"type\" (expected authorized_user or service_account)"));
        Kind kind = List.of(Kind.values()).stream().filter(k -> k.type.equals(type)).findFirst()
                .orElseThrow(() -> invalid(file, "unknown credentials type '" + DriveFailure.oneLine(type)
                        + "' (expected authorized_user or service_account)"));
        for (String field : kind.required) {
            if (string(object, field).isEmpty()) {
                throw invalid(file, kind.type + " file without \"" + field + "\"");
            }
        }
        DriveCredentials credentials = new DriveCredentials(file, kind, bytes);
        try {
            credentials.google(() -> {
                throw new IllegalStateException("no token requests while checking the file");
            });
        } catch (IOException | RuntimeException e) {
            throw invalid(file, "not a usable " + kind.type + " file (" + e.getClass().getSimpleName() + ")");
        }
        return credentials;
    }

    Kind kind() {
        return kind;
    }

    /** Logs a warning when others than the owner may read (or write) the file. */
    void warnIfShared() {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (permissions.stream().anyMatch(SHARED::contains)) {
                LOG.warn("Drive credentials file {} is readable by group or others; it holds a secret: chmod 600 it",
                        file);
            }
        } catch (IOException e) {
            LOG.debug("cannot read the permissions of {}: {}", file, e.toString());
        }
    }

    /**
     * The Google library's credentials, fetching tokens through {@code transport} from the file's token_uri (the
     * library's default when the file has none). A service account asks for full Drive scope: it sees only what was
     * shared with it, and it must reach a shared drive folder that it did not create.
     */
    GoogleCredentials google(HttpTransportFactory transport) throws IOException {
        return switch (kind) {
            case AUTHORIZED_USER -> UserCredentials.fromStream(new ByteArrayInputStream(json), transport);
            case SERVICE_ACCOUNT -> ServiceAccountCredentials.fromStream(new ByteArrayInputStream(json), transport)
                    .createScoped(List.of(DriveScopes.DRIVE));
        };
    }

    @Override
    public String toString() {
        return "DriveCredentials[" + kind.type + " from " + file + ", secrets not shown]";
    }

    private static byte[] read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw invalid(file, "is a directory, not a credentials file");
            }
            if (Files.size(file) > MAX_SIZE) {
                throw invalid(file, "too large for a credentials file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw invalid(file, "no such file");
        } catch (IOException e) {
            throw invalid(file, "cannot read it (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Optional<String> string(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                && !value.getAsString().isBlank() ? Optional.of(value.getAsString()) : Optional.empty();
    }

    private static InvalidInputException invalid(Path file, String problem) {
        return new InvalidInputException(file + ": " + problem);
    }
}
