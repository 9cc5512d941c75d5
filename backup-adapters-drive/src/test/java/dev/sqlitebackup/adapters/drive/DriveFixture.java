package dev.sqlitebackup.adapters.drive;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.testing.InMemoryBackupCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

/** Credentials files, settings and backup files for tests against {@link FakeDrive}. */
final class DriveFixture {

    static final int CHUNK = 256 * 1024;

    private DriveFixture() {
    }

    static Path userCredentials(FakeDrive fake, Path dir) throws IOException {
        return fake.writeUserCredentials(dir.resolve("drive-credentials.json"));
    }

    static DriveSettings settings(FakeDrive fake, Path credentials) {
        return settings(fake, credentials, "SQLite Backups", Duration.ofSeconds(10));
    }

    static DriveSettings settings(FakeDrive fake, Path credentials, String folder, Duration readTimeout) {
        return new DriveSettings(credentials, folder, Optional.empty(), Optional.of(fake.rootUrl()), CHUNK, 5,
                Duration.ofMillis(100), Duration.ofSeconds(5), readTimeout);
    }

    /** A store of plain copies, as every copy was before copies had forms, whose retries wait on {@code sleeper}. */
    static DriveRemoteBackupStore plainStore(DriveSettings settings, Sleeper sleeper) {
        return plainStore(settings, Optional.empty(), sleeper);
    }

    /** The store of {@code database}'s plain copies, whose retries wait on {@code sleeper}. */
    static DriveRemoteBackupStore plainStore(DriveSettings settings, Optional<DatabaseIdentity> database,
            Sleeper sleeper) {
        return new DriveRemoteBackupStore(settings, database, InMemoryBackupCodec.plain(), sleeper);
    }

    /** A backup file of {@code size} random bytes taken at {@code at}, and the Backup that describes it. */
    static Backup backup(Path dir, Instant at, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        BackupName name = BackupName.at(at);
        Files.write(dir.resolve(name.value()), bytes);
        return new Backup(name, size, Optional.of(FakeDrive.hex("SHA-256", bytes)));
    }

    static Path fileOf(Path dir, Backup backup) {
        return dir.resolve(backup.name().value());
    }
}
