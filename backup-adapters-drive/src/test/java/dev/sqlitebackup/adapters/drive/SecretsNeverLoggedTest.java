package dev.sqlitebackup.adapters.drive;

import static dev.sqlitebackup.adapters.drive.DriveFixture.plainStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.sqlitebackup.adapters.drive.FakeDrive.Fault;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.RemoteBackup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every log line (logback at DEBUG, and java.util.logging at ALL, where the Google HTTP client and the JDK's
 * HttpURLConnection log) and every printed or thrown message of a busy session is searched for the access tokens,
 * the refresh token and the client secret.
 */
class SecretsNeverLoggedTest {

    @TempDir
    Path dir;
    private FakeDrive fake;
    private final ByteArrayOutputStream logback = new ByteArrayOutputStream();
    private final StringBuffer jul = new StringBuffer();
    private OutputStreamAppender<ILoggingEvent> appender;
    private Level rootLevel;
    private final List<Logger> julLoggers = new ArrayList<>();
    private final List<java.util.logging.Level> julLevels = new ArrayList<>();
    private Handler julHandler;

    @BeforeEach
    void captureEverything() throws IOException {
        fake = new FakeDrive();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %msg%n%ex");
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(logback);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        root.addAppender(appender);

        SimpleFormatter format = new SimpleFormatter();
        julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                jul.append(format.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        julHandler.setLevel(java.util.logging.Level.ALL);
        for (String name : List.of("", "com.google", "sun.net", "jdk.internal.httpclient", "com.sun.net.httpserver")) {
            Logger logger = Logger.getLogger(name);
            julLoggers.add(logger);
            julLevels.add(logger.getLevel());
            logger.setLevel(java.util.logging.Level.ALL);
        }
        Logger.getLogger("").addHandler(julHandler);
    }

    @AfterEach
    void restore() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        root.setLevel(rootLevel);
        Logger.getLogger("").removeHandler(julHandler);
        for (int i = 0; i < julLoggers.size(); i++) {
            julLoggers.get(i).setLevel(julLevels.get(i));
        }
        fake.close();
    }

    @Test
    void noTokenOrSecret_inAnyLogOutputOrMessage() throws Exception {
        List<String> said = new ArrayList<>();
        // drive-auth, printing its instructions
        Path clientSecrets = dir.resolve("client_secret.json");
        Files.writeString(clientSecrets, """
                {"installed": {"client_id": "%s", "client_secret": "%s", "auth_uri": "%s", "token_uri": "%s"}}
                """.formatted(FakeDrive.CLIENT_ID, fake.clientSecret, fake.authUri(), fake.tokenUri()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path credentials = dir.resolve("drive-credentials.json");
        CompletableFuture<Path> consent = CompletableFuture.supplyAsync(() -> new DriveConsent(Duration.ofSeconds(20),
                0).authorise(clientSecrets, credentials, new PrintStream(printed, true, StandardCharsets.UTF_8)));
        Pattern url = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/o/oauth2/auth\\?\\S+)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !(m = url.matcher(printed.toString(StandardCharsets.UTF_8))).find(); i++) {
            Thread.sleep(25);
        }
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.discarding());
        consent.get(20, TimeUnit.SECONDS);
        said.add(printed.toString(StandardCharsets.UTF_8));

        // a run with retries, a token refresh, listing, restore and retention
        DriveSettings settings = settings(credentials);
        said.add(settings.toString());
        said.add(DriveCredentials.load(credentials).toString());
        DriveRemoteBackupStore store = plainStore(settings, new RecordingSleeper());
        Backup backup = DriveFixture.backup(dir, Instant.parse("2026-04-01T00:00:00Z"), 3 * 1024 * 1024, 1);
        fake.failChunk(2, Fault.RESET);
        RemoteBackup remote = store.upload(backup, DriveFixture.fileOf(dir, backup));
        fake.expireAccessTokens();
        said.add(store.list().toString());
        Path restored = Files.createFile(dir.resolve("restored.db"));
        store.download(remote, restored);
        store.delete(remote);

        // and a failure: a revoked refresh token
        Files.writeString(credentials, Files.readString(credentials).replace(fake.refreshToken, "1//revoked"));
        Throwable refused = catchThrowable(() -> plainStore(settings, new RecordingSleeper()).list());
        said.add(String.valueOf(refused));
        said.add(refused.getMessage());

        String logs = logback.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("Drive: uploaded " + backup.name()).contains("got a new access token")
                .contains("Drive: deleted");
        assertThat(jul.toString()).as("the JDK's own HTTP client logs at FINE: the capture works").isNotEmpty();
        List<String> secrets = new ArrayList<>(fake.issuedAccessTokens());
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(3);
        secrets.add(fake.refreshToken);
        secrets.add(fake.clientSecret);
        for (String secret : secrets) {
            assertThat(logs).doesNotContain(secret);
            assertThat(jul.toString()).doesNotContain(secret);
            assertThat(String.join("\n", said)).doesNotContain(secret);
        }
    }

    @Test
    void serverErrors_echoingTheBearerTokenOrTheTokenRequest_areMaskedInMessagesAndLogs() throws Exception {
        Path credentials = fake.writeUserCredentials(dir.resolve("drive-credentials.json"));
        DriveSettings settings = settings(credentials);
        Backup backup = DriveFixture.backup(dir, Instant.parse("2026-04-01T00:00:00Z"), 300 * 1024, 1);
        List<String> said = new ArrayList<>();

        fake.failNext(FakeDrive.Op.START_UPLOAD, Fault.ECHO_AUTHORIZATION);
        Throwable echoedToken = catchThrowable(() -> plainStore(settings, new RecordingSleeper())
                .upload(backup, DriveFixture.fileOf(dir, backup)));
        fake.echoTokenRequests = true;
        Throwable echoedForm = catchThrowable(() -> plainStore(settings, new RecordingSleeper())
                .list());
        for (Throwable t : List.of(echoedToken, echoedForm)) {
            said.add(String.valueOf(t));
        }

        assertThat(echoedToken).hasMessageContaining("Bad request (Authorization: Bearer ***)");
        assertThat(echoedForm).hasMessageContaining("client_secret=***")
                .hasMessageContaining("client_id=" + FakeDrive.CLIENT_ID);
        List<String> secrets = new ArrayList<>(fake.issuedAccessTokens());
        assertThat(secrets).as("a token was issued, and echoed").isNotEmpty();
        secrets.add(fake.refreshToken);
        secrets.add(fake.clientSecret);
        String logs = logback.toString(StandardCharsets.UTF_8);
        for (String secret : secrets) {
            assertThat(String.join("\n", said)).doesNotContain(secret);
            assertThat(logs).doesNotContain(secret);
        }
    }

    /** Drive at the fake, in chunks of 1 MiB; the credentials file checked as the app checks it. */
    private DriveSettings settings(Path credentials) {
        DriveSettings defaults = DriveSettings.defaults(credentials);
        DriveSettings settings = new DriveSettings(credentials, defaults.folderName(), defaults.parentId(),
                java.util.Optional.of(fake.rootUrl()), 1024 * 1024, defaults.retryAttempts(),
                defaults.initialBackoff(), defaults.connectTimeout(), defaults.readTimeout());
        settings.checkCredentials();
        return settings;
    }
}
