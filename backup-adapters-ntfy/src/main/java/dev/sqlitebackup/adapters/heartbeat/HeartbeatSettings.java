package dev.sqlitebackup.adapters.heartbeat;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where heartbeats go: the success URL ({@code HEARTBEAT_URL}), the failure and start URLs (by default the success
 * URL with {@code /fail} and {@code /start} appended to its path, healthchecks.io's convention; set explicitly for
 * monitors with other conventions), whether a start is pinged, and the bound on each ping: at most
 * {@code maxAttempts} attempts within {@code timeLimit}. {@link #toString()} shows only the hosts: a ping URL's path
 * is its secret.
 */
public record HeartbeatSettings(URI successUrl, Optional<URI> failUrl, Optional<URI> startUrl, boolean pingStart,
        int maxAttempts, Duration timeLimit, Duration initialBackoff) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

    public HeartbeatSettings {
        Objects.requireNonNull(successUrl, "successUrl");
        Objects.requireNonNull(failUrl, "failUrl");
        Objects.requireNonNull(startUrl, "startUrl");
        Objects.requireNonNull(timeLimit, "timeLimit");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        urlProblem(successUrl).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        failUrl.flatMap(HeartbeatSettings::urlProblem).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        startUrl.flatMap(HeartbeatSettings::urlProblem).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be 1 to 10, was " + maxAttempts);
        }
        if (timeLimit.isNegative() || timeLimit.isZero() || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("the time limit must be positive and the backoff not negative");
        }
    }

    /** Heartbeats to {@code successUrl} with healthchecks.io's {@code /fail} and {@code /start}, default bounds. */
    public static HeartbeatSettings of(URI successUrl) {
        return new HeartbeatSettings(successUrl, Optional.empty(), Optional.empty(), true, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_TIME_LIMIT, DEFAULT_INITIAL_BACKOFF);
    }

    /** What is wrong with {@code url} as a ping URL (worded to follow the setting's name), if anything. */
    public static Optional<String> urlProblem(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http:// or https:// URL, got one " + (scheme.isEmpty() ? "without a scheme"
                    : "with scheme " + scheme + ":"));
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            return Optional.of("must name a host");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("must not hold a user or password (put the secret in the path, as monitors do)");
        }
        if (url.getRawFragment() != null) {
            return Optional.of("must not have a #fragment");
        }
        return Optional.empty();
    }

    /** The URL pinged when a run failed: {@code failUrl}, or {@code /fail} appended to the success URL's path. */
    public URI failure() {
        return failUrl.orElseGet(() -> withSuffix(successUrl, "fail"));
    }

    /** The URL pinged when a run begins: {@code startUrl}, or {@code /start} appended to the success URL's path. */
    public URI start() {
        return startUrl.orElseGet(() -> withSuffix(successUrl, "start"));
    }

    /** {@code url} with {@code /segment} after its path, before any query. */
    static URI withSuffix(URI url, String segment) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String joined = path.endsWith("/") ? path + segment : path + "/" + segment;
        StringBuilder s = new StringBuilder().append(url.getScheme()).append("://").append(url.getRawAuthority())
                .append(joined);
        if (url.getRawQuery() != null) {
            s.append('?').append(url.getRawQuery());
        }
        return URI.create(s.toString());
    }

    /** The monitor's host (and port), the only part of a ping URL that may be logged. */
    static String hostOf(URI url) {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    @Override
    public String toString() {
        return "HeartbeatSettings[" + hostOf(successUrl) + ", start " + (pingStart ? "on" : "off") + ", "
                + maxAttempts + " attempts within " + timeLimit + "]";
    }
}
