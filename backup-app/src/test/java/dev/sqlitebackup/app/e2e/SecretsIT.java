package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sqlitebackup.adapters.drive.FakeDrive;
import dev.sqlitebackup.adapters.drive.FakeDrive.Fault;
import dev.sqlitebackup.adapters.drive.FakeDrive.Op;
import dev.sqlitebackup.adapters.ntfy.testing.RealNtfyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret ever leaves the process in the clear: every command at {@code -v}, with Drive (against {@link FakeDrive})
 * and ntfy (the real ntfy server when {@code NTFY_BINARY} is given, otherwise a local HTTP server that records what
 * it is sent) configured, some with an ntfy token and some with a user and password, and then neither the access
 * tokens Drive issued, the refresh token, the client secret, the ntfy token, the ntfy password nor the Basic
 * credentials built from it appear in stdout, stderr, or any file the runs left. The tool has no log file: it logs
 * to stderr only (QuietLogging), so stderr is the log.
 */
class SecretsIT {

    private static final String NTFY_USER = "alice";
    private static final String NTFY_PASSWORD = "pässwörd-" + UUID.randomUUID();
    private static final String TOPIC = "sqlite-backup-secrets";

    @TempDir
    Path home;
    @TempDir
    Path serverDir;

    private FakeDrive drive;
    private Path credentials;
    private RealNtfyServer ntfy;
    private HttpServer standIn;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private URI ntfyUrl;
    private String ntfyToken;
    private Path identity;
    private String ageSecret;
    private String agePublic;

