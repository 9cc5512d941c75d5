package dev.sqlitebackup.adapters.ntfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
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

/** The notifier against a local HTTP server that records each request and answers as told. */
class NtfyNotifierTest {

    private static final String TOKEN = "tk_unittesttoken0123456789abc";
    private static final Clock CLOCK = Clock.fixed(RunReports.FINISHED.plusSeconds(1), ZoneOffset.UTC);
    private static final Duration CONNECT = Duration.ofMillis(500);
    private static final Duration READ = Duration.ofMillis(500);
    private static final Duration BACKOFF = Duration.ofMillis(10);

    private MockWebServer server;
    private final List<String> secrets = new ArrayList<>(List.of(TOKEN));

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    /** Records the waits between attempts instead of waiting them out. */
    private final RecordingSleeper sleeper = new RecordingSleeper();

    private NtfySettings settings(Optional<String> token, Optional<String> user, Optional<String> password,
            boolean failuresOnly) {
        return new NtfySettings(server.url("/").uri(), "db-backups", token, user, password, failuresOnly,
                CONNECT, READ, 3, BACKOFF, CLOCK);
    }

    private NtfyNotifier notifier() {
        return new NtfyNotifier(settings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), false), sleeper);
    }

    private void answer(int... codes) {
        for (int code : codes) {
            server.enqueue(new MockResponse().setResponseCode(code)
                    .setBody(code == 200 ? "{\"id\":\"x\",\"event\":\"message\"}"
                            : "{\"code\":" + code + "01,\"http\":" + code + ",\"error\":\"error " + code + "\"}"));
        }
    }

    private RecordedRequest next() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    private static JsonObject json(RecordedRequest request) {
        return JsonParser.parseString(request.getBody().readString(StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static List<String> tags(JsonObject json) {
        JsonArray tags = json.getAsJsonArray("tags");
        List<String> result = new ArrayList<>();
        tags.forEach(tag -> result.add(tag.getAsString()));
        return result;
    }

    private void assertNoSecretIn(CapturedLogs logs) {
        for (String secret : secrets) {
            assertThat(logs.everything()).doesNotContain(secret);
        }
    }

    @Test
    void success_isPostedAsJsonToTheServerRoot_withTheToken() throws Exception {
        answer(200);

        boolean delivered = notifier().notify(RunReports.success("shop.db", Optional.of(RunReports.LINK)));

        assertThat(delivered).isTrue();
        RecordedRequest request = next();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        JsonObject json = json(request);
        assertThat(json.get("topic").getAsString()).isEqualTo("db-backups");
        assertThat(json.get("title").getAsString()).isEqualTo("Backup of shop.db succeeded");
        assertThat(json.get("message").getAsString())
                .contains("backup-2026-07-01-030000.db")
                .contains("12.3 MiB")
                .contains("4.2 s")
                .contains("Kept 14 backups, deleted 2")
                .contains("Drive: " + RunReports.LINK);
        assertThat(json.get("priority").getAsInt()).isEqualTo(3);
        assertThat(tags(json)).containsExactly("white_check_mark");
        assertThat(json.get("click").getAsString()).isEqualTo(RunReports.LINK);
    }

    @Test
    void successWithoutDriveLink_hasNoClickAction() throws Exception {
        answer(200);

        assertThat(notifier().notify(RunReports.success("shop.db", Optional.empty()))).isTrue();

        JsonObject json = json(next());
        assertThat(json.has("click")).isFalse();
        assertThat(json.get("message").getAsString()).doesNotContain("Drive");
    }

    @Test
    void userAndPassword_areSentAsBasicAuth_inUtf8() throws Exception {
        answer(200);
        NtfyNotifier notifier = new NtfyNotifier(
                settings(Optional.empty(), Optional.of("alice"), Optional.of("pässwörd"), false), sleeper);

        assertThat(notifier.notify(RunReports.success("shop.db", Optional.empty()))).isTrue();

        String expected = Base64.getEncoder().encodeToString("alice:pässwörd".getBytes(StandardCharsets.UTF_8));
        assertThat(next().getHeader("Authorization")).isEqualTo("Basic " + expected);
    }

    @Test
    void noLogin_sendsNoAuthorization() throws Exception {
        answer(200);
        NtfyNotifier notifier = new NtfyNotifier(
                settings(Optional.empty(), Optional.empty(), Optional.empty(), false), sleeper);

        assertThat(notifier.notify(RunReports.success("shop.db", Optional.empty()))).isTrue();

        assertThat(next().getHeader("Authorization")).isNull();
    }

    @Test
    void serverBehindAPathPrefix_isPublishedToAtThatPath() throws Exception {
        answer(200);
        URI prefixed = server.url("/ntfy").uri();
        NtfyNotifier notifier = new NtfyNotifier(new NtfySettings(prefixed, "db-backups", Optional.empty(),
                Optional.empty(), Optional.empty(), false, CONNECT, READ, 3, BACKOFF, CLOCK), sleeper);

        assertThat(notifier.notify(RunReports.success("shop.db", Optional.empty()))).isTrue();

        assertThat(next().getPath()).isEqualTo("/ntfy/");
    }

    @Test
    void nonAsciiNamesAndErrors_arriveIntact() throws Exception {
        answer(200);
        String name = "données-日本語.db";
        String error = "disque plein : écriture refusée ✗ 💾";

        assertThat(notifier().notify(RunReports.failed(name, error, Optional.empty()))).isTrue();

        JsonObject json = json(next());
        assertThat(json.get("title").getAsString()).isEqualTo("Backup of données-日本語.db FAILED");
        assertThat(json.get("message").getAsString()).contains(error);
    }

    @Test
    void failure_isHigh_withTheErrorAndTheLastSuccess() throws Exception {
        answer(200);
        Instant lastSuccess = RunReports.FINISHED.minus(Duration.ofDays(1));

        notifier().notify(RunReports.failed("shop.db", "database is locked", Optional.of(lastSuccess)));

        JsonObject json = json(next());
        assertThat(json.get("title").getAsString()).isEqualTo("Backup of shop.db FAILED");
        assertThat(json.get("priority").getAsInt()).isEqualTo(4);
        assertThat(tags(json)).containsExactly("rotating_light");
        assertThat(json.get("message").getAsString())
                .isEqualTo("Error: database is locked\nLast successful backup: 2026-06-30T03:00:05Z (1 d 0 h ago)");
        assertThat(json.has("click")).isFalse();
    }

    @Test
    void failure_lastSuccessOlderThanTwoDays_isUrgent() throws Exception {
        answer(200, 200);

        notifier().notify(RunReports.failed("shop.db", "disk full",
                Optional.of(RunReports.FINISHED.minus(Duration.ofDays(2)).minusSeconds(1))));
        notifier().notify(RunReports.failed("shop.db", "disk full",
                Optional.of(RunReports.FINISHED.minus(Duration.ofDays(2)))));

        assertThat(json(next()).get("priority").getAsInt()).as("2 days and 1 s").isEqualTo(5);
        assertThat(json(next()).get("priority").getAsInt()).as("exactly 2 days").isEqualTo(4);
    }

    @Test
    void failure_noSuccessOnRecord_isHigh_notUrgent() throws Exception {
        answer(200);

        notifier().notify(RunReports.failed("shop.db", "no such file", Optional.empty()));

        JsonObject json = json(next());
        assertThat(json.get("priority").getAsInt()).isEqualTo(4);
        assertThat(json.get("message").getAsString()).contains("Last successful backup: none on record");
    }

    @Test
    void longErrors_areCutToTwoLines() throws Exception {
        answer(200);
        String error = "first line\n\n  second line  \nthird line\n" + "x".repeat(500);

        notifier().notify(RunReports.failed("shop.db", error, Optional.empty()));

        String message = json(next()).get("message").getAsString();
        assertThat(message).startsWith("Error: first line\nsecond line …\n").doesNotContain("third line");
    }

    @Test
    void localOnly_isAFailure_thatSaysTheLocalCopyIsSafe() throws Exception {
        answer(200, 200);

        notifier().notify(RunReports.localOnly("shop.db", "Drive quota exceeded",
                Optional.of(RunReports.FINISHED.minus(Duration.ofDays(1)))));
        notifier().notify(RunReports.localOnly("shop.db", "Drive quota exceeded",
                Optional.of(RunReports.FINISHED.minus(Duration.ofDays(3)))));

        JsonObject json = json(next());
        assertThat(json.get("title").getAsString()).contains("shop.db").contains("failed").contains("local copy safe");
        assertThat(json.get("message").getAsString())
                .contains("The local copy is safe: backup-2026-07-01-030000.db, 12.3 MiB")
                .contains("Drive quota exceeded");
        assertThat(json.get("priority").getAsInt()).isEqualTo(4);
        assertThat(tags(json)).containsExactly("warning");
        assertThat(json(next()).get("priority").getAsInt()).isEqualTo(5);
    }

    @Test
    void failuresOnly_skipsSuccess_butSendsFailures() throws Exception {
        answer(200);
        NtfyNotifier notifier = new NtfyNotifier(
                settings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), true), sleeper);

        assertThat(notifier.notify(RunReports.success("shop.db", Optional.empty())))
                .as("nothing was due, so nothing was lost").isTrue();
        assertThat(server.getRequestCount()).isZero();
        assertThat(notifier.notify(RunReports.failed("shop.db", "boom", Optional.empty()))).isTrue();
        assertThat(json(next()).get("priority").getAsInt()).isEqualTo(4);
    }

    @Test
    void rateLimited_retriesAfterTheServersRetryAfter() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1")
                .setBody("{\"code\":42901,\"http\":429,\"error\":\"limit reached: too many requests\"}"));
        answer(200);

        boolean delivered = notifier().notify(RunReports.success("shop.db", Optional.empty()));

        assertThat(delivered).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
        // the server's second, not the 10 ms backoff
        assertThat(sleeper.delays()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void rateLimited_retryAfterAsHttpDate_isHonoured() throws Exception {
        String inOneSecond = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(CLOCK.instant().plusSeconds(1), ZoneOffset.UTC));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", inOneSecond));
        answer(200);

        assertThat(notifier().notify(RunReports.success("shop.db", Optional.empty()))).isTrue();

        assertThat(sleeper.delays()).singleElement().satisfies(
                wait -> assertThat(wait).isGreaterThanOrEqualTo(Duration.ofMillis(950)));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void rateLimited_retryAfterBeyondTheTimeLimit_givesUpAtOnce() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "3600"));
        NtfyNotifier notifier = notifier();

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(notifier.notify(RunReports.failed("shop.db", "boom", Optional.empty()))).isFalse();

            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(logs.warnings()).singleElement().asString()
                    .contains("HTTP 429").contains("1 h 0 min").contains("time limit");
            assertThat(sleeper.delays()).as("no wait at all").isEmpty();
        }
    }

    @Test
    void serverErrors_areRetried_untilDelivered() throws Exception {
        answer(503, 500, 200);

        assertThat(notifier().notify(RunReports.success("shop.db", Optional.empty()))).isTrue();

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(sleeper.delays()).as("exponential backoff").containsExactly(BACKOFF, BACKOFF.multipliedBy(2));
    }

    @Test
    void serverErrors_giveUpAfterThreeAttempts_withOneWarning() throws Exception {
        answer(500, 502, 503, 200);
        NtfyNotifier notifier = notifier();

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(notifier.notify(RunReports.failed("shop.db", "boom", Optional.empty()))).isFalse();

            assertThat(server.getRequestCount()).isEqualTo(3);
            assertThat(logs.warnings()).singleElement().asString()
                    .contains("not delivered after 3 attempts").contains("HTTP 503 error 503")
                    .contains("db-backups");
            assertNoSecretIn(logs);
        }
    }

    @Test
    void aProxyEchoingTheAuthorizationHeader_isLoggedWithTheTokenMasked() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(403)
                .setBody("forbidden: request had Authorization: Bearer " + TOKEN + " for /db-backups"));
        NtfyNotifier notifier = notifier();

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(notifier.notify(RunReports.failed("shop.db", "boom", Optional.empty()))).isFalse();

            assertThat(logs.warnings()).singleElement().asString().contains("HTTP 403")
                    .contains("Authorization: Bearer ***");
            assertNoSecretIn(logs);
        }
    }

    @Test
    void unauthorized_isNotRetried_andIsLoggedWithoutTheToken() throws Exception {
        answer(401);
        NtfyNotifier notifier = notifier();

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(notifier.notify(RunReports.failed("shop.db", "boom", Optional.empty()))).isFalse();

            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(logs.warnings()).singleElement().asString().contains("HTTP 401 error 401");
            assertNoSecretIn(logs);
        }
    }

    @Test
    void forbidden_withBasicAuth_isLoggedWithoutThePassword() throws Exception {
        answer(403);
        NtfyNotifier notifier = new NtfyNotifier(
                settings(Optional.empty(), Optional.of("alice"), Optional.of("hunter2-secret"), false), sleeper);
        secrets.add("hunter2-secret");
        secrets.add(Base64.getEncoder().encodeToString("alice:hunter2-secret".getBytes(StandardCharsets.UTF_8)));

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(notifier.notify(RunReports.failed("shop.db", "boom", Optional.empty()))).isFalse();

            assertThat(logs.warnings()).singleElement().asString().contains("HTTP 403");
            assertNoSecretIn(logs);
        }
    }

    @Test
    void redirect_isNotFollowed_andSaysWhereTo() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", "https://ntfy.example.org/"));

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(notifier().notify(RunReports.success("shop.db", Optional.empty()))).isFalse();

            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(logs.warnings()).singleElement().asString()
                    .contains("https://ntfy.example.org/").contains("use the final address as the ntfy server URL")
                    .as("the adapter knows no setting's name (issue 10)").doesNotContain("NTFY_URL");
        }
    }

    @Test
    void serverThatNeverAnswers_returnsFalseWithinTheBound() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }
        NtfySettings settings = settings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), false)
                .withLimits(Duration.ofMillis(200), Duration.ofMillis(200), 3, Duration.ofMillis(20));
        NtfyNotifier notifier = new NtfyNotifier(settings, sleeper);

        try (CapturedLogs logs = new CapturedLogs()) {
            long start = System.nanoTime();
            boolean delivered = notifier.notify(RunReports.failed("shop.db", "boom", Optional.empty()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(delivered).isFalse();
            // Generous on purpose (machines are noisy): what matters is that it returns, and not minutes later.
            assertThat(took).isLessThan(settings.timeLimit().multipliedBy(10));
            assertThat(server.getRequestCount()).isEqualTo(3);
            assertThat(logs.warnings()).singleElement().asString().contains("3 attempts").contains("timed out");
            assertNoSecretIn(logs);
        }
    }

    @Test
    void serverDown_returnsFalse_afterThreeAttempts() throws Exception {
        URI down = server.url("/").uri();
        server.shutdown();
        NtfyNotifier notifier = new NtfyNotifier(new NtfySettings(down, "db-backups", Optional.of(TOKEN),
                Optional.empty(), Optional.empty(), false, CONNECT, READ, 3, BACKOFF, CLOCK), sleeper);

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(notifier.notify(RunReports.success("shop.db", Optional.empty()))).isFalse();

            assertThat(logs.warnings()).singleElement().asString().contains("3 attempts").contains("connect");
            assertNoSecretIn(logs);
        }
    }

    @Test
    void sendTest_sendsAClearlyLabelledMessage_andReportsDelivery() throws Exception {
        answer(200, 401);
        NtfyNotifier notifier = new NtfyNotifier(
                settings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), true), sleeper);

        assertThat(notifier.sendTest()).as("sent even when only failures are").isTrue();
        assertThat(notifier.sendTest()).isFalse();

        JsonObject json = json(next());
        assertThat(json.get("title").getAsString()).isEqualTo("sqlite-backup test notification");
        assertThat(json.get("message").getAsString()).contains("test").contains("2026-07-01T03:00:06Z");
        assertThat(json.get("priority").getAsInt()).isEqualTo(3);
        assertThat(tags(json)).containsExactly("test_tube");
    }

    @Test
    void runSummary_isOneMessage_withCountTotalSizeDurationAndTheFailedAndGoneNames() throws Exception {
        answer(200);

        boolean delivered = notifier().notify(new dev.sqlitebackup.domain.model.RunSummary(RunReports.FINISHED, 48,
                48L * 1024 * 1024, Duration.ofSeconds(95), List.of("tenant7", "tenant31"), List.of("tenant9")));

        assertThat(delivered).isTrue();
        JsonObject json = json(next());
        assertThat(json.get("topic").getAsString()).isEqualTo("db-backups");
        assertThat(json.get("title").getAsString()).isEqualTo("Backups: 48 succeeded, 2 FAILED, 1 gone");
        assertThat(json.get("message").getAsString())
                .contains("48 databases backed up, 48.0 MiB in total, took 1 min 35 s")
                .contains("Failed: tenant7, tenant31")
                .contains("Gone (source vanished, backups kept): tenant9");
        assertThat(json.get("priority").getAsInt()).isEqualTo(4);
        assertThat(tags(json)).containsExactly("rotating_light");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aFailedDrill_isAHighPriorityMessage_namingTheBackupAndTheCheck_evenWithFailuresOnly() throws Exception {
        answer(200);
        NtfyNotifier failuresOnly = new NtfyNotifier(
                settings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), true), sleeper);

        boolean delivered = failuresOnly.notify(new dev.sqlitebackup.domain.model.DrillFailure("app",
                RunReports.FINISHED, Optional.of(dev.sqlitebackup.domain.model.BackupName.at(RunReports.FINISHED)),
                true, "restore drill of the latest off-site copy failed: data assertion users: 0, expected >= 1"));

        assertThat(delivered).isTrue();
        JsonObject json = json(next());
        assertThat(json.get("title").getAsString()).isEqualTo("Restore drill of app FAILED");
        assertThat(json.get("message").getAsString()).contains("(off-site copy)")
                .contains("data assertion users: 0, expected >= 1");
        assertThat(json.get("priority").getAsInt()).isEqualTo(4);
    }

    @Test
    void runSummary_allSucceeded_isADefaultPriorityMessage() throws Exception {
        answer(200);

        notifier().notify(new dev.sqlitebackup.domain.model.RunSummary(RunReports.FINISHED, 2, 3L * 1024,
                Duration.ofSeconds(2), List.of(), List.of()));

        JsonObject json = json(next());
        assertThat(json.get("title").getAsString()).isEqualTo("Backups: 2 succeeded");
        assertThat(json.get("message").getAsString()).contains("2 databases backed up, 3.0 KiB in total")
                .doesNotContain("Failed");
        assertThat(json.get("priority").getAsInt()).isEqualTo(3);
        assertThat(tags(json)).containsExactly("white_check_mark");
    }

    @Test
    void runSummary_withFailuresOnly_isSentOnlyWhenSomethingFailed() throws Exception {
        answer(200);
        NtfyNotifier failuresOnly = new NtfyNotifier(
                settings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), true), sleeper);

        boolean allWell = failuresOnly.notify(new dev.sqlitebackup.domain.model.RunSummary(RunReports.FINISHED, 5,
                5000, Duration.ofSeconds(3), List.of(), List.of()));
        boolean oneFailed = failuresOnly.notify(new dev.sqlitebackup.domain.model.RunSummary(RunReports.FINISHED, 4,
                4000, Duration.ofSeconds(3), List.of("tenant2"), List.of()));

        assertThat(allWell).as("nothing was due").isTrue();
        assertThat(oneFailed).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(json(next()).get("message").getAsString()).contains("Failed: tenant2");
    }
}
