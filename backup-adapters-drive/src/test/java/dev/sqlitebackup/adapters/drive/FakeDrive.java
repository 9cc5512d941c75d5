package dev.sqlitebackup.adapters.drive;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A Google Drive (API v3) and Google OAuth token endpoint that speaks the real protocol, on a loopback port, serving
 * at the host root the way {@code https://www.googleapis.com/} does: the token endpoint (refresh, authorization code
 * with PKCE, service account JWT grants), files.list with a real {@code q} and paging, files.create, files.get (with
 * {@code alt=media}), files.delete, and resumable uploads (POST for a session, PUT chunks with Content-Range, 308
 * with Range, the {@code bytes *}{@code /total} status query), also of a size not known in advance (no
 * X-Upload-Content-Length; {@code bytes a-b/*} until the last chunk states the total, {@code bytes *}{@code /*} to
 * ask). Like Drive it sends int64 fields as JSON strings,
 * accepts gzip request bodies, wants every chunk but the last in multiples of 256 KiB, demands a valid Bearer token
 * on every API call, and answers {@code fields} with just those fields. Faults can be injected per request kind.
 */
public final class FakeDrive implements AutoCloseable {

    public static final String CLIENT_ID = "fake-client-id.apps.googleusercontent.com";
    public static final String ROOT_ID = "0AFakeRootFolderId";
    public static final int CHUNK_GRANULARITY = 256 * 1024;
    /** Uploads up to this size are kept in an array of the announced size, larger ones in a temp file. */
    public static final long IN_MEMORY_LIMIT = 64L * 1024 * 1024;
    private static final String FOLDER_MIME = "application/vnd.google-apps.folder";
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    /** A chunk: its first and last byte, and the total ({@code *} while the uploader does not know it yet). */
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern STATUS_RANGE = Pattern.compile("bytes \\*/(\\d+|\\*)");
    /** The total of an upload whose size is not known (yet). */
    private static final long UNKNOWN = -1;

    /** What a request can be made to suffer. */
    public enum Fault {
        /** 503 backendError; Drive keeps the first half of a chunk (rounded down to 256 KiB). */
        SERVER_ERROR,
        /** 429 rateLimitExceeded with Retry-After (seconds, see {@link #retryAfterSeconds}); nothing kept. */
        TOO_MANY_REQUESTS,
        /** 403 userRateLimitExceeded; nothing kept. */
        RATE_LIMIT_403,
        /** The connection drops mid-request without an answer; Drive keeps the first 256 KiB of a chunk. */
        RESET,
        /** Drive takes the whole chunk, then answers later than the client waits. */
        STALL,
        /** The upload session is gone: 404. */
        SESSION_GONE,
        /** Drive takes the whole chunk (and makes the file if it was the last), then the answer is lost. */
        ANSWER_LOST,
        /** 403 storageQuotaExceeded. */
        QUOTA_EXCEEDED,
        /** The file is stored with one byte flipped (so its md5 differs), or served that way when downloaded. */
        CORRUPT,
        /** 400 badRequest whose message echoes the request's Authorization header (the bearer token). */
        ECHO_AUTHORIZATION
    }

    /** The kinds of request faults can be aimed at (chunks have their own, counted, schedule). */
    public enum Op { START_UPLOAD, LIST, CREATE, GET, DOWNLOAD, DELETE }

    /** A file or folder on the fake Drive. */
    public static final class FakeFile {
        public final String id;
        public final String name;
        public final String mimeType;
        public final List<String> parents;
        public final Map<String, String> appProperties;
        public final Instant createdTime;
        /**
         * The file's bytes; null for a folder, and for an upload of more than {@link #IN_MEMORY_LIMIT} bytes, which
         * lives in a temp file (see {@link #size()} and {@link #bytes()}).
         */
        public final byte[] content;
        private final Stored stored;

        FakeFile(String id, String name, String mimeType, List<String> parents, Map<String, String> appProperties,
                Instant createdTime, Stored stored) {
            this.id = id;
            this.name = name;
            this.mimeType = mimeType;
            this.parents = List.copyOf(parents);
            this.appProperties = Map.copyOf(appProperties);
            this.createdTime = createdTime;
            this.stored = stored;
            this.content = stored == null ? null : stored.array;
        }

        public boolean isFolder() {
            return FOLDER_MIME.equals(mimeType);
        }

        /** Drive's md5Checksum: worked out as the bytes arrived, not again for every answer. */
        public String md5() {
            return stored == null ? null : stored.md5();
        }

        public long size() {
            return stored == null ? 0 : stored.size;
        }

        /** The bytes, wherever they are kept. */
        public byte[] bytes() throws IOException {
            if (stored == null) {
                return null;
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            stored.writeTo(out, false);
            return out.toByteArray();
        }
    }

    /**
     * The bytes of an upload as they arrive, then of the file: in an array of the announced size when that is at
     * most {@link #IN_MEMORY_LIMIT}, else appended to a temp file, so an upload costs no more memory than a chunk or
     * two; the MD5 follows the bytes as they are appended, on another thread (as Drive's servers would not make a
     * client wait for it), at most one chunk behind, and is complete before it is reported.
     */
    private final class Stored {
        byte[] array;
        private Path spill;
        private FileChannel channel;
        long size;
        private MessageDigest md5 = newDigest("MD5");
        /** Appended bytes still to go into the MD5: at most two chunks' worth are held. */
        private final java.util.concurrent.Semaphore pending = new java.util.concurrent.Semaphore(2);
        private java.util.concurrent.CompletableFuture<Void> digested =
                java.util.concurrent.CompletableFuture.completedFuture(null);
        private String md5Hex;

        /** An upload of a size not known in advance: an array that grows up to {@link #IN_MEMORY_LIMIT}. */
        private final boolean growing;

        /** Room for {@code expected} bytes ({@link #UNKNOWN}: not known). */
        Stored(long expected) {
            growing = expected < 0;
            if (expected >= 0 && expected <= IN_MEMORY_LIMIT) {
                array = new byte[(int) expected];
            } else if (growing) {
                array = new byte[CHUNK_GRANULARITY];
            }
        }

        /** A file put there whole. */
        Stored(byte[] content) {
            array = content;
            size = content.length;
            md5 = null;
            growing = false;
        }

        void append(byte[] data, int offset, int length) throws IOException {
            if (md5Hex != null) {
                throw new IllegalStateException("a finished file takes no more bytes");
            }
            if (array != null && growing && size + length > array.length && size + length <= IN_MEMORY_LIMIT) {
                array = Arrays.copyOf(array, (int) Math.min(IN_MEMORY_LIMIT, Math.max(size + length,
                        2L * array.length)));
            }
            if (array != null && size + length > array.length) {
                spill(); // more than announced (or than memory takes): keep what Drive would
            }
            if (array != null) {
                System.arraycopy(data, offset, array, (int) size, length);
            } else {
                if (channel == null) {
                    spill();
                }
                ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, size + buffer.position() - offset);
                }
            }
            // the caller hands `data` over: nothing writes to it any more
            pending.acquireUninterruptibly();
            MessageDigest digest = md5;
            digested = digested.thenRunAsync(() -> {
                digest.update(data, offset, length);
                pending.release();
            }, md5Executor);
            size += length;
        }

        private void spill() throws IOException {
            spill = Files.createTempFile(spillDir(), "upload-", ".bin");
            channel = FileChannel.open(spill, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (array != null) {
                channel.write(ByteBuffer.wrap(array, 0, (int) size), 0);
                array = null;
            }
        }

        /** The bytes are complete: from now on this is a file (arrays of an unexpected size are trimmed). */
        void seal() {
            if (array != null && array.length != size) {
                array = Arrays.copyOf(array, (int) size);
            }
            md5();
        }

        synchronized String md5() {
            if (md5Hex == null) {
                md5Hex = md5 == null ? hex("MD5", array) : HexFormat.of().formatHex(digested.thenApply(
                        done -> md5.digest()).join());
            }
            return md5Hex;
        }

        /** One byte flips, as when storage rots or a transfer garbles it; the md5 follows the stored bytes. */
        synchronized void flip(long at) throws IOException {
            if (array != null) {
                array[(int) at] ^= 0x5a;
                md5Hex = hex("MD5", array);
                return;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
            channel.write(one, at);
            MessageDigest again = newDigest("MD5");
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (long position = 0; position < size; position += buffer.limit()) {
                buffer.clear();
                channel.read(buffer, position);
                buffer.flip();
                again.update(buffer);
            }
            md5Hex = HexFormat.of().formatHex(again.digest());
        }

        /** Sends the bytes, the one in the middle flipped when {@code corrupt}. */
        void writeTo(java.io.OutputStream out, boolean corrupt) throws IOException {
            long middle = corrupt && size > 0 ? size / 2 : -1;
            if (array != null) {
                byte[] content = middle < 0 ? array : array.clone();
                if (middle >= 0) {
                    content[(int) middle] ^= 0x5a;
                }
                out.write(content);
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (long position = 0; position < size; ) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read <= 0) {
                    throw new IOException("stored bytes of " + spill + " are shorter than " + size);
                }
                if (middle >= position && middle < position + read) {
                    buffer.put((int) (middle - position), (byte) (buffer.get((int) (middle - position)) ^ 0x5a));
                }
                out.write(buffer.array(), 0, read);
                position += read;
            }
        }

        void discard() {
            if (spill != null) {
                try {
                    channel.close();
                    Files.deleteIfExists(spill);
                } catch (IOException e) {
                    // a temp file left behind: the folder goes at close()
                }
            }
        }
    }

    private final class Session {
        final JsonObject metadata;
        /** The size announced when the session started, or by a chunk since; {@link #UNKNOWN} until then. */
        long total;
        final String fields;
        final Stored received;
        /** Bytes sent after the file was complete: counted as Drive does, but the file does not change. */
        long afterEnd;
        String fileId;

        Session(JsonObject metadata, long total, String fields) {
            this.metadata = metadata;
            this.total = total;
            this.fields = fields;
            this.received = new Stored(total);
        }

        long size() {
            return received.size + afterEnd;
        }

        void append(byte[] data, int offset, int length) throws IOException {
            if (fileId != null) {
                afterEnd += length;
            } else {
                received.append(data, offset, length);
            }
        }
    }

    private record PendingCode(String redirectUri, String challenge) {
    }

    /** Dropping the connection without an answer. */
    private static final class DropConnection extends IOException {
        private static final long serialVersionUID = 1L;

        DropConnection() {
            super("injected: connection dropped");
        }
    }

    public final String clientSecret = "fake-client-secret-" + UUID.randomUUID();
    public final String refreshToken = "1//fake-refresh-token-" + UUID.randomUUID();
    public volatile int retryAfterSeconds = 2;
    public volatile long stallMillis = 1500;
    /** How long Drive waits before reading each data-carrying chunk, as over a slow link (0: no wait). */
    public volatile long chunkDelayMillis;
    public volatile boolean denyConsent;
    /** The token endpoint refuses every request with 400, echoing the form it was sent (client secret and all). */
    public volatile boolean echoTokenRequests;
    /**
     * Where uploads over {@link #IN_MEMORY_LIMIT} are kept, in a folder of their own made at the first of them
     * (null: the system's temp folder). A benchmark may point it at a RAM disk, so that the fake's storage does not
     * weigh on the client being measured.
     */
    public volatile Path storageDirectory;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-drive");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService md5Executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-drive-md5");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, FakeFile> files = new LinkedHashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, PendingCode> codes = new HashMap<>();
    private final Map<Op, Deque<Fault>> faults = new EnumMap<>(Op.class);
    private final Map<Integer, Fault> chunkFaults = new HashMap<>();
    private final Set<String> knownParents = ConcurrentHashMap.newKeySet();
    private final List<String> deleted = new CopyOnWriteArrayList<>();
    private final List<String> chunkFraming = new CopyOnWriteArrayList<>();
    private int chunkPuts;
    private int nextId;
    private int corruptNextUploads;
    private Path spillDir;
    private Instant clock = Instant.parse("2026-01-01T00:00:00Z");
    private volatile String serviceAccountEmail;
    private volatile PublicKey serviceAccountKey;

    public FakeDrive() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        knownParents.add(ROOT_ID);
    }

    /** What a client sets as the API root URL. */
    public URI rootUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /**
     * Writes what {@code drive-auth} would for this fake: an owner-only authorized_user credentials file whose
     * token endpoint is the fake's {@code /token}.
     */
    public Path writeUserCredentials(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, """
                {"type": "authorized_user", "client_id": "%s", "client_secret": "%s", "refresh_token": "%s",
                 "token_uri": "%s"}
                """.formatted(CLIENT_ID, clientSecret, refreshToken, tokenUri()));
        return file;
    }

    public URI tokenUri() {
        return rootUrl().resolve("token");
    }

    public URI authUri() {
        return rootUrl().resolve("o/oauth2/auth");
    }

    /** Accepts JWT grants signed with this key for this service account. */
    public void trustServiceAccount(String email, PublicKey key) {
        serviceAccountEmail = email;
        serviceAccountKey = key;
    }

    // ---- faults

    /** The {@code n}-th chunk (data-carrying PUT) from now on (1 = the next) meets {@code fault}. */
    public synchronized void failChunk(int n, Fault fault) {
        chunkFaults.put(chunkPuts + n, fault);
    }

    /** The next request of kind {@code op} meets {@code fault}; call again to queue more. */
    public synchronized void failNext(Op op, Fault fault) {
        faults.computeIfAbsent(op, o -> new ArrayDeque<>()).add(fault);
    }

    /** The next {@code n} finished uploads are stored with a flipped byte. */
    public synchronized void corruptNextUploads(int n) {
        corruptNextUploads = n;
    }

    /**
     * One byte of the stored file {@code id} flips, as when storage rots: Drive's md5 now describes the damaged
     * bytes, while the SHA-256 the uploader tagged it with still describes the original.
     */
    public synchronized void damageStored(String id) {
        FakeFile file = files.get(id);
        if (file == null || file.stored == null || file.stored.size == 0) {
            throw new IllegalArgumentException("no stored bytes to damage for " + id);
        }
        try {
            file.stored.flip(file.stored.size / 2);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every access token handed out so far stops working (as when they expire). */
    public void expireAccessTokens() {
        validTokens.clear();
    }

    // ---- what happened

    public List<String> issuedAccessTokens() {
        return List.copyOf(issuedTokens);
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public long count(String requestPrefix) {
        return requests.stream().filter(r -> r.startsWith(requestPrefix)).count();
    }

    /**
     * How each data-carrying chunk came framed, e.g.
     * {@code "Content-Length=262144 Content-Encoding=- Transfer-Encoding=-"}: media should come as is, with its length announced.
     */
    public List<String> chunkFraming() {
        return List.copyOf(chunkFraming);
    }

    public List<String> deletedIds() {
        return List.copyOf(deleted);
    }

    public synchronized List<FakeFile> files() {
        return List.copyOf(files.values());
    }

    public synchronized List<FakeFile> named(String name) {
        return files.values().stream().filter(f -> f.name.equals(name)).toList();
    }

    public synchronized List<FakeFile> childrenOf(String parentId) {
        return files.values().stream().filter(f -> f.parents.contains(parentId)).toList();
    }

    /** Puts a file there directly, as another app or a person would. */
    public synchronized FakeFile put(String name, String mimeType, String parentId, Map<String, String> appProperties,
            byte[] content) {
        FakeFile file = new FakeFile(newId(), name, mimeType, List.of(parentId), appProperties, tick(),
                content == null ? null : new Stored(content));
        files.put(file.id, file);
        if (file.isFolder()) {
            knownParents.add(file.id);
        }
        return file;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        md5Executor.shutdownNow();
        synchronized (this) {
            sessions.values().forEach(s -> s.received.discard());
            files.values().forEach(f -> {
                if (f.stored != null) {
                    f.stored.discard();
                }
            });
            if (spillDir != null) {
                try (var left = Files.list(spillDir)) {
                    for (Path p : left.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(spillDir);
                } catch (IOException e) {
                    // only temp files
                }
            }
        }
    }

    /** Where uploads too large for memory are kept, made at the first of them. */
    private synchronized Path spillDir() throws IOException {
        if (spillDir == null) {
            Path parent = storageDirectory;
            spillDir = parent == null ? Files.createTempDirectory("fake-drive-")
                    : Files.createTempDirectory(parent, "fake-drive-");
        }
        return spillDir;
    }

    // ---- dispatch

    /** Requests being answered now. */
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * Waits until no request is being answered (up to {@code patience}): a client killed after its last chunk was in
     * the socket still completes its upload here, a moment later, as a real server would.
     *
     * @return whether the server was idle in time
     */
    public boolean awaitIdle(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            dispatch(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String range = exchange.getRequestHeaders().getFirst("Content-Range");
            requests.add(method + " " + path + (range == null ? "" : " " + range));
            if (method.equals("POST") && path.equals("/token")) {
                token(exchange);
            } else if (method.equals("GET") && path.equals("/o/oauth2/auth")) {
                consentScreen(exchange, query);
            } else if (!authorised(exchange)) {
                error(exchange, 401, "authError", "Request had invalid authentication credentials.");
            } else if (path.equals("/drive/v3/files")) {
                switch (method) {
                    case "GET" -> list(exchange, query);
                    case "POST" -> create(exchange, query);
                    default -> error(exchange, 405, "methodNotAllowed", "Method not allowed");
                }
            } else if (path.startsWith("/download/drive/v3/files/") && method.equals("GET")) {
                get(exchange, path.substring("/download/drive/v3/files/".length()), query); // media, as the client asks
            } else if (path.startsWith("/drive/v3/files/")) {
                String id = path.substring("/drive/v3/files/".length());
                switch (method) {
                    case "GET" -> get(exchange, id, query);
                    case "DELETE" -> delete(exchange, id);
                    default -> error(exchange, 405, "methodNotAllowed", "Method not allowed");
                }
            } else if (path.equals("/upload/drive/v3/files")) {
                switch (method) {
                    case "POST" -> startUpload(exchange, query);
                    case "PUT" -> chunk(exchange, query, range);
                    default -> error(exchange, 405, "methodNotAllowed", "Method not allowed");
                }
            } else {
                error(exchange, 404, "notFound", "Not Found");
            }
        }
    }

    private boolean authorised(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        boolean ok = header != null && header.startsWith("Bearer ") && validTokens.contains(header.substring(7));
        if (!ok) {
            exchange.getResponseHeaders().set("WWW-Authenticate",
                    "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
        }
        return ok;
    }

    // ---- OAuth

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = query(new String(body(exchange), StandardCharsets.UTF_8));
        if (echoTokenRequests) {
            StringJoiner echoed = new StringJoiner("&");
            form.forEach((k, v) -> echoed.add(k + "=" + v));
            oauthError(exchange, 400, "invalid_request", "cannot process " + echoed);
            return;
        }
        String grant = form.getOrDefault("grant_type", "");
        switch (grant) {
            case "refresh_token" -> {
                if (!clientOk(form)) {
                    oauthError(exchange, 401, "invalid_client", "The OAuth client was not found.");
                } else if (!refreshToken.equals(form.get("refresh_token"))) {
                    oauthError(exchange, 400, "invalid_grant", "Token has been expired or revoked.");
                } else {
                    json(exchange, 200, tokenResponse(false));
                }
            }
            case "authorization_code" -> {
                PendingCode pending;
                synchronized (this) {
                    pending = codes.remove(form.getOrDefault("code", ""));
                }
                if (!clientOk(form)) {
                    oauthError(exchange, 401, "invalid_client", "The OAuth client was not found.");
                } else if (pending == null || !pending.redirectUri().equals(form.get("redirect_uri"))) {
                    oauthError(exchange, 400, "invalid_grant", "Malformed auth code.");
                } else if (form.get("code_verifier") == null || !pending.challenge().equals(Base64.getUrlEncoder()
                        .withoutPadding().encodeToString(digest("SHA-256",
                                form.get("code_verifier").getBytes(StandardCharsets.US_ASCII))))) {
                    oauthError(exchange, 400, "invalid_grant", "Invalid code verifier.");
                } else {
                    json(exchange, 200, tokenResponse(true));
                }
            }
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> {
                if (jwtOk(form.get("assertion"))) {
                    json(exchange, 200, tokenResponse(false));
                } else {
                    oauthError(exchange, 400, "invalid_grant", "Invalid JWT Signature.");
                }
            }
            default -> oauthError(exchange, 400, "unsupported_grant_type", "Invalid grant_type: " + grant);
        }
    }

    private boolean clientOk(Map<String, String> form) {
        return CLIENT_ID.equals(form.get("client_id")) && clientSecret.equals(form.get("client_secret"));
    }

    private JsonObject tokenResponse(boolean withRefreshToken) {
        String token = "ya29.fake-access-" + UUID.randomUUID();
        issuedTokens.add(token);
        validTokens.add(token);
        JsonObject response = new JsonObject();
        response.addProperty("access_token", token);
        response.addProperty("expires_in", 3599);
        response.addProperty("token_type", "Bearer");
        response.addProperty("scope", "https://www.googleapis.com/auth/drive.file");
        if (withRefreshToken) {
            response.addProperty("refresh_token", refreshToken);
        }
        return response;
    }

    private boolean jwtOk(String assertion) {
        if (assertion == null || serviceAccountKey == null) {
            return false;
        }
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(serviceAccountKey);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonObject claims = JsonParser.parseString(new String(Base64.getUrlDecoder().decode(parts[1]),
                    StandardCharsets.UTF_8)).getAsJsonObject();
            return serviceAccountEmail.equals(claims.get("iss").getAsString())
                    // the library signs for Google's token endpoint whatever token_uri says, and Google takes that
                    && Set.of(tokenUri().toString(), "https://oauth2.googleapis.com/token")
                            .contains(claims.get("aud").getAsString())
                    && claims.get("scope").getAsString().contains("https://www.googleapis.com/auth/drive");
        } catch (Exception e) {
            return false;
        }
    }

    /** Google's consent screen, reduced to its answer: back to the redirect URI with a code (or a refusal). */
    private void consentScreen(HttpExchange exchange, Map<String, String> query) throws IOException {
        String redirect = query.get("redirect_uri");
        if (!CLIENT_ID.equals(query.get("client_id")) || redirect == null || !"code".equals(query.get("response_type"))
                || !"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null) {
            error(exchange, 400, "invalid_request", "bad authorization request");
            return;
        }
        String answer;
        if (denyConsent) {
            answer = "error=access_denied";
        } else {
            String code = "4/fake-code-" + UUID.randomUUID();
            synchronized (this) {
                codes.put(code, new PendingCode(redirect, query.get("code_challenge")));
            }
            answer = "code=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&scope="
                    + URLEncoder.encode(query.getOrDefault("scope", ""), StandardCharsets.UTF_8);
        }
        String state = query.get("state") == null ? ""
                : "&state=" + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Location", redirect + (redirect.contains("?") ? "&" : "?") + answer + state);
        exchange.sendResponseHeaders(302, -1);
    }

    // ---- files

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (fault(Op.LIST, exchange)) {
            return;
        }
        Predicate<FakeFile> filter;
        try {
            filter = query.containsKey("q") ? new Query(query.get("q")).parse() : f -> true;
        } catch (IllegalArgumentException e) {
            error(exchange, 400, "invalid", "Invalid Value: " + e.getMessage());
            return;
        }
        String orderBy = query.get("orderBy");
        if (orderBy != null && !orderBy.equals("createdTime")) {
            error(exchange, 400, "invalid", "Invalid Value: orderBy (this fake knows only createdTime)");
            return;
        }
        int pageSize = Math.max(1, Math.min(1000, Integer.parseInt(query.getOrDefault("pageSize", "100"))));
        int from = query.containsKey("pageToken") ? Integer.parseInt(query.get("pageToken").substring(5)) : 0;
        List<FakeFile> matching;
        synchronized (this) {
            matching = new ArrayList<>(files.values().stream().filter(filter).toList());
        }
        matching.sort(Comparator.comparing(f -> f.createdTime));
        List<FakeFile> page = matching.subList(Math.min(from, matching.size()),
                Math.min(from + pageSize, matching.size()));
        String fields = query.get("fields");
        String fileFields = fields == null ? null : innerFields(fields, "files");
        JsonObject response = new JsonObject();
        if (fields == null) {
            response.addProperty("kind", "drive#fileList");
            response.addProperty("incompleteSearch", false);
        }
        if (from + pageSize < matching.size() && (fields == null || fields.contains("nextPageToken"))) {
            response.addProperty("nextPageToken", "page-" + (from + pageSize));
        }
        if (fields == null || fileFields != null || fields.contains("files")) {
            JsonArray array = new JsonArray();
            page.forEach(f -> array.add(project(f, fileFields)));
            response.add("files", array);
        }
        json(exchange, 200, response);
    }

    private void create(HttpExchange exchange, Map<String, String> query) throws IOException {
        boolean answerLost;
        synchronized (this) {
            Deque<Fault> queue = faults.get(Op.CREATE);
            answerLost = queue != null && queue.peek() == Fault.ANSWER_LOST && queue.poll() != null;
        }
        if (!answerLost && fault(Op.CREATE, exchange)) {
            return;
        }
        JsonObject metadata = JsonParser.parseString(new String(body(exchange), StandardCharsets.UTF_8))
                .getAsJsonObject();
        FakeFile file = newFile(metadata, null);
        if (file == null) {
            error(exchange, 404, "notFound", "File not found: parent.");
            return;
        }
        if (answerLost) {
            throw new DropConnection(); // made, but the client never hears of it
        }
        json(exchange, 200, project(file, query.get("fields")));
    }

    private void get(HttpExchange exchange, String id, Map<String, String> query) throws IOException {
        boolean media = "media".equals(query.get("alt"));
        if (fault(media ? Op.DOWNLOAD : Op.GET, exchange)) {
            return;
        }
        FakeFile file;
        synchronized (this) {
            file = files.get(id);
        }
        if (file == null) {
            error(exchange, 404, "notFound", "File not found: " + id + ".");
        } else if (!media) {
            json(exchange, 200, project(file, query.get("fields")));
        } else if (file.isFolder()) {
            error(exchange, 403, "fileNotDownloadable", "Only files with binary content can be downloaded.");
        } else {
            Fault fault;
            synchronized (this) {
                Deque<Fault> queue = faults.get(Op.DOWNLOAD);
                fault = queue != null && queue.peek() == Fault.CORRUPT ? queue.poll() : null;
            }
            long size = file.size();
            exchange.getResponseHeaders().set("Content-Type", file.mimeType);
            exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
            if (file.stored != null) {
                file.stored.writeTo(exchange.getResponseBody(), fault == Fault.CORRUPT);
            }
        }
    }

    private void delete(HttpExchange exchange, String id) throws IOException {
        if (fault(Op.DELETE, exchange)) {
            return;
        }
        FakeFile removed;
        synchronized (this) {
            removed = files.remove(id);
        }
        if (removed == null) {
            error(exchange, 404, "notFound", "File not found: " + id + ".");
            return;
        }
        if (removed.stored != null) {
            removed.stored.discard();
        }
        deleted.add(id);
        exchange.sendResponseHeaders(204, -1);
    }

    // ---- resumable upload

    private void startUpload(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (!"resumable".equals(query.get("uploadType"))) {
            error(exchange, 400, "badRequest", "This fake takes only uploadType=resumable");
            return;
        }
        if (fault(Op.START_UPLOAD, exchange)) {
            return;
        }
        JsonObject metadata = JsonParser.parseString(new String(body(exchange), StandardCharsets.UTF_8))
                .getAsJsonObject();
        if (!parentsExist(metadata)) {
            error(exchange, 404, "notFound", "File not found: parent.");
            return;
        }
        String length = exchange.getRequestHeaders().getFirst("X-Upload-Content-Length");
        String uploadId = "fake-upload-" + UUID.randomUUID();
        synchronized (this) {
            sessions.put(uploadId, new Session(metadata, length == null ? -1 : Long.parseLong(length),
                    query.get("fields")));
        }
        exchange.getResponseHeaders().set("Location", rootUrl() + "upload/drive/v3/files?uploadType=resumable"
                + "&upload_id=" + uploadId);
        exchange.sendResponseHeaders(200, -1);
    }

    private void chunk(HttpExchange exchange, Map<String, String> query, String contentRange) throws IOException {
        Session session;
        synchronized (this) {
            session = sessions.get(query.getOrDefault("upload_id", ""));
        }
        if (session == null) {
            error(exchange, 404, "notFound", "No such upload session.");
            return;
        }
        Matcher status = STATUS_RANGE.matcher(contentRange == null ? "" : contentRange);
        if (status.matches()) {
            body(exchange);
            if (status.group(1).equals("0") && session.size() == 0) {
                appendAndRecord(session, new byte[0], 0, 0); // an empty file: done at once
            }
            answerProgress(exchange, session);
            return;
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange == null ? "" : contentRange);
        if (!m.matches()) {
            body(exchange);
            error(exchange, 400, "badContentRange", "Failed to parse Content-Range header.");
            return;
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        long total = m.group(3).equals("*") ? UNKNOWN : Long.parseLong(m.group(3));
        var headers = exchange.getRequestHeaders();
        chunkFraming.add("Content-Length=" + Objects.requireNonNullElse(headers.getFirst("Content-Length"), "-")
                + " Content-Encoding=" + Objects.requireNonNullElse(headers.getFirst("Content-Encoding"), "-")
                + " Transfer-Encoding=" + Objects.requireNonNullElse(headers.getFirst("Transfer-Encoding"), "-"));
        if (chunkDelayMillis > 0) {
            sleep(chunkDelayMillis); // a client killed meanwhile leaves a short body, which is never stored
        }
        Fault fault;
        synchronized (this) {
            chunkPuts++;
            fault = chunkFaults.remove(chunkPuts);
        }
        if (fault == Fault.SESSION_GONE) {
            synchronized (this) {
                sessions.values().remove(session);
            }
            body(exchange);
            error(exchange, 404, "notFound", "No such upload session.");
            return;
        }
        if (fault == Fault.TOO_MANY_REQUESTS || fault == Fault.RATE_LIMIT_403) {
            body(exchange);
            if (fault == Fault.TOO_MANY_REQUESTS) {
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
                error(exchange, 429, "rateLimitExceeded", "Rate Limit Exceeded");
            } else {
                error(exchange, 403, "userRateLimitExceeded", "User Rate Limit Exceeded");
            }
            return;
        }
        if (fault == Fault.RESET) {
            byte[] start = exchange.getRequestBody().readNBytes(CHUNK_GRANULARITY);
            synchronized (this) {
                if (start.length == CHUNK_GRANULARITY && first == session.size()
                        && (total == UNKNOWN || first + start.length < total)) {
                    session.append(start, 0, start.length);
                }
            }
            throw new DropConnection();
        }
        long expected = last - first + 1;
        Body body = chunkBody(exchange, expected);
        byte[] data = body.bytes();
        boolean isLast = last + 1 == total;
        synchronized (this) {
            if ((session.total != UNKNOWN && total != session.total) || body.length() != expected || last < first
                    || (total != UNKNOWN && last >= total)) {
                error(exchange, 400, "badContentRange", "Content-Range does not match the body or the session");
                return;
            }
            if (first != session.size()) {
                error(exchange, 400, "badContentRange", "Invalid request. According to the Content-Range header, "
                        + "the upload offset is " + first + " byte(s), but " + session.size()
                        + " byte(s) were uploaded.");
                return;
            }
            if (!isLast && expected % CHUNK_GRANULARITY != 0) {
                error(exchange, 400, "badContentRange", "Chunk size must be a multiple of 256 KiB");
                return;
            }
            session.total = total; // once stated, every later chunk must state the same
        }
        if (fault == Fault.SERVER_ERROR) {
            int keep = (int) (expected / 2 / CHUNK_GRANULARITY * CHUNK_GRANULARITY);
            synchronized (this) {
                session.append(data, 0, keep);
            }
            error(exchange, 503, "backendError", "Service Unavailable");
        } else if (fault == Fault.STALL) {
            appendAndRecord(session, data, data.length, total);
            sleep(stallMillis);
            answerProgress(exchange, session);
        } else if (fault == Fault.ANSWER_LOST) {
            appendAndRecord(session, data, data.length, total);
            throw new DropConnection();
        } else {
            appendAndRecord(session, data, data.length, total);
            answerProgress(exchange, session);
        }
    }

    private synchronized void appendAndRecord(Session session, byte[] data, int length, long total)
            throws IOException {
        session.append(data, 0, length);
        if (session.size() == total && session.fileId == null) {
            Stored content = session.received;
            content.seal();
            if (corruptNextUploads > 0 && content.size > 0) {
                corruptNextUploads--;
                content.flip(content.size / 2);
            }
            FakeFile file = newFile(session.metadata, content);
            session.fileId = file.id;
        }
    }

    private void answerProgress(HttpExchange exchange, Session session) throws IOException {
        FakeFile done;
        long received;
        synchronized (this) {
            done = session.fileId == null ? null : files.get(session.fileId);
            received = session.size();
        }
        if (done != null) {
            json(exchange, 200, project(done, session.fields));
            return;
        }
        if (received > 0) {
            exchange.getResponseHeaders().set("Range", "bytes=0-" + (received - 1));
        }
        exchange.sendResponseHeaders(308, -1);
    }

    // ---- helpers

    /** Answers with the next queued fault for {@code op}, if any; true when it did. */
    private boolean fault(Op op, HttpExchange exchange) throws IOException {
        Fault fault;
        synchronized (this) {
            Deque<Fault> queue = faults.get(op);
            fault = queue == null || queue.peek() == Fault.CORRUPT ? null : queue.poll();
        }
        if (fault == null) {
            return false;
        }
        body(exchange);
        switch (fault) {
            case SERVER_ERROR -> error(exchange, 503, "backendError", "Service Unavailable");
            case TOO_MANY_REQUESTS -> {
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
                error(exchange, 429, "rateLimitExceeded", "Rate Limit Exceeded");
            }
            case RATE_LIMIT_403 -> error(exchange, 403, "rateLimitExceeded", "Rate Limit Exceeded");
            case QUOTA_EXCEEDED -> error(exchange, 403, "storageQuotaExceeded",
                    "The user's Drive storage quota has been exceeded.");
            case ECHO_AUTHORIZATION -> error(exchange, 400, "badRequest", "Bad request (Authorization: "
                    + exchange.getRequestHeaders().getFirst("Authorization") + ")");
            case RESET, ANSWER_LOST -> throw new DropConnection();
            case STALL -> {
                sleep(stallMillis);
                return false;
            }
            default -> throw new IllegalStateException("not a fault for " + op + ": " + fault);
        }
        return true;
    }

    private synchronized FakeFile newFile(JsonObject metadata, Stored content) {
        if (!parentsExist(metadata)) {
            return null;
        }
        List<String> parents = new ArrayList<>();
        if (metadata.has("parents")) {
            metadata.getAsJsonArray("parents").forEach(p -> parents.add(p.getAsString().equals("root") ? ROOT_ID
                    : p.getAsString()));
        } else {
            parents.add(ROOT_ID);
        }
        Map<String, String> appProperties = new LinkedHashMap<>();
        if (metadata.has("appProperties")) {
            metadata.getAsJsonObject("appProperties").entrySet()
                    .forEach(e -> appProperties.put(e.getKey(), e.getValue().getAsString()));
        }
        String mime = metadata.has("mimeType") ? metadata.get("mimeType").getAsString() : "application/octet-stream";
        FakeFile file = new FakeFile(newId(), metadata.get("name").getAsString(), mime, parents, appProperties,
                tick(), FOLDER_MIME.equals(mime) ? null : content == null ? new Stored(new byte[0]) : content);
        files.put(file.id, file);
        if (file.isFolder()) {
            knownParents.add(file.id);
        }
        return file;
    }

    private boolean parentsExist(JsonObject metadata) {
        if (!metadata.has("parents")) {
            return true;
        }
        for (JsonElement parent : metadata.getAsJsonArray("parents")) {
            String id = parent.getAsString();
            if (!id.equals("root") && !knownParents.contains(id)) {
                return false;
            }
        }
        return true;
    }

    private String newId() {
        return "1FakeId" + (++nextId) + "x" + Integer.toHexString(Objects.hash(nextId, clientSecret) & 0xffff);
    }

    private Instant tick() {
        clock = clock.plusSeconds(1);
        return clock;
    }

    /** The file as Drive shows it: only the fields asked for, or Drive's default few; int64 as strings. */
    private JsonObject project(FakeFile file, String fields) {
        JsonObject all = new JsonObject();
        all.addProperty("kind", "drive#file");
        all.addProperty("id", file.id);
        all.addProperty("name", file.name);
        all.addProperty("mimeType", file.mimeType);
        JsonArray parents = new JsonArray();
        file.parents.forEach(parents::add);
        all.add("parents", parents);
        all.addProperty("createdTime", file.createdTime.toString());
        all.addProperty("trashed", false);
        all.addProperty("webViewLink", rootUrl() + "file/d/" + file.id + "/view?usp=drivesdk");
        if (!file.appProperties.isEmpty()) {
            JsonObject properties = new JsonObject();
            file.appProperties.forEach(properties::addProperty);
            all.add("appProperties", properties);
        }
        if (!file.isFolder()) {
            all.addProperty("size", Long.toString(file.size())); // int64: a JSON string, as Drive sends it
            all.addProperty("md5Checksum", file.md5());
        }
        List<String> wanted = fields == null ? List.of("kind", "id", "name", "mimeType")
                : fields.equals("*") ? List.copyOf(all.keySet()) : Arrays.asList(fields.split(","));
        JsonObject projected = new JsonObject();
        for (String field : wanted) {
            JsonElement value = all.get(field.strip());
            if (value != null) {
                projected.add(field.strip(), value);
            }
        }
        return projected;
    }

    /** "nextPageToken,files(id,name)" -> "id,name" for "files". */
    private static String innerFields(String fields, String collection) {
        int start = fields.indexOf(collection + "(");
        if (start < 0) {
            return fields.contains(collection) ? "*" : null;
        }
        int end = fields.indexOf(')', start);
        return fields.substring(start + collection.length() + 1, end);
    }

    /** A chunk's body: {@code length} is how long it really was, {@code bytes} holds it when that was as expected. */
    private record Body(byte[] bytes, long length) {
    }

    /** Reads a chunk's body into an array of the expected size (no growing and copying), and notes any surplus. */
    private static Body chunkBody(HttpExchange exchange, long expected) throws IOException {
        if (expected < 0 || expected > Integer.MAX_VALUE - 8) {
            byte[] all = body(exchange);
            return new Body(all, all.length);
        }
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        byte[] data = in.readNBytes((int) expected);
        long surplus = in.transferTo(java.io.OutputStream.nullOutputStream());
        return new Body(data, data.length + surplus);
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        return in.readAllBytes();
    }

    private static void json(HttpExchange exchange, int status, JsonElement body) throws IOException {
        byte[] bytes = GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Drive's error shape: {"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}. */
    private static void error(HttpExchange exchange, int status, String reason, String message) throws IOException {
        JsonObject item = new JsonObject();
        item.addProperty("domain", "global");
        item.addProperty("reason", reason);
        item.addProperty("message", message);
        JsonArray errors = new JsonArray();
        errors.add(item);
        JsonObject error = new JsonObject();
        error.addProperty("code", status);
        error.addProperty("message", message);
        error.add("errors", errors);
        JsonObject body = new JsonObject();
        body.add("error", error);
        json(exchange, status, body);
    }

    private static void oauthError(HttpExchange exchange, int status, String error, String description)
            throws IOException {
        JsonObject body = new JsonObject();
        body.addProperty("error", error);
        body.addProperty("error_description", description);
        json(exchange, status, body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return Collections.unmodifiableMap(params);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static String hex(String algorithm, byte[] bytes) {
        return HexFormat.of().formatHex(digest(algorithm, bytes));
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        return newDigest(algorithm).digest(bytes);
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drive's search grammar, the part a client of folders and tagged files uses: terms joined by {@code and} and
     * {@code or} ({@code and} binds tighter, as in Drive), grouped by parentheses;
     * {@code name}/{@code mimeType} with = != contains, {@code trashed} = true|false, {@code 'id' in parents},
     * {@code appProperties has { key='k' and value='v' }}. Anything else is a 400, as an unknown field is on Drive.
     */
    private static final class Query {
        private final List<String> tokens = new ArrayList<>();
        private int at;

        Query(String q) {
            int i = 0;
            while (i < q.length()) {
                char c = q.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '\'') {
                    StringBuilder literal = new StringBuilder("'");
                    i++;
                    while (i < q.length() && q.charAt(i) != '\'') {
                        if (q.charAt(i) == '\\' && i + 1 < q.length()) {
                            i++;
                        }
                        literal.append(q.charAt(i++));
                    }
                    if (i >= q.length()) {
                        throw new IllegalArgumentException("unterminated string in q");
                    }
                    i++;
                    tokens.add(literal.toString());
                } else if (c == '!' && i + 1 < q.length() && q.charAt(i + 1) == '=') {
                    tokens.add("!=");
                    i += 2;
                } else if ("={}()".indexOf(c) >= 0) {
                    tokens.add(String.valueOf(c));
                    i++;
                } else if (Character.isLetter(c)) {
                    int start = i;
                    while (i < q.length() && Character.isLetterOrDigit(q.charAt(i))) {
                        i++;
                    }
                    tokens.add(q.substring(start, i));
                } else {
                    throw new IllegalArgumentException("unexpected '" + c + "' in q");
                }
            }
        }

        Predicate<FakeFile> parse() {
            Predicate<FakeFile> all = disjunction();
            if (at < tokens.size()) {
                throw new IllegalArgumentException("unexpected '" + tokens.get(at) + "'");
            }
            return all;
        }

        private Predicate<FakeFile> disjunction() {
            Predicate<FakeFile> any = conjunction();
            while (at < tokens.size() && tokens.get(at).equals("or")) {
                at++;
                any = any.or(conjunction());
            }
            return any;
        }

        private Predicate<FakeFile> conjunction() {
            Predicate<FakeFile> all = term();
            while (at < tokens.size() && tokens.get(at).equals("and")) {
                at++;
                all = all.and(term());
            }
            return all;
        }

        private Predicate<FakeFile> term() {
            String first = next();
            if (first.equals("(")) {
                Predicate<FakeFile> inner = disjunction();
                expect(")");
                return inner;
            }
            if (first.startsWith("'")) {
                String id = first.substring(1);
                expect("in");
                expect("parents");
                String parent = id.equals("root") ? ROOT_ID : id;
                return f -> f.parents.contains(parent);
            }
            switch (first) {
                case "name", "mimeType" -> {
                    String op = next();
                    String value = literal();
                    java.util.function.Function<FakeFile, String> field = first.equals("name")
                            ? f -> f.name : f -> f.mimeType;
                    return switch (op) {
                        case "=" -> f -> field.apply(f).equals(value);
                        case "!=" -> f -> !field.apply(f).equals(value);
                        case "contains" -> f -> field.apply(f).contains(value);
                        default -> throw new IllegalArgumentException("operator " + op);
                    };
                }
                case "trashed" -> {
                    expect("=");
                    String value = next();
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new IllegalArgumentException("trashed = " + value);
                    }
                    boolean trashed = Boolean.parseBoolean(value);
                    return f -> !trashed; // nothing here is ever trashed
                }
                case "appProperties" -> {
                    expect("has");
                    expect("{");
                    expect("key");
                    expect("=");
                    String key = literal();
                    expect("and");
                    expect("value");
                    expect("=");
                    String value = literal();
                    expect("}");
                    return f -> value.equals(f.appProperties.get(key));
                }
                default -> throw new IllegalArgumentException("unknown term '" + first + "'");
            }
        }

        private String literal() {
            String token = next();
            if (!token.startsWith("'")) {
                throw new IllegalArgumentException("expected a string, got " + token);
            }
            return token.substring(1);
        }

        private void expect(String token) {
            String got = next();
            if (!got.equals(token)) {
                throw new IllegalArgumentException("expected " + token + ", got " + got);
            }
        }

        private String next() {
            if (at >= tokens.size()) {
                throw new IllegalArgumentException("q ends early");
            }
            return tokens.get(at++);
        }
    }
}