    @BeforeEach
    void start() throws Exception {
        drive = new FakeDrive();
        credentials = drive.writeUserCredentials(home.resolve("drive-credentials.json"));
        Sqlite.createNotes(home.resolve("app.db"), 2_000);
        // Drive copies are encrypted and read back (verify --remote, restore) with a private key kept outside home,
        // where every file is searched for secrets
        identity = serverDir.resolve("owner-identity.txt");
        Process keygen = new ProcessBuilder("age-keygen", "-o", identity.toString()).redirectErrorStream(true)
                .start();
        keygen.getInputStream().readAllBytes();
        assertThat(keygen.waitFor()).as("age-keygen (Debian's age, installed by .ci/run)").isZero();
        ageSecret = Files.readAllLines(identity).stream().filter(l -> l.startsWith("AGE-SECRET-KEY-1")).findFirst()
                .orElseThrow();
        agePublic = Files.readAllLines(identity).stream().filter(l -> l.startsWith("# public key: "))
                .map(l -> l.substring("# public key: ".length())).findFirst().orElseThrow();

        Optional<Path> binary = RealNtfyServer.binary();
        if (binary.isPresent()) {
            ntfy = RealNtfyServer.start(serverDir);
            ntfy.addUser("backupbot", "token-user-" + UUID.randomUUID());
            ntfy.addUser(NTFY_USER, NTFY_PASSWORD);
            ntfy.allow("backupbot", "sqlite-backup-*");
            ntfy.allow(NTFY_USER, "sqlite-backup-*");
            ntfyToken = ntfy.addToken("backupbot");
            ntfyUrl = ntfy.baseUrl();
        } else {
            System.out.println("SecretsIT: no real ntfy binary given (NTFY_BINARY or -Dntfy.binary), so ntfy is a "
                    + "local HTTP server that records the credentials it is sent");
            ntfyToken = "tk_" + UUID.randomUUID().toString().replace("-", "");
            standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            standIn.createContext("/", exchange -> {
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                published.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] body = ("{\"id\":\"x\",\"time\":" + Instant.now().getEpochSecond()
                        + ",\"event\":\"message\",\"topic\":\"" + TOPIC + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            standIn.start();
            ntfyUrl = URI.create("http://127.0.0.1:" + standIn.getAddress().getPort());
        }
    }

    @AfterEach
    void stop() {
        drive.close();
        if (ntfy != null) {
            ntfy.close();
        }
        if (standIn != null) {
            standIn.stop(0);
        }
    }

    @Test
    void everyCommand_atVerbose_withDriveAndNtfy_printsAndLeavesNoSecret() throws Exception {
        Map<String, JarProcess.Result> results = new LinkedHashMap<>();
        Path restored = home.resolve("restored.db");

        results.put("run (ntfy token)", withToken().run("run", "-v"));
        JarProcess.awaitTheNextSecond(); // a second backup with its own name
        results.put("run (ntfy password)", withPassword().run("run", "-v"));
        results.put("list", withToken().run("list", "-v"));
        results.put("list --remote", withPassword().run("list", "-v", "--remote"));
        results.put("prune --dry-run", withToken().run("prune", "-v", "--dry-run"));
        results.put("prune", withPassword().run("prune", "-v"));
        results.put("verify", withToken().run("verify", "-v"));
        results.put("verify --remote", withPassword().run("verify", "-v", "--remote", "latest"));
        results.put("restore", withToken().run("restore", "-v", "latest", "--to", restored.toString()));
        results.put("history", withPassword().run("history", "-v"));
        results.put("status", withToken().run("status", "-v"));
        results.put("notify-test (token)", withToken().run("notify-test", "-v"));
        results.put("notify-test (password)", withPassword().run("notify-test", "-v"));
        results.put("sample", withPassword().run("sample", "-v", home.resolve("sample.db").toString()));
        results.put("drive-auth --help", withToken().run("drive-auth", "-v", "--help"));
        for (Map.Entry<String, JarProcess.Result> r : results.entrySet()) {
            assertThat(r.getValue().exitCode()).as(r.getKey() + ": " + r.getValue()).isZero();
        }
        for (int i = 0; i < 3; i++) {
            drive.failNext(Op.START_UPLOAD, Fault.QUOTA_EXCEEDED);
        }
        JarProcess.Result failed = withPassword().run("run", "-v");
        results.put("run with a failing Drive (stack trace)", failed);
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.err()).as("-v prints the stack trace").contains("\tat ");
        results.put("daemon", daemon());

        assertThat(results.get("run (ntfy token)").err()).as("-v logs at DEBUG").contains("DEBUG");
        assertThat(drive.issuedAccessTokens()).as("Drive handed out tokens to test").isNotEmpty();
        assertThat(Sqlite.count(restored, "notes")).isEqualTo(2_000);
        assertNtfyGotBothCredentials();

        List<String> secrets = secrets();
        for (Map.Entry<String, JarProcess.Result> r : results.entrySet()) {
            for (String secret : secrets) {
                assertThat(r.getValue().out() + r.getValue().err())
                        .as("a secret in the output of " + r.getKey() + "\n" + r.getValue()).doesNotContain(secret);
            }
        }
        assertNoSecretInAnyFileUnder(home, secrets);
    }

    /**
     * Servers that echo what they were sent, and passwords in URLs that a validation error repeats: Drive answering
     * with the bearer token in its error, the token endpoint with the whole form (client secret, refresh token), an
     * NTFY_URL and a DATABASE_URL with a password that are no valid setting. Nothing of them reaches stdout, stderr,
     * the history (state database) or a notification.
     */
    @Test
    void serverEchoes_andPasswordsInUrls_neverReachOutputHistoryOrNotifications() throws Exception {
        String urlPassword = "url-pass-" + UUID.randomUUID();
        Map<String, JarProcess.Result> results = new LinkedHashMap<>();
        JarProcess.Result first = withToken().run("run");
        assertThat(first.exitCode()).as(first.toString()).isZero();

        drive.failNext(Op.START_UPLOAD, Fault.ECHO_AUTHORIZATION);
        results.put("Drive echoes the bearer token", withToken().run("run", "-v"));
        drive.echoTokenRequests = true;
        results.put("the token endpoint echoes the form", withPassword().run("run", "-v"));
        drive.echoTokenRequests = false;
        results.put("NTFY_URL with a password, not a URL", withToken()
                .env("NTFY_URL", "http://alice:" + urlPassword + " x@127.0.0.1:9/").run("run", "-v"));
        results.put("DATABASE_URL of another database, with a password", withToken().env("BACKUP_DIR", "backups/app.db")
                .env("DATABASE_URL", "jdbc:postgresql://app:" + urlPassword + "@db.example/app").run("run", "-v"));
        results.put("history", withToken().run("history", "-v", "--limit", "10"));

        assertThat(results.get("Drive echoes the bearer token").exitCode()).isEqualTo(1);
        assertThat(results.get("Drive echoes the bearer token").err()).contains("Bearer ***");
        assertThat(results.get("the token endpoint echoes the form").exitCode()).isEqualTo(1);
        assertThat(results.get("the token endpoint echoes the form").err()).contains("client_secret=***");
        assertThat(results.get("NTFY_URL with a password, not a URL").exitCode()).isEqualTo(2);
        assertThat(results.get("NTFY_URL with a password, not a URL").err())
                .contains("NTFY_URL is not a URL: 'http://alice:***@127.0.0.1:9/'");
        assertThat(results.get("DATABASE_URL of another database, with a password").exitCode()).isEqualTo(2);
        assertThat(results.get("history").out()).as("every failure is in the history")
                .contains("Bearer ***", "client_secret=***", "NTFY_URL is not a URL", "jdbc:postgresql://app:***@");
        List<String> notifications = notifications();
        assertThat(String.join("\n", notifications)).as("the owner was told of both Drive failures")
                .contains("Bearer ***").contains("Drive refused the credentials");

        List<String> secrets = secrets();
        secrets.add(urlPassword);
        for (Map.Entry<String, JarProcess.Result> r : results.entrySet()) {
            for (String secret : secrets) {
                assertThat(r.getValue().out() + r.getValue().err())
                        .as("a secret in the output of " + r.getKey() + "\n" + r.getValue()).doesNotContain(secret);
            }
        }
        for (String secret : secrets) {
            assertThat(notifications).as("a secret in a notification").noneMatch(n -> n.contains(secret));
        }
        assertNoSecretInAnyFileUnder(home, secrets);
    }

    /** What ntfy was sent: the real server's messages, or the bodies the stand-in recorded. */
    private List<String> notifications() throws Exception {
        if (ntfy != null) {
            return ntfy.poll(TOPIC, ntfyToken).stream().map(Object::toString).toList();
        }
        return List.copyOf(published);
    }

    /** The daemon at -v on a schedule of every 3 seconds: started, one run, SIGTERM. */
    private JarProcess.Result daemon() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(driveEnv());
        env.putAll(Map.of("NTFY_URL", ntfyUrl.toString(), "NTFY_TOPIC", TOPIC, "NTFY_TOKEN", ntfyToken,
                "BACKUP_SCHEDULE", "*/3 * * * * ?"));
        try (JarDaemon daemon = JarDaemon.start(home, env, "daemon", "-v")) {
            daemon.awaitOut("backup ok");
            JarProcess.Result stopped = daemon.terminate();
            assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
            return stopped;
        }
    }

