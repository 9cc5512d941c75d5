package dev.sqlitebackup.adapters.ntfy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NtfySettingsTest {

    private static Optional<NtfySettings> read(String... keysAndValues) {
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return NtfySettings.fromConfig(config);
    }

    @Test
    void noTopic_ntfyIsOff() {
        assertThat(read()).isEmpty();
        assertThat(read("NTFY_URL", "https://ntfy.example.org", "NTFY_TOKEN", "tk_x")).isEmpty();
        assertThat(read("NTFY_TOPIC", "  ")).isEmpty();
    }

    @Test
    void topicOnly_takesTheDefaults() {
        NtfySettings settings = read("NTFY_TOPIC", "my-backups").orElseThrow();

        assertThat(settings.server()).isEqualTo(URI.create("https://ntfy.sh"));
        assertThat(settings.topic()).isEqualTo("my-backups");
        assertThat(settings.token()).isEmpty();
        assertThat(settings.user()).isEmpty();
        assertThat(settings.failuresOnly()).isFalse();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxAttempts()).isEqualTo(3);
        assertThat(settings.clock().getZone()).isEqualTo(ZoneId.of("Z"));
    }

    @Test
    void everyVariable_isRead() {
        NtfySettings withToken = read("NTFY_TOPIC", "t", "NTFY_URL", "http://127.0.0.1:8080/ntfy",
                "NTFY_TOKEN", "tk_abc", "NTFY_NOTIFY", "failure").orElseThrow();
        NtfySettings withUser = read("NTFY_TOPIC", "t", "NTFY_USER", "alice", "NTFY_PASSWORD", "pässwörd",
                "NTFY_NOTIFY", "ALL").orElseThrow();

        assertThat(withToken.server()).isEqualTo(URI.create("http://127.0.0.1:8080/ntfy"));
        assertThat(withToken.token()).contains("tk_abc");
        assertThat(withToken.failuresOnly()).isTrue();
        assertThat(withUser.user()).contains("alice");
        assertThat(withUser.password()).contains("pässwörd");
        assertThat(withUser.failuresOnly()).isFalse();
    }

    @Test
    void clockZone_isTheZoneTimesAreShownIn() {
        Clock clock = Clock.system(ZoneId.of("Europe/Berlin"));
        assertThat(NtfySettings.fromConfig(Map.of("NTFY_TOPIC", "t"), clock).orElseThrow().clock())
                .isSameAs(clock);
    }

    @Test
    void badValues_areRejectedNamingTheVariable() {
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_URL", "foo"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("NTFY_URL is not a URL: 'foo'");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_URL", "http://exa mple.org"))
                .hasMessage("NTFY_URL is not a URL: 'http://exa mple.org'");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_URL", "ftp://ntfy.sh"))
                .hasMessageContaining("NTFY_URL");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_URL", "https:///path-only"))
                .hasMessageContaining("NTFY_URL");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "backups/daily"))
                .hasMessageContaining("NTFY_TOPIC").hasMessageContaining("'backups/daily'");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "x".repeat(65))).hasMessageContaining("NTFY_TOPIC");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "sauvegardes-données")).hasMessageContaining("NTFY_TOPIC");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_NOTIFY", "sometimes"))
                .hasMessage("NTFY_NOTIFY must be 'all' or 'failure', was 'sometimes'");
    }

    @Test
    void loginSettings_mustBeOneCompleteWay() {
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_USER", "alice"))
                .hasMessage("NTFY_USER is set but NTFY_PASSWORD is not");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_PASSWORD", "s3cret"))
                .hasMessage("NTFY_PASSWORD is set but NTFY_USER is not");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_TOKEN", "tk_a", "NTFY_USER", "alice",
                "NTFY_PASSWORD", "s3cret"))
                .hasMessageContaining("NTFY_TOKEN").hasMessageContaining("NTFY_USER");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_USER", "al:ice", "NTFY_PASSWORD", "s3cret"))
                .hasMessageContaining("NTFY_USER");
    }

    @Test
    void secretsInBadValues_areNeverEchoed() {
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_TOKEN", "tk_sécret"))
                .hasMessageContaining("NTFY_TOKEN").hasMessageNotContaining("sécret");
        assertThatThrownBy(() -> read("NTFY_TOPIC", "t", "NTFY_URL", "https://alice:hunter2@ntfy.sh"))
                .hasMessageContaining("NTFY_URL").hasMessageNotContaining("hunter2");
    }

    @Test
    void toString_hidesTokenAndPassword() {
        String withToken = read("NTFY_TOPIC", "t", "NTFY_TOKEN", "tk_topsecret").orElseThrow().toString();
        String withUser = read("NTFY_TOPIC", "t", "NTFY_USER", "alice", "NTFY_PASSWORD", "hunter2")
                .orElseThrow().toString();

        assertThat(withToken).doesNotContain("tk_topsecret").contains("token=***");
        assertThat(withUser).doesNotContain("hunter2").contains("password=***").contains("alice");
    }

    @Test
    void limits_mustBeSane() {
        NtfySettings settings = NtfySettings.of(URI.create("http://127.0.0.1:1"), "t", Clock.systemUTC());

        assertThatThrownBy(() -> settings.withLimits(Duration.ZERO, Duration.ofSeconds(1), 3, Duration.ZERO))
                .hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> settings.withLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> settings.withLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 3,
                Duration.ofSeconds(-1))).hasMessageContaining("initialBackoff");
    }

    @Test
    void timeLimit_coversEveryAttemptAndTheWaitsBetween() {
        NtfySettings settings = NtfySettings.of(URI.create("https://ntfy.sh"), "t", Clock.systemUTC());

        // 3 attempts of 5 s + 10 s, waits 1 s and 2 s, and the same again as room for Retry-After.
        assertThat(settings.attemptLimit()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.timeLimit()).isEqualTo(Duration.ofSeconds(3 * 15 + 7));
    }
}
