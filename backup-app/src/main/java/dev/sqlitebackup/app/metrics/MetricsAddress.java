package dev.sqlitebackup.app.metrics;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the daemon serves {@code /metrics} ({@code METRICS_ADDRESS}): {@code [host:]port}, an IPv6 host in brackets
 * ({@code [::1]:9464}); without a host, every interface.
 */
public record MetricsAddress(Optional<String> host, int port) {

    public MetricsAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, got " + port);
        }
    }

    /** Parses {@code [host:]port}; the message of the exception says what is wrong, after the setting's name. */
    public static MetricsAddress parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "" : t.substring(0, colon);
        String port = t.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("must be [host:]port (an IPv6 host in brackets), got '" + text + "'");
        }
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be [host:]port, e.g. 127.0.0.1:9464, got '" + text + "'");
        }
        if (n < 1 || n > 65_535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, got '" + text + "'");
        }
        return new MetricsAddress(host.isEmpty() ? Optional.empty() : Optional.of(host), n);
    }

    /** The socket address to listen on (the host looked up now). */
    public InetSocketAddress socketAddress() {
        return host.map(h -> new InetSocketAddress(h, port)).orElseGet(() -> new InetSocketAddress(port));
    }

    @Override
    public String toString() {
        return host.map(h -> (h.contains(":") ? "[" + h + "]" : h) + ":").orElse("") + port;
    }
}
