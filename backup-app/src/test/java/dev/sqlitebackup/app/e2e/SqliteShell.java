package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The application as a separate process: Debian's {@code sqlite3} shell with the database open, the way a service
 * keeps it open between requests, until {@link #close()}.
 */
final class SqliteShell implements AutoCloseable {

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private SqliteShell(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** A shell on {@code db} (as {@code launcher}'s user, if any) that has read from it, so it holds it open. */
    static SqliteShell open(Path db, List<String> launcher) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("sqlite3", "-batch", db.toString()));
        try {
            SqliteShell shell = new SqliteShell(new ProcessBuilder(command).redirectErrorStream(true).start());
            assertThat(shell.query("SELECT count(*) FROM sqlite_schema;")).as("the shell reads " + db).isNotNull();
            return shell;
        } catch (IOException e) {
            throw new AssertionError("cannot start sqlite3 (apt-get install sqlite3)", e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Runs one statement and returns the first line it prints. */
    String query(String sql) {
        try {
            in.write(sql + "\n");
            in.flush();
            return out.readLine();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs statements that print nothing, and waits until the shell has run them. */
    void exec(String sql) {
        assertThat(query(sql + "\nSELECT 'done';")).as(sql).isEqualTo("done");
    }

    /** Ends the shell (end of input) and waits for it to exit, so it has closed the database. */
    @Override
    public void close() throws IOException {
        in.close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
