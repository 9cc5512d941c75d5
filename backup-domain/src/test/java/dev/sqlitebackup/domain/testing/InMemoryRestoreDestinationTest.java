package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.port.out.RestoreDestination;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory fake passes the same contract as the real restore destination. */
class InMemoryRestoreDestinationTest extends RestoreDestinationContract {

    private final InMemoryFiles files = new InMemoryFiles();
    private final InMemoryRestoreDestination destination = new InMemoryRestoreDestination(files);
    private final AtomicInteger counter = new AtomicInteger();

    @Override
    protected RestoreDestination destination() {
        return destination;
    }

    @Override
    protected Path freshTarget() {
        return Path.of("/in-memory/restore/app-" + counter.incrementAndGet() + ".db");
    }

    @Override
    protected Path copyWith(byte[] content) {
        Path copy = Path.of("/in-memory/backups/copy-" + counter.incrementAndGet() + ".db");
        files.write(copy, content);
        return copy;
    }

    @Override
    protected void createFile(Path path, byte[] content) {
        files.write(path, content);
    }

    @Override
    protected byte[] read(Path path) {
        return files.read(path).orElseThrow();
    }

    @Override
    protected boolean exists(Path path) {
        return files.exists(path);
    }
}
