package dev.sqlitebackup.adapters.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat against a local HTTP server that records what it is sent: healthchecks.io's start, success and
 * failure pings with the summary as body, explicit URLs for other monitors, the bound on a dead or slow monitor, and
 * logs that name the host but never the URL's secret path.
 */
class HttpHeartbeatTest {

    private static final String SECRET = "5b3c2f1e-8a7d-4c1b-9e2f-0a1b2c3d4e5f";

    private MockWebServer server;
    private final List<Duration> waits = new ArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(HttpHeartbeat.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        logs.start();
        logger.addAppender(logs);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stop() throws IOException {
        logger.detachAppender(logs);
        logger.setLevel(null);
        server.shutdown();
    }

    private URI url(String path) {
        return server.url(path).uri();
    }

    private HttpHeartbeat heartbeat(HeartbeatSettings settings) {
        return new HttpHeartbeat(settings, "sqlite-backup/test", waits::add);
    }

    private RecordedRequest next() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    private String everythingLogged() {
        StringBuilder all = new StringBuilder();
        logs.list.forEach(e -> all.append(e.getFormattedMessage()).append('\n'));
        return all.toString();
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void healthchecksConvention_startIsAGetOfSlashStart_successAPostOfTheSummary_failureAPostToSlashFail()
            throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setBody("OK"));
        }
        HttpHeartbeat beat = heartbeat(HeartbeatSettings.of(url("/ping/" + SECRET)));

        assertThat(beat.started()).isTrue();
        assertThat(beat.ended(true, "app.db: backed up backup-2026-11-26-030000.db (12.3 MB) in 2.1 s")).isTrue();
        assertThat(beat.ended(false, "app.db: backup failed: database disk image is malformed")).isTrue();

