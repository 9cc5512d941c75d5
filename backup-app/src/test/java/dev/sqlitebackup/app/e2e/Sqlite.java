package dev.sqlitebackup.app.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Test-side SQLite access through the JDBC driver: make databases and look inside backups. */
final class Sqlite {

    private Sqlite() {
    }

    static void createNotes(Path db, int rows) {
        exec(db, "PRAGMA journal_mode=WAL",
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ") "
                        + "INSERT INTO notes (body) SELECT 'note ' || i || ' ' || hex(randomblob(64)) FROM n");
    }

    static void exec(Path db, String... sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static long count(Path db, String table) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static String integrityCheck(Path db) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            return rs.getString(1);
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
