package dev.sqlitebackup.adapters.drive;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.services.drive.DriveScopes;
import com.google.auth.oauth2.ClientId;
import com.google.auth.oauth2.DefaultPKCEProvider;
import com.google.auth.oauth2.UserAuthorizer;
import com.google.auth.oauth2.UserCredentials;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one-time installed-app consent behind {@code sqlite-backup drive-auth}: prints the Google address to open (no
 * browser is assumed), takes the answer on a loopback address (127.0.0.1), exchanges the code for a refresh token
 * (scope drive.file, with PKCE) and writes an {@code authorized_user} credentials file readable by its owner only.
 */
public final class DriveConsent {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    static final String DEFAULT_AUTH_URI = "https://accounts.google.com/o/oauth2/auth";
    static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
    private static final String LOOPBACK = "127.0.0.1";

    private final Duration timeout;
    private final int port;
    private final SecureRandom random = new SecureRandom();

    /** Waits {@link #DEFAULT_TIMEOUT} for the browser, on a free port. */
    public DriveConsent() {
        this(DEFAULT_TIMEOUT, 0);
    }

    /**
     * @param timeout how long to wait for the browser's answer
     * @param port    the loopback port to listen on (0: any free one; a fixed one suits an SSH tunnel)
     */
    public DriveConsent(Duration timeout, int port) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("drive-auth: port must be from 0 to 65535, got " + port);
        }
        this.timeout = timeout;
        this.port = port;
    }

    /**
     * Where drive-auth writes when no --out is given: {@code $XDG_CONFIG_HOME/sqlite-backup/drive-credentials.json},
     * else {@code ~/.config/sqlite-backup/drive-credentials.json}.
     */
    public static Path defaultCredentialsFile(Map<String, String> environment) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("sqlite-backup").resolve("drive-credentials.json");
    }

    /**
     * Runs the consent: prints the address to open on {@code prompt}, waits for the browser to come back to the
     * loopback address, and writes the credentials to {@code out} (mode 0600, replacing an older file). Returns
     * {@code out}.
     *
     * @param clientSecrets the "Desktop app" OAuth client JSON downloaded from the Google Cloud console
     * @throws InvalidInputException a bad client secrets file, consent refused or not given in time
     * @throws BackupFailedException the code exchange or writing the file failed
     */
    public Path authorise(Path clientSecrets, Path out, PrintStream prompt) {
        InstalledClient client = InstalledClient.read(clientSecrets);
        WireLogging.keepSecretsOut();
        HttpTransport transport = new NetHttpTransport();
        String state = token();
        CompletableFuture<String> code = new CompletableFuture<>();
        HttpServer server = listen(state, code);
        try {
            URI redirect = URI.create("http://" + LOOPBACK + ":" + server.getAddress().getPort() + "/");
            UserAuthorizer authorizer = UserAuthorizer.newBuilder()
                    .setClientId(ClientId.of(client.id(), client.secret()))
                    .setScopes(List.of(DriveScopes.DRIVE_FILE))
                    .setCallbackUri(redirect)
                    .setUserAuthUri(client.authUri())
                    .setTokenServerUri(client.tokenUri())
                    .setHttpTransportFactory(() -> transport)
                    .setPKCEProvider(new DefaultPKCEProvider()) // a code caught on the way is useless without it
                    .build();
            String url = authorizer.getAuthorizationUrl(null, state, null).toString();
            prompt.println("Open this address in a browser and allow sqlite-backup to keep its own files in your "
                    + "Google Drive (scope drive.file):");
            prompt.println();
            prompt.println("  " + url);
            prompt.println();
            prompt.println("Waiting for the answer on " + redirect + " (" + human(timeout) + "). If the "
                    + "browser runs on another machine, it will fail to open the " + redirect + "?code=... address: "
                    + "copy that address and run  curl '<address>'  on this machine.");
            prompt.flush();
            String authorisationCode = await(code);
            UserCredentials credentials = exchange(authorizer, authorisationCode, redirect);
            write(out, client, credentials.getRefreshToken());
            prompt.println("Wrote " + out + "."); // the caller says which setting to point at it
            prompt.flush();
            return out;
        } finally {
            server.stop(0);
        }
    }

    private HttpServer listen(String state, CompletableFuture<String> code) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 0);
        } catch (IOException e) {
            throw new InvalidInputException("drive-auth: cannot listen on " + LOOPBACK + ":" + port + " ("
                    + e.getMessage() + ")");
        }
        server.createContext("/", exchange -> answer(exchange, state, code));
        server.start();
        return server;
    }

    /** The browser's redirect: only an answer with our state counts (anything else may be a stray or forged). */
    private static void answer(HttpExchange exchange, String state, CompletableFuture<String> code)
            throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        int status;
        String page;
        Runnable outcome = () -> { };
        if (!"GET".equals(exchange.getRequestMethod()) || !state.equals(query.get("state"))) {
            status = 400;
            page = "This is not the answer sqlite-backup drive-auth is waiting for.";
        } else if (query.containsKey("error")) {
            status = 200;
            page = "Google Drive access was not granted (" + escape(query.get("error"))
                    + "). You can close this tab.";
            outcome = () -> code.completeExceptionally(new InvalidInputException(
                    "drive-auth: Google Drive access was not granted (" + DriveFailure.oneLine(query.get("error"))
                    + ")"));
        } else if (query.get("code") == null || query.get("code").isBlank()) {
            status = 400;
            page = "The answer has no code.";
        } else {
            status = 200;
            page = "sqlite-backup may now use Google Drive. You can close this tab.";
            outcome = () -> code.complete(query.get("code"));
        }
        byte[] body = ("<!doctype html><title>sqlite-backup</title><p>" + page + "</p>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(body);
        }
        outcome.run(); // after the page is sent: the server stops as soon as the flow has its answer
    }

    private String await(CompletableFuture<String> code) {
        try {
            return code.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new InvalidInputException("drive-auth: no answer from the browser within " + human(timeout));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidInputException refused) {
                throw refused;
            }
            throw new BackupFailedException("drive-auth: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailedException("drive-auth: interrupted");
        }
    }

    private static UserCredentials exchange(UserAuthorizer authorizer, String code, URI redirect) {
        UserCredentials credentials;
        try {
            credentials = authorizer.getCredentialsFromCode(code, redirect);
        } catch (IOException e) {
            throw DriveFailure.of(e).toException("exchanging the authorisation code", 0);
        }
        if (credentials.getRefreshToken() == null || credentials.getRefreshToken().isBlank()) {
            throw new BackupFailedException("drive-auth: Google sent no refresh token; remove sqlite-backup's "
                    + "access at myaccount.google.com/permissions and run drive-auth again");
        }
        return credentials;
    }

    /** Writes the file whole or not at all, never readable by others, not even for a moment. */
    private static void write(Path out, InstalledClient client, String refreshToken) {
        JsonObject json = new JsonObject();
        json.addProperty("type", "authorized_user");
        json.addProperty("client_id", client.id());
        json.addProperty("client_secret", client.secret());
        json.addProperty("refresh_token", refreshToken);
        json.addProperty("token_uri", client.tokenUri().toString());
        byte[] bytes = (new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path target = out.toAbsolutePath();
        Path temp = null;
        try {
            Path dir = target.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, posix ? new FileAttribute<?>[] {
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                        : new FileAttribute<?>[0]);
            }
            temp = posix
                    ? Files.createTempFile(dir, ".drive-credentials-", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".drive-credentials-", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new BackupFailedException("drive-auth: cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the move took it, or it is a leftover with mode 0600
                }
            }
        }
    }

    private static String human(Duration duration) {
        return duration.toSeconds() >= 120 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }

    private String token() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The "installed" (Desktop app) OAuth client from a client secrets file. */
    private record InstalledClient(String id, String secret, URI authUri, URI tokenUri) {

        @Override
        public String toString() {
            return "InstalledClient[" + id + ", secret not shown]";
        }

        static InstalledClient read(Path file) {
            String text;
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw invalid(file, "no such file");
            } catch (IOException e) {
                throw invalid(file, "cannot read it (" + e.getClass().getSimpleName() + ")");
            }
            JsonObject installed;
            try {
                JsonElement root = JsonParser.parseString(text);
                if (!root.isJsonObject()) {
                    throw invalid(file, "not a JSON object");
                }
                if (root.getAsJsonObject().has("web")) {
                    throw invalid(file, "a \"web\" OAuth client; drive-auth needs a \"Desktop app\" client");
                }
                JsonElement element = root.getAsJsonObject().get("installed");
                if (element == null || !element.isJsonObject()) {
                    throw invalid(file, "no \"installed\" client (download the JSON of a Desktop app OAuth client)");
                }
                installed = element.getAsJsonObject();
            } catch (JsonParseException e) {
                throw invalid(file, "not JSON");
            }
            String id = string(installed, "client_id").orElseThrow(() -> invalid(file, "no client_id"));
            String secret = string(installed, "client_secret").orElseThrow(() -> invalid(file, "no client_secret"));
            URI auth = uri(file, string(installed, "auth_uri").orElse(DEFAULT_AUTH_URI));
            URI token = uri(file, string(installed, "token_uri").orElse(DEFAULT_TOKEN_URI));
            return new InstalledClient(id, secret, auth, token);
        }

        private static URI uri(Path file, String value) {
            try {
                URI uri = URI.create(value);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException("not absolute");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw invalid(file, "not a URL: '" + DriveFailure.oneLine(value) + "'");
            }
        }

        private static Optional<String> string(JsonObject object, String field) {
            JsonElement value = object.get(field);
            return value != null && value.isJsonPrimitive() && !value.getAsString().isBlank()
                    ? Optional.of(value.getAsString()) : Optional.empty();
        }

        private static InvalidInputException invalid(Path file, String problem) {
            return new InvalidInputException("drive-auth --client-secrets " + file + ": " + problem);
        }
    }
}
