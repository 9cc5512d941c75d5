package dev.sqlitebackup.app.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A stand-in ntfy server on the loopback interface that answers 200 to everything and keeps each request's body
 * (ntfy's JSON publish), for tests that read what the tool told its owner.
 */
public final class PostedBodies implements AutoCloseable {

    private final HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    private PostedBodies(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free loopback port until closed. */
    public static PostedBodies start() {
        try {
            PostedBodies posted = new PostedBodies(
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
            posted.server.createContext("/", exchange -> {
                posted.bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            posted.server.start();
            return posted;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's URL, for NTFY_URL or the YAML's ntfy.url. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Every body received so far, in order. */
    public List<String> bodies() {
        return List.copyOf(bodies);
    }

    /** The bodies once one matches {@code wanted}, or as they are after {@code patience}. */
    public List<String> awaitOne(Predicate<String> wanted, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (bodies.stream().noneMatch(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return bodies();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
