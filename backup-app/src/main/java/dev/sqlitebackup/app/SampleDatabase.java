package dev.sqlitebackup.app;

import dev.sqlitebackup.domain.model.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** Writes a small sample database (a notes table in WAL mode) so a first backup needs no set-up. */
final class SampleDatabase {

    private SampleDatabase() {
    }

    static void create(Path path) {
        Path target = path.toAbsolutePath().normalize();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(target + " exists; sample will not overwrite it");
        }
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw new InvalidInputException("folder of " + target + " does not exist");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + target);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, created TEXT NOT NULL, body TEXT NOT NULL)");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO notes (created, body) VALUES (datetime('now', ?), ?)")) {
                for (int i = 1; i <= 1000; i++) {
                    insert.setString(1, "-" + i + " minutes");
                    insert.setString(2, "Sample note " + i + ": sqlite-backup keeps this safe. ✓ ünïcödé");
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new InvalidInputException("cannot create sample database " + target + ": " + e.getMessage(), e);
        }
    }
}
