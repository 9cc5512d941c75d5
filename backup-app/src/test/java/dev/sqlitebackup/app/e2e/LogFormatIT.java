package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format} through the jar: json makes every log line, the libraries' on stderr and the daemon's own on
 * stdout and stderr, one object of logback's JSON encoder; plain under journald ({@code JOURNAL_STREAM} set) has no
 * timestamp of its own (journald adds one), and plain elsewhere keeps it.
 */
class LogFormatIT {


    @TempDir
    Path home;

    @Test
    void json_everyLogLineOfACommandIsAJsonObject_andStdoutKeepsTheResult() {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 20);
        JarProcess.Result run = new JarProcess(home).env("DATABASE_URL", db.toString())
                .run("run", "-v", "--log-format", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).startsWith("Backed up " + db);
        assertThat(run.errLines()).as(run.toString()).isNotEmpty().allSatisfy(line -> {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertThat(o.get("level").getAsString()).isIn("DEBUG", "INFO", "WARN", "ERROR");
            assertThat(o.has("loggerName")).isTrue();
            assertThat(o.get("formattedMessage").getAsString()).doesNotContain("{}");
            assertThat(o.get("timestamp").getAsLong()).isPositive();
        });
    }

    @Test
    void plain_underJournald_hasNoTimestampOfItsOwn_elsewhereKeepsIt() {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 20);
        JarProcess.Result journald = new JarProcess(home).env("DATABASE_URL", db.toString())
                .env("JOURNAL_STREAM", "8:12345").run("run", "-v");
        JarProcess.Result terminal = new JarProcess(home).env("DATABASE_URL", db.toString())
                .run("run", "-v", "--log-format", "plain");

        assertThat(journald.exitCode()).as(journald.toString()).isZero();
        assertThat(journald.errLines()).as(journald.toString()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("(DEBUG|INFO|WARN|ERROR) .*"));
        assertThat(terminal.exitCode()).as(terminal.toString()).isZero();
        assertThat(terminal.errLines()).as(terminal.toString()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (DEBUG|INFO|WARN|ERROR) .*"));
    }

    @Test
    void daemon_json_itsOwnLinesAreJsonObjects_plainUnderJournald_withoutTimestamps() throws Exception {
        Path db = home.resolve("app.db");
        Sqlite.createNotes(db, 20);

        JarProcess.Result json = daemonUntil("catch-up backup ok", db, Map.of(), "--log-format", "json");
        List<JsonObject> lines = json.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertThat(lines).as(json.toString()).isNotEmpty().allSatisfy(o -> {
            assertThat(o.get("loggerName").getAsString()).isEqualTo("sqlite-backup.daemon");
            assertThat(o.get("level").getAsString()).isEqualTo("INFO");
            assertThat(o.get("timestamp").getAsLong()).isPositive();
        });
        assertThat(lines).extracting(o -> o.get("formattedMessage").getAsString())
                .anySatisfy(m -> assertThat(m).startsWith("sqlite-backup daemon started: database " + db))
                .anySatisfy(m -> assertThat(m).startsWith("catch-up backup ok"))
                .anySatisfy(m -> assertThat(m).isEqualTo("sqlite-backup daemon stopped"));
        json.err().lines().forEach(l -> assertThat(JsonParser.parseString(l).isJsonObject()).as(l).isTrue());

        JarProcess.Result journald = daemonUntil("daemon started", db, Map.of("JOURNAL_STREAM", "8:12345"));
        assertThat(journald.out().lines().toList()).as(journald.toString())
                .anySatisfy(l -> assertThat(l).startsWith("sqlite-backup daemon started: database " + db))
                .anySatisfy(l -> assertThat(l).startsWith("sqlite-backup daemon stopped"))
                .noneSatisfy(l -> assertThat(l).matches("^\\d{4}-\\d\\d-\\d\\d .*"));

        JarProcess.Result terminal = daemonUntil("daemon started", db, Map.of());
        assertThat(terminal.out().lines().toList()).as(terminal.toString()).isNotEmpty()
                .allSatisfy(l -> assertThat(l).matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ .*"));
    }

    /** A daemon with a yearly schedule, from its start until it printed {@code awaited}, then stopped. */
    private JarProcess.Result daemonUntil(String awaited, Path db, Map<String, String> extra, String... options)
            throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("DATABASE_URL", db.toString());
        env.put("BACKUP_SCHEDULE", "0 0 3 1 1 ?");
        String[] args = new String[options.length + 1];
        args[0] = "daemon";
        System.arraycopy(options, 0, args, 1, options.length);
        try (JarDaemon daemon = JarDaemon.start(home, env, args)) {
            daemon.awaitOut(awaited);
            return daemon.terminate();
        }
    }
}
