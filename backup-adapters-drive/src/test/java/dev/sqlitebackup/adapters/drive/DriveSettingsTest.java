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
import java.util.Map;
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

    @Test
    void offWithoutCredentials_orWhenDisabled() throws IOException {
        assertThat(DriveSettings.fromConfig(Map.of())).isEmpty();
        assertThat(DriveSettings.fromConfig(Map.of("GOOGLE_DRIVE_CREDENTIALS", "  "))).isEmpty();
        assertThat(DriveSettings.fromConfig(Map.of("GOOGLE_DRIVE_CREDENTIALS", userCredentials().toString(),
                "DRIVE_ENABLED", "false"))).isEmpty();
    }

    @Test
    void defaults() throws IOException {
        Path file = userCredentials();

        DriveSettings settings = DriveSettings.fromConfig(Map.of("GOOGLE_DRIVE_CREDENTIALS", file.toString()))
                .orElseThrow();

        assertThat(settings.credentialsFile()).isEqualTo(file);
        assertThat(settings.folderName()).isEqualTo("SQLite Backups");
        assertThat(settings.parentId()).isEmpty();
        assertThat(settings.rootUrl()).isEmpty();
        assertThat(settings.chunkSizeBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(settings.retryAttempts()).isEqualTo(5);
    }

    @Test
    void everyVariable() throws IOException {
        DriveSettings settings = DriveSettings.fromConfig(Map.of("GOOGLE_DRIVE_CREDENTIALS",
                userCredentials().toString(), "DRIVE_ENABLED", "true", "DRIVE_FOLDER", "Nightly",
                "DRIVE_PARENT_ID", "0AbC-d_9", "DRIVE_ROOT_URL", "http://127.0.0.1:8080/proxy",
                "DRIVE_CHUNK_MB", "16")).orElseThrow();

        assertThat(settings.folderName()).isEqualTo("Nightly");
        assertThat(settings.parentId()).contains("0AbC-d_9");
        assertThat(settings.rootUrl()).contains(URI.create("http://127.0.0.1:8080/proxy/"));
        assertThat(settings.chunkSizeBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(settings.describe()).isEqualTo("Google Drive folder 'Nightly' in 0AbC-d_9");
    }

    @Test
    void badValues_nameTheirVariable() throws IOException {
        String file = userCredentials().toString();
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_ENABLED", "maybe"), "DRIVE_ENABLED");
        assertBad(Map.of("DRIVE_ENABLED", "true"), "GOOGLE_DRIVE_CREDENTIALS is not set");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_CHUNK_MB", "0"), "DRIVE_CHUNK_MB");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_CHUNK_MB", "1.5"), "DRIVE_CHUNK_MB");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_ROOT_URL", "ftp://x/"), "DRIVE_ROOT_URL");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_ROOT_URL", "http://u:p@x/"), "DRIVE_ROOT_URL");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file, "DRIVE_PARENT_ID", "x' or name='y"), "DRIVE_PARENT_ID");
    }

    @Test
    void badCredentialsFiles_saySoInOneLine() throws IOException {
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", dir.resolve("missing.json").toString()),
                "GOOGLE_DRIVE_CREDENTIALS " + dir.resolve("missing.json") + ": no such file");
        Path file = credentials("this is not json {");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file.toString()), file + ": not JSON");
        credentials("{\"type\": \"external_account\"}");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file.toString()), "unknown credentials type 'external_account'");
        credentials("{\"client_id\": \"x\"}");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file.toString()), "no \"type\"");
        credentials("{\"type\": \"authorized_user\", \"client_id\": \"x\", \"client_secret\": \"s3cret\"}");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file.toString()), "without \"refresh_token\"");
        credentials("{\"type\": \"service_account\", \"client_email\": \"a@b\", \"private_key\": \"s3cret\"}");
        assertBad(Map.of("GOOGLE_DRIVE_CREDENTIALS", file.toString()), "not a usable service_account file");
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
            DriveSettings.fromConfig(Map.of("GOOGLE_DRIVE_CREDENTIALS", file.toString()));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            DriveSettings.fromConfig(Map.of("GOOGLE_DRIVE_CREDENTIALS", file.toString()));
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

    private static void assertBad(Map<String, String> config, String message) {
        assertThatThrownBy(() -> DriveSettings.fromConfig(config)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message).hasMessageNotContaining("\n").hasMessageNotContaining("s3cret");
    }
}
