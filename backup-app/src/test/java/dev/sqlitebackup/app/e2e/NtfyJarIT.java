package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sqlitebackup.adapters.ntfy.testing.RealNtfyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications through the shaded jar against a real ntfy server (Debian's ntfy binary) that denies everyone by
 * default: what a successful and a failed {@code run} publish, that a notification problem never fails a backup,
 * {@code notify-test}'s exit codes, and that neither the token nor the password is ever printed, even at {@code -v}.
 */
class NtfyJarIT {

    private static final String HOW_TO_RUN = "no real ntfy binary given, so the ntfy end-to-end test is skipped; "
            + "run it from the repository root with: mvn verify -Dntfy.binary=$(../shared/tools/real-ntfy)  "
            + "(or set NTFY_BINARY)";
    private static final String TOKEN_USER = "backupbot";
    private static final String PASSWORD_USER = "alice";
    private static final String PASSWORD = "pässwörd-ñ secret";
    private static final String WRONG_TOKEN = "tk_notthetokenntfymade0000000";
    private static final Pattern BACKUP = Pattern.compile("backup-\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.db");

    @TempDir
    static Path serverDir;

    private static RealNtfyServer server;
    private static String token;

    @TempDir
    Path home;

    @BeforeAll
    static void startNtfy() throws Exception {
        Optional<Path> binary = RealNtfyServer.binary();
        if (binary.isEmpty()) {
            System.err.println("SKIPPED NtfyJarIT: " + HOW_TO_RUN);
        }
        Assumptions.assumeTrue(binary.isPresent(), HOW_TO_RUN);

        server = RealNtfyServer.start(serverDir);
        server.addUser(TOKEN_USER, "token-user-password");
        server.addUser(PASSWORD_USER, PASSWORD);
        server.allow(TOKEN_USER, "sqlite-backup-*");
        server.allow(PASSWORD_USER, "sqlite-backup-*");
        token = server.addToken(TOKEN_USER);
    }

    @AfterAll
    static void stopNtfy() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void successfulRun_ofANonAsciiNamedDatabase_publishesTheSuccess_withDatabaseAndBackupName() throws Exception {
        String topic = "sqlite-backup-e2e-success";
        String database = "données clients.db";
        Sqlite.createNotes(home.resolve(database), 200);

        JarProcess.Result run = withToken(topic, token).run("run", "--database", database);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).as("delivered, so nothing to warn about").isEmpty();
        List<Path> backups = backups(home.resolve("backups").resolve(database));
        assertThat(backups).hasSize(1);
        String backupName = backups.get(0).getFileName().toString();

        assertThat(server.poll(topic, token)).singleElement().satisfies(m -> {
            assertThat(m.get("title").getAsString()).isEqualTo("Backup of données clients.db succeeded");
            assertThat(m.get("message").getAsString()).contains("Backup " + backupName + ", ")
                    .contains("Kept 1 backup, deleted 0");
            assertThat(priority(m)).isEqualTo(3);
            assertThat(tags(m)).containsExactly("white_check_mark");
        });
    }

    @Test
    void failedRun_publishesTheFailure_withHighPriorityAndTheError() throws Exception {
        String topic = "sqlite-backup-e2e-failure";
        Files.writeString(home.resolve("notes.txt"), "hello, not a database\n".repeat(50));

        JarProcess.Result run = withToken(topic, token).run("run", "--database", "notes.txt");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errLines()).as("the error, and no warning about the notification").singleElement()
                .asString().contains("not an SQLite database");
        assertThat(home.resolve("backups")).doesNotExist();

        assertThat(server.poll(topic, token)).singleElement().satisfies(m -> {
            assertThat(m.get("title").getAsString()).isEqualTo("Backup of notes.txt FAILED");
            assertThat(m.get("message").getAsString()).startsWith("Error: ").contains("not an SQLite database");
            assertThat(priority(m)).isBetween(4, 5);
            assertThat(tags(m)).containsExactly("rotating_light");
        });
    }

    @Test
    void wrongToken_stillBacksUp_warnsOnce_andNeverPrintsTheToken() throws Exception {
        String topic = "sqlite-backup-e2e-wrong-token";
        Sqlite.createNotes(home.resolve("app.db"), 50);

        JarProcess.Result run = withToken(topic, WRONG_TOKEN).run("run", "--database", "app.db");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(backups(home.resolve("backups").resolve("app.db"))).hasSize(1);
        assertThat(run.errLines()).as(run.toString()).singleElement().asString()
                .contains("WARN").contains("ntfy").contains("not delivered").contains("401");
        assertThat(run.out() + run.err()).doesNotContain(WRONG_TOKEN);
        assertThat(server.poll(topic, token)).as("the server refused it").isEmpty();
    }

    @Test
    void notifyTest_exits0WhenDelivered_1WhenRefused_2WhenNotConfigured() throws Exception {
        String topic = "sqlite-backup-e2e-notify-test";

        JarProcess.Result delivered = withToken(topic, token).run("notify-test");
        assertThat(delivered.exitCode()).as(delivered.toString()).isZero();
        assertThat(delivered.out()).contains("delivered").contains(topic);
        assertThat(server.poll(topic, token)).singleElement().satisfies(m ->
                assertThat(m.get("title").getAsString()).isEqualTo("sqlite-backup test notification"));

        JarProcess.Result refused = withToken(topic, WRONG_TOKEN).run("notify-test");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("401").contains("not delivered");
        assertThat(refused.out() + refused.err()).doesNotContain(WRONG_TOKEN);
        assertThat(server.poll(topic, token)).as("still only the first").hasSize(1);

        // A server and a token but no topic: ntfy is off, and notify-test says so in one line.
        JarProcess.Result unconfigured = new JarProcess(home).env("NTFY_URL", server.baseUrl().toString())
                .env("NTFY_TOKEN", token).run("notify-test");
        assertThat(unconfigured.exitCode()).as(unconfigured.toString()).isEqualTo(2);
        assertThat(unconfigured.errLines()).singleElement().asString().contains("NTFY_TOPIC");
        assertThat(unconfigured.out() + unconfigured.err()).doesNotContain(token);
    }

    @Test
    void verbose_neverPrintsTheTokenOrThePassword() throws Exception {
        // A failed run at -v prints the stack trace: where a secret in an exception message would show.
        String tokenTopic = "sqlite-backup-e2e-verbose-token";
        Files.writeString(home.resolve("notes.txt"), "hello, not a database\n".repeat(50));
        JarProcess.Result failed = withToken(tokenTopic, token).run("run", "-v", "--database", "notes.txt");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.err()).as("-v prints the stack trace").contains("\tat ");
        assertThat(failed.out() + failed.err()).doesNotContain(token);
        assertThat(server.poll(tokenTopic, token)).as("sent with the token").hasSize(1);

        String passwordTopic = "sqlite-backup-e2e-verbose-password";
        Sqlite.createNotes(home.resolve("app.db"), 50);
        JarProcess.Result withPassword = ntfy(passwordTopic).env("NTFY_USER", PASSWORD_USER)
                .env("NTFY_PASSWORD", PASSWORD).run("run", "-v", "--database", "app.db");
        assertThat(withPassword.exitCode()).as(withPassword.toString()).isZero();
        assertThat(withPassword.out() + withPassword.err()).doesNotContain(PASSWORD)
                .doesNotContain(basicCredentials(PASSWORD_USER, PASSWORD));
        assertThat(server.poll(passwordTopic, token)).as("sent with user and password").hasSize(1);

        JarProcess.Result refused = withToken(tokenTopic, WRONG_TOKEN).run("notify-test", "-v");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("401");
        assertThat(refused.out() + refused.err()).doesNotContain(WRONG_TOKEN);
    }

    /** The jar with ntfy on: our server and {@code topic}, no login yet. */
    private JarProcess ntfy(String topic) {
        return new JarProcess(home).env("NTFY_URL", server.baseUrl().toString()).env("NTFY_TOPIC", topic);
    }

    private JarProcess withToken(String topic, String accessToken) {
        return ntfy(topic).env("NTFY_TOKEN", accessToken);
    }

    private static List<Path> backups(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> BACKUP.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /** What an Authorization: Basic header carries, so a logged header would be caught too. */
    private static String basicCredentials(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
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
