package dev.sqlitebackup.adapters.ntfy;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and how to publish ntfy notifications: the server, the topic, at most one way to log in (an access token, or
 * a user and password), whether only failures are sent, and the limits that bound how long a notification may take.
 * The clock's zone is the zone times are shown in. {@link #toString()} never shows the token or the password.
 */
public record NtfySettings(URI server, String topic, Optional<String> token, Optional<String> user,
        Optional<String> password, boolean failuresOnly, Duration connectTimeout, Duration readTimeout,
        int maxAttempts, Duration initialBackoff, Clock clock) {

    public static final String URL = "NTFY_URL";
    public static final String TOPIC = "NTFY_TOPIC";
    public static final String TOKEN = "NTFY_TOKEN";
    public static final String USER = "NTFY_USER";
    public static final String PASSWORD = "NTFY_PASSWORD";
    public static final String NOTIFY = "NTFY_NOTIFY";

    public static final URI DEFAULT_SERVER = URI.create("https://ntfy.sh");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

    /** The topic names ntfy accepts. */
    private static final Pattern TOPIC_FORM = Pattern.compile("[-_A-Za-z0-9]{1,64}");
    /** Printable ASCII without spaces: anything else cannot travel in an HTTP header. */
    private static final Pattern TOKEN_FORM = Pattern.compile("[!-~]+");
    private static final int MAX_ATTEMPTS_LIMIT = 10;

    public NtfySettings {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(clock, "clock");
        checkServer(server);
        if (topic == null || !TOPIC_FORM.matcher(topic).matches()) {
            throw new IllegalArgumentException(
                    TOPIC + " must be 1 to 64 letters, digits, '-' or '_', was '" + topic + "'");
        }
        if (token.isPresent() && !TOKEN_FORM.matcher(token.get()).matches()) {
            // The value itself is a secret: name the problem, never echo it.
            throw new IllegalArgumentException(TOKEN + " must be printable ASCII without spaces");
        }
        if (token.isPresent() && (user.isPresent() || password.isPresent())) {
            throw new IllegalArgumentException("set either " + TOKEN + " or " + USER + " and " + PASSWORD
                    + ", not both");
        }
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException(user.isPresent()
                    ? USER + " is set but " + PASSWORD + " is not"
                    : PASSWORD + " is set but " + USER + " is not");
        }
        if (user.isPresent() && (user.get().isEmpty() || user.get().contains(":"))) {
            throw new IllegalArgumentException(USER + " must be non-empty and contain no ':', was '" + user.get()
                    + "'");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative: " + initialBackoff);
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException(
                    "maxAttempts must be 1 to " + MAX_ATTEMPTS_LIMIT + ", was " + maxAttempts);
        }
    }

    /**
     * Settings for {@code topic} on {@code server} without login, sending every run, with the default limits and the
     * clock's zone for times.
     */
    public static NtfySettings of(URI server, String topic, Clock clock) {
        return new NtfySettings(server, topic, Optional.empty(), Optional.empty(), Optional.empty(), false,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, clock);
    }

    /**
     * Reads the {@code NTFY_*} variables from {@code config}; empty when {@code NTFY_TOPIC} is unset or blank (ntfy
     * is off). Blank values count as unset. Times are shown in the clock's zone.
     *
     * @throws IllegalArgumentException with a one-line message naming the variable when a value is invalid
     */
    public static Optional<NtfySettings> fromConfig(Map<String, String> config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Optional<String> topic = value(config, TOPIC);
        if (topic.isEmpty()) {
            return Optional.empty();
        }
        URI server = value(config, URL).map(NtfySettings::parseServer).orElse(DEFAULT_SERVER);
        boolean failuresOnly = value(config, NOTIFY).map(NtfySettings::parseFailuresOnly).orElse(false);
        return Optional.of(new NtfySettings(server, topic.get(), value(config, TOKEN), value(config, USER),
                value(config, PASSWORD), failuresOnly, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, clock));
    }

    /** As {@link #fromConfig(Map, Clock)}, showing times in UTC. */
    public static Optional<NtfySettings> fromConfig(Map<String, String> config) {
        return fromConfig(config, Clock.systemUTC());
    }

    /** These settings with other limits; for callers that need a tighter or looser bound than the defaults. */
    public NtfySettings withLimits(Duration connectTimeout, Duration readTimeout, int maxAttempts,
            Duration initialBackoff) {
        return new NtfySettings(server, topic, token, user, password, failuresOnly, connectTimeout, readTimeout,
                maxAttempts, initialBackoff, clock);
    }

    /**
     * The longest one attempt may take, from connecting to the last byte of the answer: a server that trickles its
     * answer byte by byte never trips the read timeout, so each call also has this overall limit.
     */
    public Duration attemptLimit() {
        return connectTimeout.plus(readTimeout);
    }

    /**
     * The longest {@link NtfyNotifier#notify} may take in all, retries and waits included: every attempt at its
     * limit plus exponential backoff, with the same again as room for a server's {@code Retry-After}. A wait that
     * would cross this limit is not waited: the notification is given up instead.
     */
    public Duration timeLimit() {
        Duration waits = initialBackoff.multipliedBy((1L << maxAttempts) - 1);
        return attemptLimit().multipliedBy(maxAttempts).plus(waits);
    }

    @Override
    public String toString() {
        return "NtfySettings[server=" + server + ", topic=" + topic
                + ", token=" + token.map(t -> "***").orElse("none")
                + ", user=" + user.orElse("none")
                + ", password=" + password.map(p -> "***").orElse("none")
                + ", failuresOnly=" + failuresOnly + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", maxAttempts=" + maxAttempts
                + ", initialBackoff=" + initialBackoff + ", zone=" + clock.getZone() + "]";
    }

    private static Optional<String> value(Map<String, String> config, String name) {
        return Optional.ofNullable(config.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static URI parseServer(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(URL + " is not a URL: '" + value + "'");
        }
    }

    private static boolean parseFailuresOnly(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "all" -> false;
            case "failure" -> true;
            default -> throw new IllegalArgumentException(NOTIFY + " must be 'all' or 'failure', was '" + value + "'");
        };
    }

    private static void checkServer(URI server) {
        if (server == null) {
            throw new IllegalArgumentException(URL + " is missing");
        }
        if (server.getRawUserInfo() != null) {
            // Never echo it: the user info may hold a password.
            throw new IllegalArgumentException(URL + " must not contain a user or password; use " + TOKEN
                    + " or " + USER + " and " + PASSWORD);
        }
        String scheme = server.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException(URL + " is not a URL: '" + server + "'");
        }
        if (!(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(URL + " must be an http or https URL, was '" + server + "'");
        }
        if (server.getHost() == null) {
            throw new IllegalArgumentException(URL + " has no host name, e.g. https://ntfy.sh: '" + server + "'");
        }
        if (server.getRawQuery() != null || server.getRawFragment() != null) {
            throw new IllegalArgumentException(URL + " must not have a query or fragment: '" + server + "'");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
