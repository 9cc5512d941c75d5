package dev.sqlitebackup.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.adapters.sqlite.SqliteActivityLog;
import dev.sqlitebackup.app.Main;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A history row an older version stored with a secret in its error is shown masked by history and status. */
class HistorySecretsTest {

    private static final String SECRET = "fake-client-secret-0123456789";

    @TempDir
    Path home;

    @Test
    void historyAndStatus_maskASecretInAStoredError() throws IOException {
        Path dir = Files.createDirectories(home.resolve("backups"));
        Instant at = Instant.parse("2026-08-18T03:00:00Z");
        new SqliteActivityLog(dir.resolve(".sqlite-backup").resolve("state.db")).finish(RunRecord.started(0,
                RunTrigger.MANUAL, at).ended(at.plusSeconds(1), RunRecord.Outcome.FAILED, Optional.empty(),
                Optional.empty(), Optional.of("Drive refused the credentials (client_secret=" + SECRET + ")")));

        for (List<String> command : List.of(List.of("history"), List.of("history", "--json"), List.of("status"),
                List.of("status", "--json"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("--backup-dir", dir.toString()));
            Main.execute(args.toArray(String[]::new), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false);

            String said = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            assertThat(said).as(String.join(" ", command)).contains("client_secret=***").doesNotContain(SECRET);
        }
    }
}