        RecordedRequest start = next();
        assertThat(start.getMethod()).isEqualTo("GET");
        assertThat(start.getPath()).isEqualTo("/ping/" + SECRET + "/start");
        assertThat(start.getHeader("User-Agent")).isEqualTo("sqlite-backup/test");
        RecordedRequest success = next();
        assertThat(success.getMethod()).isEqualTo("POST");
        assertThat(success.getPath()).isEqualTo("/ping/" + SECRET);
        assertThat(success.getBody().readUtf8()).isEqualTo(
                "app.db: backed up backup-2026-11-26-030000.db (12.3 MB) in 2.1 s");
        assertThat(success.getHeader("Content-Type")).startsWith("text/plain");
        RecordedRequest failure = next();
        assertThat(failure.getMethod()).isEqualTo("POST");
        assertThat(failure.getPath()).isEqualTo("/ping/" + SECRET + "/fail");
        assertThat(failure.getBody().readUtf8()).contains("database disk image is malformed");
        assertThat(everythingLogged()).doesNotContain(SECRET);
    }

    @Test
    void startOff_sendsNoStartPing() throws Exception {
        server.enqueue(new MockResponse().setBody("OK"));
        HeartbeatSettings settings = new HeartbeatSettings(url("/ping/" + SECRET), Optional.empty(), Optional.empty(),
                false, 3, Duration.ofSeconds(30), Duration.ofSeconds(1));
        HttpHeartbeat beat = heartbeat(settings);

        assertThat(beat.started()).isTrue();
        assertThat(beat.ended(true, "ok")).isTrue();

        assertThat(next().getPath()).isEqualTo("/ping/" + SECRET);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void uptimeKumaStyle_explicitUrlsWithQueries_areUsedAsGiven() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"ok\":true}"));
        server.enqueue(new MockResponse().setBody("{\"ok\":true}"));
        HeartbeatSettings settings = new HeartbeatSettings(url("/api/push/" + SECRET + "?status=up&msg=OK"),
                Optional.of(url("/api/push/" + SECRET + "?status=down&msg=failed")), Optional.empty(), false, 3,
                Duration.ofSeconds(30), Duration.ofSeconds(1));
        HttpHeartbeat beat = heartbeat(settings);

        beat.ended(true, "ok");
        beat.ended(false, "failed");

        assertThat(next().getPath()).isEqualTo("/api/push/" + SECRET + "?status=up&msg=OK");
        assertThat(next().getPath()).isEqualTo("/api/push/" + SECRET + "?status=down&msg=failed");
    }

    @Test
    void theDefaultFailAndStartUrls_keepAQueryString_afterTheNewPathSegment() {
        HeartbeatSettings settings = HeartbeatSettings.of(URI.create("https://hc.example.com/ping/abc?rid=1"));

        assertThat(settings.failure()).isEqualTo(URI.create("https://hc.example.com/ping/abc/fail?rid=1"));
        assertThat(settings.start()).isEqualTo(URI.create("https://hc.example.com/ping/abc/start?rid=1"));
        assertThat(HeartbeatSettings.of(URI.create("https://hc.example.com/ping/abc/")).failure())
                .isEqualTo(URI.create("https://hc.example.com/ping/abc/fail"));
    }

    @Test
    void aServerError_isRetried_withABackoff_upToThreeAttempts_thenOneWarningNamingTheHostOnly() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(503));
        }
        HttpHeartbeat beat = heartbeat(HeartbeatSettings.of(url("/ping/" + SECRET)));

        assertThat(beat.ended(true, "ok")).isFalse();

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(warnings()).singleElement().isEqualTo("heartbeat (success) to " + server.getHostName() + ":"
                + server.getPort() + " not delivered after 3 attempts: HTTP 503");
        assertThat(everythingLogged()).doesNotContain(SECRET);
    }

    @Test
    void aWrongUrl_404_isNotRetried() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(404).setBody("not found"));
        HttpHeartbeat beat = heartbeat(HeartbeatSettings.of(url("/ping/" + SECRET)));

        assertThat(beat.started()).isFalse();

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(waits).isEmpty();
        assertThat(warnings()).singleElement().asString().endsWith("not delivered after 1 attempt: HTTP 404");
    }

    @Test
    void aRetryAfterAFailureThatSucceeds_isDelivered_withoutAWarning() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(new MockResponse().setBody("OK"));
        HttpHeartbeat beat = heartbeat(HeartbeatSettings.of(url("/ping/" + SECRET)));

        assertThat(beat.ended(false, "failed")).isTrue();

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aDeadMonitor_nothingListening_givesUpWithinTheBound() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpHeartbeat beat = new HttpHeartbeat(HeartbeatSettings.of(URI.create("http://127.0.0.1:" + closedPort
                + "/ping/" + SECRET)), "sqlite-backup/test", HttpHeartbeat.Sleeper.REAL);

        long started = System.nanoTime();
        assertThat(beat.ended(true, "ok")).isFalse();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("three refused connections and the 1 s + 2 s backoff").isLessThan(Duration.ofSeconds(30));
        assertThat(warnings()).singleElement().asString().startsWith("heartbeat (success) to 127.0.0.1:" + closedPort
                + " not delivered after 3 attempts: ConnectException");
        assertThat(everythingLogged()).doesNotContain(SECRET);
    }

    @Test
    void aMonitorThatNeverAnswers_isGivenUpOnAtTheTimeLimit_notLater() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }
        HeartbeatSettings settings = new HeartbeatSettings(url("/ping/" + SECRET), Optional.empty(), Optional.empty(),
                true, 3, Duration.ofSeconds(3), Duration.ofMillis(100));
        HttpHeartbeat beat = new HttpHeartbeat(settings, "sqlite-backup/test", HttpHeartbeat.Sleeper.REAL);

        long started = System.nanoTime();
        assertThat(beat.ended(true, "ok")).isFalse();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("the 3 s limit, with room for a slow machine").isLessThan(Duration.ofSeconds(6));
        assertThat(warnings()).singleElement().asString().contains("not delivered");
    }

    @Test
    void badUrls_areRefused_namingTheProblem_withoutEchoingThem() {
        assertThatThrownBy(() -> HeartbeatSettings.of(URI.create("ftp://hc.example.com/" + SECRET)))
                .hasMessage("must be an http:// or https:// URL, got one with scheme ftp:");
        assertThatThrownBy(() -> HeartbeatSettings.of(URI.create("https://user:pw@hc.example.com/x")))
                .hasMessageStartingWith("must not hold a user or password");
        assertThatThrownBy(() -> HeartbeatSettings.of(URI.create("/ping/" + SECRET)))
                .hasMessage("must be an http:// or https:// URL, got one without a scheme");
        assertThat(HeartbeatSettings.of(URI.create("https://hc-ping.com/" + SECRET)).toString())
                .doesNotContain(SECRET).contains("hc-ping.com");
    }
}
