package dev.sqlitebackup.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.domain.model.DatabaseIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database's default backup folder and its identity, as the folder records it. */
class ConfigurationDatabaseTest {

    @TempDir
    Path temp;

    private static Configuration of(Map<String, String> env) {
        return Configuration.load(env, Optional.empty(), Map.of());
    }

    @Test
    void twoDatabasesInOneFolder_getTwoDefaultBackupFolders() {
        assertThat(of(Map.of("DATABASE_URL", "/srv/app/app.db")).backupDir())
                .isEqualTo(Path.of("/srv/app/backups/app.db"));
        assertThat(of(Map.of("DATABASE_URL", "sqlite:////srv/app/users.db")).backupDir())
                .isEqualTo(Path.of("/srv/app/backups/users.db"));
        assertThat(of(Map.of("DATABASE_URL", "/srv/app/app.db", "BACKUP_DIR", "/var/backups/app")).backupDir())
                .as("BACKUP_DIR still decides").isEqualTo(Path.of("/var/backups/app"));
    }

    @Test
    void theIdentity_resolvesTheFoldersSymlinks_keepsTheFileName_andNeedsNoFile() throws IOException {
        Path real = Files.createDirectory(temp.resolve("data"));
        Path link = Files.createSymbolicLink(temp.resolve("srv"), real);
        Path expected = real.toRealPath().resolve("app.db");

        assertThat(of(Map.of("DATABASE_URL", link.resolve("app.db").toString())).databaseIdentity())
                .contains(new DatabaseIdentity(expected));
        assertThat(of(Map.of("DATABASE_URL", real.resolve("./app.db").toString())).databaseIdentity())
                .as("the database file need not exist (a restore after it was lost)")
                .contains(new DatabaseIdentity(expected));
        assertThat(of(Map.of("DATABASE_URL", "/no/such/folder/app.db")).databaseIdentity())
                .contains(new DatabaseIdentity(Path.of("/no/such/folder/app.db")));
        assertThat(of(Map.of("BACKUP_DIR", "/var/backups/app")).databaseIdentity()).isEmpty();
    }
}
