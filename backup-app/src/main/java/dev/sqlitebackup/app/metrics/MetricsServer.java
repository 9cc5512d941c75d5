package dev.sqlitebackup.app.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Serves {@link BackupMetrics} on {@code /metrics} in the Prometheus text format, for the daemon's life. */
public final class MetricsServer implements AutoCloseable {

    private final HTTPServer server;
    private final MetricsAddress address;

    private MetricsServer(HTTPServer server, MetricsAddress address) {
        this.server = server;
        this.address = address;
    }

    /**
     * Listens on {@code address} now.
     *
     * @throws UncheckedIOException when it cannot (the port in use, the host not this machine's), its message one line
     */
    public static MetricsServer start(BackupMetrics metrics, MetricsAddress address) {
        try {
            HTTPServer.Builder builder = HTTPServer.builder().registry(metrics.registry()).port(address.port());
            if (address.host().isPresent()) {
                java.net.InetSocketAddress socket = address.socketAddress();
                if (socket.isUnresolved()) {
                    throw new IOException("unknown host " + address.host().get());
                }
                builder.inetAddress(socket.getAddress());
            }
            return new MetricsServer(builder.buildAndStart(), address);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot serve metrics on METRICS_ADDRESS " + address + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e));
        }
    }

    /** The port it listens on (the one asked for). */
    public int port() {
        return server.getPort();
    }

    public MetricsAddress address() {
        return address;
    }

    @Override
    public void close() {
        server.close();
    }
}
