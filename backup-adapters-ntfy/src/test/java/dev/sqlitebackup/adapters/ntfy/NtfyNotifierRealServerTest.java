package dev.sqlitebackup.adapters.ntfy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sqlitebackup.adapters.ntfy.testing.RealNtfyServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier against a real ntfy server (Debian's ntfy binary, see {@link RealNtfyServer}) that denies everyone by
 * default: a user with a token and a user with a password get write access, the notifier publishes, and the messages
 * are read back.
 */
class NtfyNotifierRealServerTest {

    private static final String HOW_TO_RUN = "no real ntfy binary given, so the real-server test is skipped; "
            + "run it with: mvn test -Dntfy.binary=$(../shared/tools/real-ntfy)  (or set NTFY_BINARY)";
    private static final String TOKEN_USER = "backupbot";
    private static final String PASSWORD_USER = "alice";
    private static final String PASSWORD = "pässwörd-ñ";

    @TempDir
    static Path dir;

    private static RealNtfyServer server;
    private static URI baseUrl;
    private static String token;

    @BeforeAll
    static void startNtfy() throws Exception {
        Optional<Path> binary = RealNtfyServer.binary();
        if (binary.isEmpty()) {
            System.err.println("SKIPPED NtfyNotifierRealServerTest: " + HOW_TO_RUN);
        }
        Assumptions.assumeTrue(binary.isPresent(), HOW_TO_RUN);
        assertThat(binary.get()).as("ntfy.binary").isExecutable();

        server = RealNtfyServer.start(dir);
        baseUrl = server.baseUrl();
        server.addUser(TOKEN_USER, "token-user-password");
        server.addUser(PASSWORD_USER, PASSWORD);
        server.allow(TOKEN_USER, "sqlite-backup-*");
        server.allow(PASSWORD_USER, "sqlite-backup-*");
        token = server.addToken(TOKEN_USER);
        assertThat(token).as("the token ntfy made").startsWith("tk_");
    }

    @AfterAll
    static void stopNtfy() {
        if (server != null) {
            server.close();
        }
    }

    private static NtfyNotifier notifier(String topic, Optional<String> token, Optional<String> user,
            Optional<String> password) {
        return new NtfyNotifier(new NtfySettings(baseUrl, topic, token, user, password, false,
                Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(100), Clock.systemUTC()));
    }

    @Test
    void successAndFailures_arriveIntact_withTitlePriorityAndTags() throws Exception {
        String topic = "sqlite-backup-runs";
        NtfyNotifier notifier = notifier(topic, Optional.of(token), Optional.empty(), Optional.empty());
        String database = "données-日本語.db";
        String error = "disque plein : écriture refusée ✗\nat line two\nat line three";

        assertThat(notifier.notify(RunReports.success(database, Optional.of(RunReports.LINK)))).isTrue();
        assertThat(notifier.notify(RunReports.failed(database, error,
                Optional.of(RunReports.FINISHED.minus(Duration.ofDays(3)))))).isTrue();
        assertThat(notifier.notify(RunReports.localOnly(database, "Drive: quota dépassé",
                Optional.of(RunReports.FINISHED.minus(Duration.ofHours(20)))))).isTrue();

        List<JsonObject> messages = poll(topic);
        assertThat(messages).hasSize(3);

        JsonObject success = messages.get(0);
        assertThat(success.get("title").getAsString()).isEqualTo("Backup of données-日本語.db succeeded");
        assertThat(success.get("message").getAsString())
                .contains("backup-2026-07-01-030000.db, 12.3 MiB, took 4.2 s")
                .contains("Kept 14 backups, deleted 2")
                .contains(RunReports.LINK);
        assertThat(priority(success)).isEqualTo(3);
        assertThat(tags(success)).containsExactly("white_check_mark");
        assertThat(success.get("click").getAsString()).isEqualTo(RunReports.LINK);

        JsonObject failure = messages.get(1);
        assertThat(failure.get("title").getAsString()).isEqualTo("Backup of données-日本語.db FAILED");
        assertThat(failure.get("message").getAsString())
                .startsWith("Error: disque plein : écriture refusée ✗\nat line two …\n")
                .contains("Last successful backup: 2026-06-28T03:00:05Z (3 d 0 h ago)");
        assertThat(priority(failure)).as("last success 3 days before: urgent").isEqualTo(5);
        assertThat(tags(failure)).containsExactly("rotating_light");

        JsonObject localOnly = messages.get(2);
        assertThat(localOnly.get("title").getAsString()).contains("failed").contains("local copy safe");
        assertThat(localOnly.get("message").getAsString())
                .contains("The local copy is safe").contains("quota dépassé");
        assertThat(priority(localOnly)).isEqualTo(4);
    }

    @Test
    void userAndPassword_deliver() throws Exception {
        String topic = "sqlite-backup-basic";
        NtfyNotifier notifier = notifier(topic, Optional.empty(), Optional.of(PASSWORD_USER), Optional.of(PASSWORD));

        assertThat(notifier.notify(RunReports.failed("shop.db", "database disk image is malformed",
                Optional.empty()))).isTrue();

        List<JsonObject> messages = poll(topic);
        assertThat(messages).singleElement().satisfies(m -> {
            assertThat(m.get("title").getAsString()).isEqualTo("Backup of shop.db FAILED");
            assertThat(priority(m)).as("no success on record: high").isEqualTo(4);
        });
    }

    @Test
    void sendTest_isDeliveredAndReadable() throws Exception {
        String topic = "sqlite-backup-test";
        Instant before = Instant.now();

        assertThat(notifier(topic, Optional.of(token), Optional.empty(), Optional.empty()).sendTest()).isTrue();

        assertThat(poll(topic)).singleElement().satisfies(m -> {
            assertThat(m.get("title").getAsString()).isEqualTo("sqlite-backup test notification");
            assertThat(m.get("time").getAsLong()).isGreaterThanOrEqualTo(before.getEpochSecond() - 1);
        });
    }

    @Test
    void wrongToken_isNotDelivered_andOnlyWarns() throws Exception {
        String topic = "sqlite-backup-wrong";
        String wrong = "tk_thisisnotavalidtoken000000";
        NtfyNotifier notifier = notifier(topic, Optional.of(wrong), Optional.empty(), Optional.empty());

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThatCode(() -> assertThat(notifier.notify(
                    RunReports.failed("shop.db", "boom", Optional.empty()))).isFalse())
                    .doesNotThrowAnyException();

            assertThat(logs.warnings()).singleElement().asString().contains("HTTP 401").contains("unauthorized");
            assertThat(logs.everything()).doesNotContain(wrong);
        }
        assertThat(poll(topic)).isEmpty();
    }

    @Test
    void noLogin_isDeniedByTheServer_andOnlyWarns() throws Exception {
        NtfyNotifier anonymous = notifier("sqlite-backup-anon", Optional.empty(), Optional.empty(), Optional.empty());

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(anonymous.notify(RunReports.success("shop.db", Optional.empty()))).isFalse();

            assertThat(logs.warnings()).singleElement().asString().contains("HTTP 403").contains("forbidden");
        }
    }

    /** Every message the topic holds, oldest first, read with the token. */
    private static List<JsonObject> poll(String topic) throws Exception {
        return server.poll(topic, token);
    }

    private static int priority(JsonObject message) {
        // ntfy leaves the priority out when it is the default (3).
        return message.has("priority") ? message.get("priority").getAsInt() : 3;
    }

    private static List<String> tags(JsonObject message) {
        List<String> tags = new ArrayList<>();
        if (message.has("tags")) {
            for (JsonElement tag : message.getAsJsonArray("tags")) {
                tags.add(tag.getAsString());
            }
        }
        return tags;
    }
}
