package dev.sqlitebackup.adapters.ntfy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NtfySettingsTest {

    private static final URI SERVER = URI.create("https://ntfy.sh");

    private static NtfySettings settings(URI server, String topic, Optional<String> token, Optional<String> user,
            Optional<String> password) {
        return new NtfySettings(server, topic, token, user, password, false, NtfySettings.DEFAULT_CONNECT_TIMEOUT,
                NtfySettings.DEFAULT_READ_TIMEOUT, NtfySettings.DEFAULT_MAX_ATTEMPTS,
                NtfySettings.DEFAULT_INITIAL_BACKOFF, Clock.systemUTC());
    }

    private static NtfySettings withServer(String server) {
        return settings(URI.create(server), "t", Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static NtfySettings withLogin(Optional<String> token, Optional<String> user, Optional<String> password) {
        return settings(SERVER, "t", token, user, password);
    }

    @Test
    void topicOnly_takesTheDefaults() {
        NtfySettings settings = NtfySettings.of(SERVER, "my-backups", Clock.systemUTC());

        assertThat(settings.server()).isEqualTo(URI.create("https://ntfy.sh"));
        assertThat(settings.topic()).isEqualTo("my-backups");
        assertThat(settings.token()).isEmpty();
        assertThat(settings.user()).isEmpty();
        assertThat(settings.failuresOnly()).isFalse();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxAttempts()).isEqualTo(3);
    }

    @Test
    void clockZone_isTheZoneTimesAreShownIn() {
        Clock clock = Clock.system(ZoneId.of("Europe/Berlin"));
        assertThat(NtfySettings.of(SERVER, "t", clock).clock()).isSameAs(clock);
    }

    @Test
    void badValues_areRejected_sayingWhatIsWrong() {
        assertThat(NtfySettings.serverProblem(URI.create("foo"))).contains("is not a URL: 'foo'");
        assertThatThrownBy(() -> withServer("ftp://ntfy.sh")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("server must be an http or https URL, was 'ftp://ntfy.sh'");
        assertThatThrownBy(() -> withServer("https:///path-only")).hasMessageContaining("no host name");
        assertThatThrownBy(() -> withServer("https://ntfy.sh/?x=1")).hasMessageContaining("query");
        assertThatThrownBy(() -> NtfySettings.of(SERVER, "backups/daily", Clock.systemUTC()))
                .hasMessageStartingWith("topic ").hasMessageContaining("'backups/daily'");
        assertThat(NtfySettings.topicProblem("x".repeat(65))).isPresent();
        assertThat(NtfySettings.topicProblem("sauvegardes-données")).isPresent();
        assertThat(NtfySettings.topicProblem("sqlite-backup_1")).isEmpty();
    }

    @Test
    void login_mustBeOneCompleteWay() {
        assertThatThrownBy(() -> withLogin(Optional.empty(), Optional.of("alice"), Optional.empty()))
                .hasMessage("a user needs a password");
        assertThatThrownBy(() -> withLogin(Optional.empty(), Optional.empty(), Optional.of("s3cret")))
                .hasMessage("a password needs a user");
        assertThatThrownBy(() -> withLogin(Optional.of("tk_a"), Optional.of("alice"), Optional.of("s3cret")))
                .hasMessageContaining("token").hasMessageContaining("user");
        assertThatThrownBy(() -> withLogin(Optional.empty(), Optional.of("al:ice"), Optional.of("s3cret")))
                .hasMessageStartingWith("user ");
    }

    @Test
    void secretsInBadValues_areNeverEchoed() {
        assertThatThrownBy(() -> withLogin(Optional.of("tk_sécret"), Optional.empty(), Optional.empty()))
                .hasMessageStartingWith("token ").hasMessageNotContaining("sécret");
        assertThatThrownBy(() -> withServer("https://alice:hunter2@ntfy.sh"))
                .hasMessageStartingWith("server ").hasMessageNotContaining("hunter2");
    }

    @Test
    void toString_hidesTokenAndPassword() {
        String withToken = withLogin(Optional.of("tk_topsecret"), Optional.empty(), Optional.empty()).toString();
        String withUser = withLogin(Optional.empty(), Optional.of("alice"), Optional.of("hunter2")).toString();

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
