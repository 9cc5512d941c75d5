package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.adapters.filesystem.FilesystemBackupRepository;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.port.out.Notifier;
import dev.sqlitebackup.domain.service.RunBackupService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "As a library" example is this test's code, compiled and run: the test checks that the README's
 * java block is, line for line, the code between the markers below.
 */
class ReadmeLibraryExampleTest {

    @TempDir
    Path home;

    @Test
    void theReadmesLibraryExample_compiles_andBacksUp() throws SQLException, IOException {
        Path database = home.resolve("app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
            s.execute("INSERT INTO notes (body) VALUES ('one')");
        }
        Path dir = home.resolve("backups");

        // README:begin
        RunBackupUseCase backups = new RunBackupService(new SqliteSnapshotter(), new FilesystemBackupRepository(dir),
                Notifier.OFF, Clock.systemUTC());
        RunResult result = backups.run(RunBackupUseCase.Command.localBackup(database, true, VerifyLevel.QUICK,
                RetentionPolicy.DEFAULT, ZoneId.of("Europe/Berlin"), SnapshotProgress.NONE));
        // README:end

        assertThat(result.file()).exists().hasParent(dir);
        assertThat(readmeExample()).isEqualTo(thisTestsExample());
    }

    private static List<String> readmeExample() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("### As a library\\n.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("the README has a java block under 'As a library'").isTrue();
        return m.group(1).lines().map(String::strip).toList();
    }

    private static List<String> thisTestsExample() throws IOException {
        String source = Files.readString(Path.of("src", "test", "java", "dev", "sqlitebackup", "adapters", "sqlite",
                "ReadmeLibraryExampleTest.java"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("// README:begin\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL).matcher(source);
        assertThat(m.find()).isTrue();
        return m.group(1).lines().map(String::strip).toList();
    }
}
