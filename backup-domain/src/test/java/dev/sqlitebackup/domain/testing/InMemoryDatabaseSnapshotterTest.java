package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory fake passes the same contract as the SQLite snapshotter. */
class InMemoryDatabaseSnapshotterTest extends DatabaseSnapshotterContract {

    private static final Path DATABASE = Path.of("/srv/app/app.db");

    private final InMemoryFiles files = new InMemoryFiles();
    private final AtomicInteger targets = new AtomicInteger();
    private InMemoryDatabaseSnapshotter fake;

    @Override
    protected DatabaseSnapshotter newSnapshotter() {
        fake = new InMemoryDatabaseSnapshotter(files, DATABASE);
        return fake;
    }

    @Override
    protected Path database() {
        return DATABASE;
    }

    @Override
    protected void commit() {
        fake.commit();
    }

    @Override
    protected Path emptyTarget() {
        Path target = Path.of("/backups/.tmp-" + targets.incrementAndGet() + ".db");
        files.write(target, new byte[0]);
        return target;
    }

    @Override
    protected boolean exists(Path file) {
        return files.exists(file);
    }

    @Override
    protected byte[] read(Path file) {
        return files.read(file).orElseThrow();
    }

    @Override
    protected void damage(Path copy) {
        files.write(copy, ("CORRUPT " + new String(read(copy), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected AutoCloseable openInAnotherProcess(Path file) {
        fake.openedBy(file, "pid 4242 (app)");
        return () -> fake.closedBy(file);
    }
}
