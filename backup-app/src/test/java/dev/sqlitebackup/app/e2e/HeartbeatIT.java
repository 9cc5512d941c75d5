package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeats through the jar against a local HTTP server that records each request: healthchecks.io's start, success
 * and failure pings; one start and one end for a run over many databases; the URL from a file; and a dead monitor
 * that never fails the backup nor shows the URL's secret path.
 */
class HeartbeatIT {

    private static final String SECRET = "0f5b3c2e-7d1a-4c9b-8e2f-1a2b3c4d5e6f";

    @TempDir
    Path home;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void monitor() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + (body.isEmpty() ? ""
                    : " " + body));
            byte[] ok = "OK".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ping/" + SECRET;
    }

    @Test
    void aRun_pingsStart_thenSuccessWithItsSummary_andAFailedOne_pingsFail() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 30);
        JarProcess tool = new JarProcess(home).env("DATABASE_URL", home.resolve("app.db").toString())
                .env("HEARTBEAT_URL", url());

        JarProcess.Result ok = tool.run("run");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).isEqualTo("GET /ping/" + SECRET + "/start");
        assertThat(requests.get(1)).startsWith("POST /ping/" + SECRET + " app.db: backed up backup-");

        Path db = home.resolve("app.db");
        Sqlite.exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA journal_mode=DELETE");
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            file.seek(4096);
            file.write(new byte[(int) file.length() - 4096]);
        }
        JarProcess.Result failed = tool.run("run");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(requests).hasSize(4);
        assertThat(requests.get(2)).isEqualTo("GET /ping/" + SECRET + "/start");
        assertThat(requests.get(3)).startsWith("POST /ping/" + SECRET + "/fail app.db: backup of ");
    }

    @Test
    void aRunOverManyDatabases_pingsOnceAtTheStartAndOnceAtTheEnd_fromAUrlInAFile() throws Exception {
        for (String t : List.of("acme", "globex", "initech")) {
            Files.createDirectories(home.resolve("tenants").resolve(t));
            Sqlite.createNotes(home.resolve("tenants").resolve(t).resolve("data.db"), 20);
        }
        Path urlFile = Files.writeString(home.resolve("hc-url"), url() + "\n");
        Files.setPosixFilePermissions(urlFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path config = Files.writeString(home.resolve("sb.yml"), String.join("\n",
                "defaults:",
                "  backup_root: " + home.resolve("backups"),
                "  heartbeat: {url_file: " + urlFile + "}",
                "databases:",
                "  - glob: " + home.resolve("tenants") + "/*/data.db",
                "    name_from: parent_dir",
                ""));

        JarProcess.Result run = new JarProcess(home).run("run", "--config", config.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).isEqualTo("GET /ping/" + SECRET + "/start");
        assertThat(requests.get(1)).startsWith("POST /ping/" + SECRET + " 3 backed up, 0 failed");
    }

    @Test
    void aDeadMonitor_neverFailsTheBackup_andTheWarningNamesTheHostOnly() throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 30);
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        JarProcess.Result run = new JarProcess(home).env("DATABASE_URL", home.resolve("app.db").toString())
                .env("HEARTBEAT_URL", "http://127.0.0.1:" + closed + "/ping/" + SECRET).run("run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Backed up");
        assertThat(run.err()).contains("heartbeat (start) to 127.0.0.1:" + closed + " not delivered")
                .contains("heartbeat (success) to 127.0.0.1:" + closed + " not delivered");
        assertThat(run.out() + run.err()).doesNotContain(SECRET);
    }
}
