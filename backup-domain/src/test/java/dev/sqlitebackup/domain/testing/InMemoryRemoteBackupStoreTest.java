package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory fake passes the same contract as the Drive adapter. */
class InMemoryRemoteBackupStoreTest extends RemoteBackupStoreContract {

    private final InMemoryFiles files = new InMemoryFiles();
    private final InMemoryRemoteBackupStore fake = new InMemoryRemoteBackupStore(files);
    private final AtomicInteger localFiles = new AtomicInteger();

    @Override
    protected RemoteBackupStore store(Optional<DatabaseIdentity> database, BackupCodec codec) {
        return fake.forDatabase(database).withCodec(codec);
    }

    @Override
    protected Path localFile(BackupName name, byte[] content) {
        Path file = Path.of("/backups", "local-" + localFiles.incrementAndGet(), name.value());
        files.write(file, content);
        return file;
    }

    @Override
    protected Path emptyTarget() {
        Path file = Path.of("/restore", "target-" + localFiles.incrementAndGet() + ".db");
        files.write(file, new byte[0]);
        return file;
    }

    @Override
    protected byte[] read(Path local) {
        return files.read(local).orElseThrow();
    }

    @Override
    protected void putForeignFile(String name, byte[] content) {
        fake.putForeignFile(name, content);
    }

    @Override
    protected void damageStored(RemoteBackup copy) {
        fake.damageStored(copy.id());
    }
}
