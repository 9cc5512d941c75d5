package dev.sqlitebackup.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheFormsPeopleWrite() {
        assertThat(Durations.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("26h")).isEqualTo(Duration.ofHours(26));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("PT26H")).isEqualTo(Duration.ofHours(26));
        assertThat(Durations.parse("pt1m")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void rejectsWhatIsAmbiguousOrWrong() {
        for (String bad : new String[] {"26", "h", "1 h", "1w", "", "P", "-5m", "99999999999999999999d"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a duration");
        }
    }

    @Test
    void daemonSettings_haveDefaults_andOneLineErrorsNamingTheVariable() {
        Configuration defaults = Configuration.load(Map.of("BACKUP_DIR", "/tmp/b"), Optional.empty(), Map.of());
        assertThat(defaults.retryPlan().attempts()).isEqualTo(3);
        assertThat(defaults.retryPlan().firstDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(defaults.shutdownGrace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.stateDb().toString()).isEqualTo("/tmp/b/.sqlite-backup/state.db");
        assertThat(defaults.schedule().quartz()).isEqualTo("0 0 3 * * ?");

        assertThatThrownBy(() -> load("BACKUP_SCHEDULE", "61 * * * *").schedule())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("BACKUP_SCHEDULE '61 * * * *'");
        assertThatThrownBy(() -> load("BACKUP_RETRY_ATTEMPTS", "0").retryPlan())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("BACKUP_RETRY_ATTEMPTS");
        assertThatThrownBy(() -> load("BACKUP_RETRY_DELAY", "soon").retryPlan())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("BACKUP_RETRY_DELAY");
        assertThatThrownBy(() -> load("BACKUP_SHUTDOWN_GRACE", "0s").shutdownGrace())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("BACKUP_SHUTDOWN_GRACE");
        assertThatThrownBy(() -> load("BACKUP_TIMEZONE", "Mars/Olympus").schedule())
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("BACKUP_TIMEZONE");
    }

    private static Configuration load(String key, String value) {
        return Configuration.load(Map.of("BACKUP_DIR", "/tmp/b", key, value), Optional.empty(), Map.of());
    }
}
