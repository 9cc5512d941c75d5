package dev.sqlitebackup.adapters.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sqlitebackup.domain.model.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DriveSettingsTest {

    @TempDir
    Path dir;

    private Path credentials(String json) throws IOException {
        Path file = dir.resolve("credentials.json");
        Files.writeString(file, json);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Path userCredentials() throws IOException {
        return credentials("""
                {"type": "authorized_user", "client_id": "id", "client_secret": "s3cret", "refresh_token": "r3fresh"}
                """);
    }

    private DriveSettings withParentAndRoot(Optional<String> parentId, Optional<URI> rootUrl) {
        DriveSettings defaults = DriveSettings.defaults(dir.resolve("c.json"));
        return new DriveSettings(defaults.credentialsFile(), "Nightly", parentId, rootUrl,
                defaults.chunkSizeBytes(), defaults.retryAttempts(), defaults.initialBackoff(),
                defaults.connectTimeout(), defaults.readTimeout());
    }

    @Test
    void defaults() {
        DriveSettings settings = DriveSettings.defaults(dir.resolve("c.json"));

        assertThat(settings.credentialsFile()).isEqualTo(dir.resolve("c.json"));
        assertThat(settings.folderName()).isEqualTo("SQLite Backups");
        assertThat(settings.parentId()).isEmpty();
        assertThat(settings.rootUrl()).isEmpty();
        assertThat(settings.chunkSizeBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(settings.retryAttempts()).isEqualTo(5);
    }

    @Test
    void everyComponent() {
        DriveSettings settings = withParentAndRoot(Optional.of("0AbC-d_9"),
                Optional.of(URI.create("http://127.0.0.1:8080/proxy")));

        assertThat(settings.parentId()).contains("0AbC-d_9");
        assertThat(settings.rootUrl()).as("the client appends drive/v3 to the root")
                .contains(URI.create("http://127.0.0.1:8080/proxy/"));
        assertThat(settings.describe()).isEqualTo("Google Drive folder 'Nightly' in 0AbC-d_9");
    }

    @Test
    void badComponents_areRefused_sayingWhatIsWrong() {
        assertThat(DriveSettings.rootUrlProblem(URI.create("ftp://x/"))).isPresent();
        assertThat(DriveSettings.rootUrlProblem(URI.create("http://u:p@x/"))).get().asString()
                .doesNotContain("u:p");
        assertThat(DriveSettings.rootUrlProblem(URI.create("https://proxy.example/drive"))).isEmpty();
        assertThat(DriveSettings.parentIdProblem("x' or name='y")).contains("is not a Drive id: 'x' or name='y'");
        assertThat(DriveSettings.parentIdProblem("0AbC-d_9")).isEmpty();

        assertThatThrownBy(() -> withParentAndRoot(Optional.of("x' or name='y"), Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("parent folder id");
        assertThatThrownBy(() -> withParentAndRoot(Optional.empty(), Optional.of(URI.create("ftp://x/"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("root URL");
    }

    @Test
    void badCredentialsFiles_saySoInOneLine_namingTheFile() throws IOException {
        assertBad(dir.resolve("missing.json"), dir.resolve("missing.json") + ": no such file");
        Path file = credentials("this is not json {");
        assertBad(file, file + ": not JSON");
        credentials("{\"type\": \"external_account\"}");
        assertBad(file, "unknown credentials type 'external_account'");
        credentials("{\"client_id\": \"x\"}");
        assertBad(file, "no \"type\"");
        credentials("{\"type\": \"authorized_user\", \"client_id\": \"x\", \"client_secret\": \"s3cret\"}");
        assertBad(file, "without \"refresh_token\"");
        credentials("{\"type\": \"service_account\", \"client_email\": \"a@b\", \"private_key\": \"s3cret\"}");
        assertBad(file, "not a usable service_account file");
        DriveSettings.defaults(userCredentials()).checkCredentials();
    }

    @Test
    void credentialsReadableByOthers_getAWarning() throws IOException {
        Path file = userCredentials();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Logger logger = (Logger) LoggerFactory.getLogger(DriveCredentials.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            DriveSettings.defaults(file).checkCredentials();
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            DriveSettings.defaults(file).checkCredentials();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).singleElement().satisfies(event ->
                assertThat(event.getFormattedMessage()).contains(file.toString()).contains("readable by group"));
    }

    @Test
    void chunkSize_mustBeAMultipleOf256KiB() {
        DriveSettings defaults = DriveSettings.defaults(dir.resolve("c.json"));
        assertThatThrownBy(() -> new DriveSettings(defaults.credentialsFile(), "f", Optional.empty(),
                Optional.empty(), 300 * 1024, 5, defaults.initialBackoff(), defaults.connectTimeout(),
                defaults.readTimeout())).isInstanceOf(InvalidInputException.class).hasMessageContaining("256 KiB");
    }

    @Test
    void credentials_printNoSecret() throws IOException {
        DriveCredentials credentials = DriveCredentials.load(userCredentials());
        assertThat(credentials.toString()).contains("authorized_user").doesNotContain("s3cret", "r3fresh");
    }

    private static void assertBad(Path credentials, String message) {
        assertThatThrownBy(() -> DriveSettings.defaults(credentials).checkCredentials())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message).hasMessageNotContaining("\n").hasMessageNotContaining("s3cret");
    }
}
