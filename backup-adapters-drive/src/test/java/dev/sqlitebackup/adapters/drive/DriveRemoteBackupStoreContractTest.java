package dev.sqlitebackup.adapters.drive;

import static dev.sqlitebackup.adapters.drive.DriveFixture.settings;
import static dev.sqlitebackup.adapters.drive.DriveFixture.userCredentials;

import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import dev.sqlitebackup.domain.testing.RemoteBackupStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The Drive adapter, against a server that speaks Drive's protocol, passes the contract its fake passes. */
class DriveRemoteBackupStoreContractTest extends RemoteBackupStoreContract {

    private static final String FOLDER = "SQLite Backups";

    @TempDir
    Path dir;
    private FakeDrive fake;
    private Path credentials;
    private final AtomicInteger localFiles = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        fake = new FakeDrive();
        credentials = userCredentials(fake, dir);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Override
    protected RemoteBackupStore store(Optional<DatabaseIdentity> database, BackupCodec codec) {
        return new DriveRemoteBackupStore(settings(fake, credentials), database, codec, new RecordingSleeper());
    }

    @Override
    protected Path localFile(BackupName name, byte[] content) {
        try {
            Path folder = Files.createDirectories(dir.resolve("local-" + localFiles.incrementAndGet()));
            return Files.write(folder.resolve(name.value()), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Path emptyTarget() {
        try {
            return Files.createFile(dir.resolve("target-" + localFiles.incrementAndGet() + ".db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected byte[] read(Path local) {
        try {
            return Files.readAllBytes(local);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void putForeignFile(String name, byte[] content) {
        String folder = fake.files().stream().filter(f -> f.isFolder() && f.name.equals(FOLDER)).findFirst()
                .map(f -> f.id)
                .orElseGet(() -> fake.put(FOLDER, DriveRemoteBackupStore.FOLDER_MIME, FakeDrive.ROOT_ID, Map.of(),
                        null).id);
        fake.put(name, "application/octet-stream", folder, Map.of(), content);
    }

    @Override
    protected void damageStored(RemoteBackup copy) {
        fake.damageStored(copy.id());
    }
}
