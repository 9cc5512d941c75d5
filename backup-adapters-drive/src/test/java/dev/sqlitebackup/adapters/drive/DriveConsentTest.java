package dev.sqlitebackup.adapters.drive;

import static dev.sqlitebackup.adapters.drive.DriveFixture.plainStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriveConsentTest {

    private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/o/oauth2/auth\\?\\S+)");

    @TempDir
    Path dir;
    private FakeDrive fake;
    private Path clientSecrets;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        fake = new FakeDrive();
        clientSecrets = dir.resolve("client_secret.json");
        Files.writeString(clientSecrets, """
                {"installed": {"client_id": "%s", "project_id": "fake", "auth_uri": "%s", "token_uri": "%s",
                 "client_secret": "%s", "redirect_uris": ["http://localhost"]}}
                """.formatted(FakeDrive.CLIENT_ID, fake.authUri(), fake.tokenUri(), fake.clientSecret));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** Runs drive-auth in the background and returns the address it printed. */
    private CompletableFuture<Path> run(Path out) throws InterruptedException {
        PrintStream prompt = new PrintStream(printed, true, StandardCharsets.UTF_8);
        CompletableFuture<Path> result = CompletableFuture.supplyAsync(
                () -> new DriveConsent(Duration.ofSeconds(20), 0).authorise(clientSecrets, out, prompt));
        for (int i = 0; i < 200 && !URL.matcher(printed()).find(); i++) {
            Thread.sleep(25);
        }
        return result;
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private String printedUrl() {
        Matcher m = URL.matcher(printed());
        assertThat(m.find()).as("printed: %s", printed()).isTrue();
        return m.group(1);
    }

    /** A person opening the address: the consent screen sends the browser back to the loopback address. */
    private static HttpResponse<String> openInBrowser(String url) throws IOException, InterruptedException {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        return browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void consent_printsTheAddress_exchangesTheCode_andWritesA0600File() throws Exception {
        Path out = dir.resolve("config/sqlite-backup/drive-credentials.json");
        CompletableFuture<Path> result = run(out);
        String url = printedUrl();
        Map<String, String> query = Arrays.stream(URI.create(url).getRawQuery().split("&"))
                .map(p -> p.split("=", 2)).collect(Collectors.toMap(p -> p[0],
                        p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));

        HttpResponse<String> page = openInBrowser(url);

        assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo(out);
        assertThat(query).containsEntry("client_id", FakeDrive.CLIENT_ID)
                .containsEntry("scope", "https://www.googleapis.com/auth/drive.file")
                .containsEntry("response_type", "code").containsEntry("access_type", "offline")
                .containsEntry("code_challenge_method", "S256").containsKey("state");
        assertThat(query.get("redirect_uri")).matches("http://127\\.0\\.0\\.1:\\d+/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("You can close this tab");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonObject written = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertThat(written.get("type").getAsString()).isEqualTo("authorized_user");
        assertThat(written.get("client_id").getAsString()).isEqualTo(FakeDrive.CLIENT_ID);
        assertThat(written.get("client_secret").getAsString()).isEqualTo(fake.clientSecret);
        assertThat(written.get("refresh_token").getAsString()).isEqualTo(fake.refreshToken);
        assertThat(written.get("token_uri").getAsString()).isEqualTo(fake.tokenUri().toString());
        assertThat(printed()).contains("Wrote " + out).doesNotContain(fake.refreshToken, fake.clientSecret);
        assertThat(fake.issuedAccessTokens()).hasSize(1).allSatisfy(t -> assertThat(printed()).doesNotContain(t));

        // and the file it wrote works
        Backup backup = DriveFixture.backup(dir, Instant.parse("2026-05-01T00:00:00Z"), 1000, 1);
        plainStore(DriveFixture.settings(fake, out), new RecordingSleeper())
                .upload(backup, DriveFixture.fileOf(dir, backup));
        assertThat(fake.named(backup.name().value())).hasSize(1);
    }

    @Test
    void aStrayRequest_isIgnored_andTheRealAnswerStillCounts() throws Exception {
        Path out = dir.resolve("drive-credentials.json");
        CompletableFuture<Path> result = run(out);
        String redirect = URLDecoder.decode(printedUrl().replaceAll(".*redirect_uri=([^&]+).*", "$1"),
                StandardCharsets.UTF_8);

        HttpResponse<String> forged = openInBrowser(redirect + "?code=evil&state=wrong");
        openInBrowser(printedUrl());

        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo(out);
    }

    @Test
    void refusedConsent_isAClearError_andWritesNothing() throws Exception {
        fake.denyConsent = true;
        Path out = dir.resolve("drive-credentials.json");
        CompletableFuture<Path> result = run(out);

        openInBrowser(printedUrl());

        assertThatThrownBy(() -> result.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(InvalidInputException.class)
                .hasMessageContaining("access_denied");
        assertThat(out).doesNotExist();
    }

    @Test
    void badClientSecrets_areInvalidInput() throws IOException {
        Files.writeString(clientSecrets, "{\"web\": {\"client_id\": \"x\", \"client_secret\": \"y\"}}");
        assertThatThrownBy(() -> new DriveConsent().authorise(clientSecrets, dir.resolve("o.json"),
                new PrintStream(printed, true, StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Desktop app");
        assertThatThrownBy(() -> new DriveConsent().authorise(dir.resolve("none.json"), dir.resolve("o.json"),
                new PrintStream(printed, true, StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no such file");
    }

    @Test
    void defaultCredentialsFile_followsXdg() {
        assertThat(DriveConsent.defaultCredentialsFile(Map.of("XDG_CONFIG_HOME", "/etc/xdg")))
                .isEqualTo(Path.of("/etc/xdg/sqlite-backup/drive-credentials.json"));
        assertThat(DriveConsent.defaultCredentialsFile(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config/sqlite-backup/drive-credentials.json"));
    }
}
