package dev.sqlitebackup.adapters.sqlite;

import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.DatabaseSnapshotterContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite snapshotter, on real database files, passes the contract its fake passes. */
class SqliteSnapshotterContractTest extends DatabaseSnapshotterContract {

    @TempDir
    Path temp;
    private Path database;
    private final AtomicInteger targets = new AtomicInteger();

    @Override
    protected DatabaseSnapshotter newSnapshotter() {
        database = temp.resolve("live.db");
        execute("PRAGMA journal_mode=wal",
                "CREATE TABLE items(id INTEGER PRIMARY KEY, payload BLOB, tag TEXT)",
                "CREATE INDEX items_tag ON items(tag)",
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) "
                        + "INSERT INTO items(payload, tag) SELECT randomblob(300), hex(randomblob(8)) FROM c");
        return new SqliteSnapshotter();
    }

    private void execute(String... statements) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Path database() {
        return database;
    }

    @Override
    protected void commit() {
        execute("INSERT INTO items(payload, tag) VALUES (randomblob(300), 'later')");
    }

    @Override
    protected Path emptyTarget() {
        try {
            Path scratch = Files.createDirectories(temp.resolve("scratch"));
            return Files.createFile(scratch.resolve(".tmp-" + targets.incrementAndGet() + ".db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected boolean exists(Path file) {
        return Files.exists(file);
    }

    @Override
    protected byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void damage(Path copy) {
        byte[] whole = read(copy);
        try {
            Files.write(copy, Arrays.copyOf(whole, whole.length / 3)); // the rest of the pages lost
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected AutoCloseable openInAnotherProcess(Path file) {
        try {
            // a process that holds the file open (as an idle application does) until it is stopped
            Process other = new ProcessBuilder("sh", "-c", "exec 3<\"$0\" && echo open && exec sleep 600",
                    file.toString()).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!"open".equals(line)) {
                other.destroyForcibly();
                throw new IllegalStateException("the other process did not open " + file + ": " + line);
            }
            return () -> {
                other.destroy();
                if (!other.waitFor(10, TimeUnit.SECONDS)) {
                    other.destroyForcibly().waitFor();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