    private Map<String, String> driveEnv() {
        return Map.of("DATABASE_URL", "app.db", "GOOGLE_DRIVE_CREDENTIALS", credentials.toString(),
                "DRIVE_ROOT_URL", drive.rootUrl().toString(), "DRIVE_CHUNK_MB", "1");
    }

    private JarProcess jar() {
        JarProcess jar = new JarProcess(home);
        driveEnv().forEach(jar::env);
        return jar.env("NTFY_URL", ntfyUrl.toString()).env("NTFY_TOPIC", TOPIC).env("AGE_RECIPIENTS", agePublic)
                .env("AGE_IDENTITY_FILE", identity.toString());
    }

    private JarProcess withToken() {
        return jar().env("NTFY_TOKEN", ntfyToken);
    }

    private JarProcess withPassword() {
        return jar().env("NTFY_USER", NTFY_USER).env("NTFY_PASSWORD", NTFY_PASSWORD);
    }

    /** The secrets were really sent: otherwise their absence from the output would prove nothing. */
    private void assertNtfyGotBothCredentials() throws Exception {
        if (ntfy != null) {
            // the server denies everyone by default: only authorised publishes are there to poll
            assertThat(ntfy.poll(TOPIC, ntfyToken).size()).as("messages the real ntfy accepted")
                    .isGreaterThanOrEqualTo(6);
        } else {
            assertThat(authorizations).contains("Bearer " + ntfyToken, "Basic " + basic());
        }
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>(drive.issuedAccessTokens());
        secrets.add(drive.refreshToken);
        secrets.add(drive.clientSecret);
        secrets.add(ntfyToken);
        secrets.add(NTFY_PASSWORD);
        secrets.add(basic());
        secrets.add(ageSecret);
        return secrets;
    }

    private static String basic() {
        return Base64.getEncoder().encodeToString((NTFY_USER + ":" + NTFY_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Every file the runs left (backups, sidecars, state.db and its -wal, the daemon's captured output ...). */
    private void assertNoSecretInAnyFileUnder(Path root, List<String> secrets) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.equals(credentials)).toList();
        }
        assertThat(files).as("the state database is among them")
                .anySatisfy(p -> assertThat(p.getFileName().toString()).isEqualTo("state.db"));
        for (Path file : files) {
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                for (byte[] form : List.of(secret.getBytes(StandardCharsets.UTF_8),
                        secret.getBytes(StandardCharsets.UTF_16LE))) {
                    assertThat(bytes).as("a secret in " + file)
                            .doesNotContain(new String(form, StandardCharsets.ISO_8859_1));
                }
            }
        }
    }
}
