package dev.sqlitebackup.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.adapters.drive.DriveSettings;
import dev.sqlitebackup.adapters.ntfy.NtfySettings;
import dev.sqlitebackup.domain.model.VerifyLevel;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file applies exactly as written, or is refused with the file, line and key. */
class ConfigurationTest {

    @TempDir
    Path dir;

    private Configuration loadFile(String content) throws IOException {
        Path file = dir.resolve("env");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return Configuration.load(Map.of(), Optional.of(file), Map.of());
    }

    @Test
    void aFileFromNotepad_withByteOrderMarkAndCrLf_appliesEveryKey() throws IOException {
        Configuration config = loadFile("\uFEFFBACKUP_KEEP_DAILY=30\r\nBACKUP_VERIFY=full\r\nBACKUP_DIR=/srv/b\r\n");

        assertThat(config.retention().keepDaily()).as("the first key, behind the BOM").isEqualTo(30);
        assertThat(config.verifyLevel()).isEqualTo(VerifyLevel.FULL);
        assertThat(config.asMap()).containsEntry("BACKUP_DIR", "/srv/b").containsEntry("BACKUP_VERIFY", "full");
        assertThat(config.asMap().keySet()).allSatisfy(k -> assertThat(k).doesNotContain("\uFEFF"));
        assertThat(config.asMap().values()).allSatisfy(v -> assertThat(v).doesNotContain("\r"));
    }

    @Test
    void aMistypedKey_isAnError_namingFileLineAndKey_withTheNearestKnownKey() throws IOException {
        assertThatThrownBy(() -> loadFile("# retention\nBACKUP_KEEP_DAYLY=30\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("config file " + dir.resolve("env") + " line 2: unknown setting 'BACKUP_KEEP_DAYLY' "
                        + "(did you mean BACKUP_KEEP_DAILY?)");
        assertThatThrownBy(() -> loadFile("ntfy_topic=backups\n")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("line 1: unknown setting 'ntfy_topic' (did you mean NTFY_TOPIC?)");
    }

    @Test
    void aLineThatIsNotKeyEqualsValue_isAnError_namingTheLine() throws IOException {
        assertThatThrownBy(() -> loadFile("BACKUP_DIR=/srv/b\n\nBACKUP_KEEP_LAST 9\n"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("line 3 is not KEY=value");
    }

    @Test
    void valuesAreLiteral_commentsAndBlankLinesIgnored() throws IOException {
        Configuration config = loadFile("""
                ! a comment
                  # another
                BACKUP_DIR = C:\\Backups\\app
                BACKUP_SCHEDULE=0 0 3 * * ?
                NTFY_PASSWORD=p#ss=word
                """);

        assertThat(config.asMap()).containsEntry("BACKUP_DIR", "C:\\Backups\\app")
                .containsEntry("BACKUP_SCHEDULE", "0 0 3 * * ?").containsEntry("NTFY_PASSWORD", "p#ss=word")
                .hasSize(3);
    }

    @Test
    void unknownEnvironmentVariables_withThisToolsPrefixes_getAWarning_othersNone() {
        List<String> warnings = Settings.environmentWarnings(Map.of("BACKUP_KEEP_DAYLY", "30",
                "NTFY_TOPICS", "x", "BACKUP_DIR", "/b", "PATH", "/usr/bin", "DATABASE_PASSWORD", "pw",
                "GOOGLE_APPLICATION_CREDENTIALS", "/k.json", "DRIVE_ENABLED", "false"));

        assertThat(warnings).containsExactly(
                "environment variable BACKUP_KEEP_DAYLY is not a setting of sqlite-backup and is ignored (did you "
                        + "mean BACKUP_KEEP_DAILY?)",
                "environment variable NTFY_TOPICS is not a setting of sqlite-backup and is ignored (did you mean "
                        + "NTFY_TOPIC?)");
    }

    @Test
    void theKnownKeys_areTheKeysOfEverySetting_andTheAdaptersNameNone() throws IllegalAccessException {
        List<String> adapterKeys = new ArrayList<>();
        for (Class<?> settings : List.of(DriveSettings.class, NtfySettings.class)) {
            for (Field f : settings.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                        && ((String) f.get(null)).matches("[A-Z]+(_[A-Z]+)+")) {
                    adapterKeys.add((String) f.get(null));
                }
            }
        }
        assertThat(adapterKeys).as("the adapters get typed records, never keys").isEmpty();
        assertThat(Settings.KNOWN_KEYS).contains("GOOGLE_DRIVE_CREDENTIALS", "NTFY_PASSWORD", "BACKUP_STATE_DB")
                .containsExactlyInAnyOrderElementsOf(Settings.ALL.stream().map(Setting::key).toList())
                .hasSize(Settings.ALL.size());
    }

    @Test
    void anAbsurdShutdownGrace_isAConfigurationError_notAnOverflow() {
        for (String absurd : List.of("200000000000d", "PT2562047788015215H", "25h")) {
            Configuration config = Configuration.load(Map.of("BACKUP_SHUTDOWN_GRACE", absurd), Optional.empty(),
                    Map.of());
            assertThatThrownBy(config::shutdownGrace).as(absurd).isInstanceOf(ConfigurationException.class)
                    .hasMessage("BACKUP_SHUTDOWN_GRACE must be at most 24h, got '" + absurd + "'");
        }
        assertThat(Configuration.load(Map.of("BACKUP_SHUTDOWN_GRACE", "24h"), Optional.empty(), Map.of())
                .shutdownGrace()).isEqualTo(Duration.ofHours(24));
    }
}
