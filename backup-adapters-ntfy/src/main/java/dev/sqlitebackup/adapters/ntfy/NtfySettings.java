package dev.sqlitebackup.adapters.ntfy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
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
        serverProblem(server).ifPresent(p -> {
            throw new IllegalArgumentException("server " + p);
        });
        topicProblem(topic).ifPresent(p -> {
            throw new IllegalArgumentException("topic " + p);
        });
        token.flatMap(NtfySettings::tokenProblem).ifPresent(p -> {
            throw new IllegalArgumentException("token " + p);
        });
        if (token.isPresent() && (user.isPresent() || password.isPresent())) {
            throw new IllegalArgumentException("set either a token or a user and password, not both");
        }
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException(user.isPresent() ? "a user needs a password" : "a password needs a user");
        }
        user.flatMap(NtfySettings::userProblem).ifPresent(p -> {
            throw new IllegalArgumentException("user " + p);
        });
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

    /**
     * Why {@code server} cannot be the ntfy server, worded to follow its name; empty when it can. A user or password
     * in it is never echoed.
     */
    public static Optional<String> serverProblem(URI server) {
        if (server == null) {
            return Optional.of("is missing");
        }
        if (server.getRawUserInfo() != null) {
            return Optional.of("must not contain a user or password");
        }
        String scheme = server.getScheme();
        if (scheme == null) {
            return Optional.of("is not a URL: '" + server + "'");
        }
        if (!(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return Optional.of("must be an http or https URL, was '" + server + "'");
        }
        if (server.getHost() == null) {
            return Optional.of("has no host name, e.g. https://ntfy.sh: '" + server + "'");
        }
        if (server.getRawQuery() != null || server.getRawFragment() != null) {
            return Optional.of("must not have a query or fragment: '" + server + "'");
        }
        return Optional.empty();
    }

    /** Why {@code topic} is no topic ntfy accepts; empty when it is one. */
    public static Optional<String> topicProblem(String topic) {
        return topic != null && TOPIC_FORM.matcher(topic).matches() ? Optional.empty()
                : Optional.of("must be 1 to 64 letters, digits, '-' or '_', was '" + topic + "'");
    }

    /** Why {@code token} cannot travel in an HTTP header; empty when it can. The token itself is never echoed. */
    public static Optional<String> tokenProblem(String token) {
        return TOKEN_FORM.matcher(token).matches() ? Optional.empty()
                : Optional.of("must be printable ASCII without spaces");
    }

    /** Why {@code user} cannot log in with basic authentication; empty when it can. */
    public static Optional<String> userProblem(String user) {
        return !user.isEmpty() && !user.contains(":") ? Optional.empty()
                : Optional.of("must be non-empty and contain no ':', was '" + user + "'");
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
