package dev.sqlitebackup.adapters.ntfy.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test fixture: a real ntfy server (Debian's ntfy binary) on a free loopback port that denies everyone by default,
 * with users, access rules and tokens made through ntfy's own CLI, and a way to read back what a topic received.
 *
 * <p>Depends only on the JDK and Gson, so any test framework can use it; failures are exceptions whose message
 * carries ntfy's output. The binary comes from the system property {@value #BINARY_PROPERTY} or the environment
 * variable {@value #BINARY_ENV}; tests skip when {@link #binary()} is empty.
 */
public final class RealNtfyServer implements AutoCloseable {

    /** The system property naming the ntfy binary (failsafe and surefire pass {@code -Dntfy.binary} through). */
    public static final String BINARY_PROPERTY = "ntfy.binary";
    /** The environment variable naming the ntfy binary, used when the property is unset or blank. */
    public static final String BINARY_ENV = "NTFY_BINARY";

    private static final Pattern TOKEN_FORM = Pattern.compile("tk_[A-Za-z0-9]+");
    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private static final Duration CLI_LIMIT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dir;
    private final Path config;
    private final Path serverLog;
    private final URI baseUrl;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private RealNtfyServer(Path binary, Path dir, URI baseUrl, Process process) {
        this.binary = binary;
        this.dir = dir;
        this.config = dir.resolve("server.yml");
        this.serverLog = dir.resolve("serve.log");
        this.baseUrl = baseUrl;
        this.process = process;
    }

    /** The ntfy binary to run: {@code -Dntfy.binary}, else {@code NTFY_BINARY}; empty when neither is given. */
    public static Optional<Path> binary() {
        return Optional.ofNullable(System.getProperty(BINARY_PROPERTY)).filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(System.getenv(BINARY_ENV)).filter(s -> !s.isBlank()))
                .map(Path::of);
    }

    /**
     * Starts {@code ntfy serve} with its config, cache, auth file and log in {@code dir}, and waits until it is
     * healthy. Default access is deny-all: only users given access with {@link #allow} may publish or read.
     *
     * @throws IllegalStateException when no binary is given (check {@link #binary()} first), it is not executable,
     *                               or the server does not come up within 20 s
     */
    public static RealNtfyServer start(Path dir) throws IOException, InterruptedException {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "no ntfy binary: set -D" + BINARY_PROPERTY + " or " + BINARY_ENV));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(BINARY_PROPERTY + " is not an executable file: " + binary);
        }
        int port = freePort();
        URI baseUrl = URI.create("http://127.0.0.1:" + port);
        Files.writeString(dir.resolve("server.yml"), String.join("\n",
                "base-url: \"" + baseUrl + "\"",
                "listen-http: \"127.0.0.1:" + port + "\"",
                "cache-file: \"" + dir.resolve("cache.db") + "\"",
                "auth-file: \"" + dir.resolve("user.db") + "\"",
                "auth-default-access: \"deny-all\"",
                ""));
        Process process = command(binary, dir, "serve", "--config", dir.resolve("server.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile())
                .start();
        RealNtfyServer server = new RealNtfyServer(binary, dir, baseUrl, process);
        try {
            server.awaitHealthy();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:41234}; the value for {@code NTFY_URL}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Adds a user with {@code password} (any text; ntfy reads it from the environment, not the command line). */
    public void addUser(String name, String password) throws IOException, InterruptedException {
        // The auth file exists once the server has started; the CLI then manages users in it beside the server.
        cli(Map.of("NTFY_PASSWORD", password), "user", "--config", config.toString(), "add", name);
    }

    /** Gives {@code user} read and write access to the topics matching {@code topicPattern}, e.g. {@code app-*}. */
    public void allow(String user, String topicPattern) throws IOException, InterruptedException {
        cli(Map.of(), "access", "--config", config.toString(), user, topicPattern, "rw");
    }

    /** Creates a new access token ({@code tk_...}) for {@code user} and returns it. */
    public String addToken(String user) throws IOException, InterruptedException {
        String created = cli(Map.of(), "token", "--config", config.toString(), "add", user);
        Matcher m = TOKEN_FORM.matcher(created);
        if (!m.find()) {
            throw new IllegalStateException("no token in the output of ntfy token add: " + created);
        }
        return m.group();
    }

    /**
     * Every message {@code topic} holds, oldest first, read with {@code token} (a user with read access).
     *
     * @throws IllegalStateException when the server does not answer the poll with 200
     */
    public List<JsonObject> poll(String topic, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/" + topic + "/json?poll=1"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .GET().build();
        HttpResponse<String> response =
                http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("poll of " + topic + " answered HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        List<JsonObject> messages = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank()) {
                JsonObject event = JsonParser.parseString(line).getAsJsonObject();
                if (event.get("event").getAsString().equals("message")) {
                    messages.add(event);
                }
            }
        }
        return messages;
    }

    /**
     * Stops the server, forcibly when it does not stop within 10 s or the wait is interrupted (the interrupt is
     * kept). Throws nothing checked, so try-with-resources needs no InterruptedException handling.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String cli(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = command(binary, dir, args).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process cli = builder.start();
        cli.getOutputStream().close();
        byte[] output = cli.getInputStream().readAllBytes();
        if (!cli.waitFor(CLI_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            cli.destroyForcibly();
            throw new IllegalStateException("ntfy " + List.of(args) + " did not finish within " + CLI_LIMIT);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (cli.exitValue() != 0) {
            throw new IllegalStateException("ntfy " + List.of(args) + " exited with " + cli.exitValue() + ": "
                    + text);
        }
        return text;
    }

    private static ProcessBuilder command(Path binary, Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        // ntfy reads NTFY_* from the environment; only what the fixture sets may count.
        builder.environment().keySet().removeIf(name -> name.startsWith("NTFY_"));
        return builder;
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(baseUrl.resolve("/v1/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ntfy serve exited with " + process.exitValue() + ":\n"
                        + Files.readString(serverLog));
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("ntfy serve did not become healthy within " + START_LIMIT.toSeconds()
                + " s:\n" + Files.readString(serverLog));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "RealNtfyServer[" + baseUrl + ", " + binary + "]";
    }
}
