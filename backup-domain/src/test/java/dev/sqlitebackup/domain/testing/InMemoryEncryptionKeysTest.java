package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.port.out.EncryptionKeys;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory fake passes the same contract as the real key maker. */
class InMemoryEncryptionKeysTest extends EncryptionKeysContract {

    private final InMemoryFiles files = new InMemoryFiles();
    private final InMemoryEncryptionKeys keys = new InMemoryEncryptionKeys(files);
    private final AtomicInteger counter = new AtomicInteger();

    @Override
    protected EncryptionKeys keys() {
        return keys;
    }

    @Override
    protected Path freshPath() {
        return Path.of("/in-memory/keys/identity-" + counter.incrementAndGet() + ".txt");
    }

    @Override
    protected void createFile(Path path, byte[] content) {
        files.write(path, content);
    }

    @Override
    protected byte[] read(Path path) {
        return files.read(path).orElseThrow();
    }
}
