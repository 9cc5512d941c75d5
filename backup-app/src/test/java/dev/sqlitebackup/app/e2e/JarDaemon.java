package dev.sqlitebackup.app.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The shaded jar started as a long-running process ({@code daemon}), stopped the way systemd stops it: SIGTERM. */
final class JarDaemon implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private JarDaemon(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static JarDaemon start(Path workDir, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = JarProcess.builder(workDir, List.of(), env, args);
        Path out = Files.createTempFile(workDir, "daemon-out", ".txt");
        Path err = Files.createTempFile(workDir, "daemon-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        return new JarDaemon(p, out, err);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Sends SIGTERM (what {@link Process#destroy()} sends on Linux) and waits for the exit code. */
    JarProcess.Result terminate() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the daemon did not stop within 120 s of SIGTERM\n" + out() + err());
        }
        return new JarProcess.Result(process.exitValue(), out(), err());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /**
     * Waits until the daemon's output holds {@code text}, or fails with its output when it died or took longer than
     * {@link #PATIENCE}. It looks often: a test may act on the very moment a line appears.
     */
    void awaitOut(String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!out().contains(text)) {
            if (!isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' from the daemon within " + PATIENCE + "\n" + out() + err());
            }
            Thread.sleep(1);
        }
    }

    /** How long a test waits for the daemon's runs before it gives up. */
    static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(90);

    /** Waits until the state database {@code state} has {@code atLeast} runs {@code where}, or fails saying why. */
    void awaitRows(Path state, String where, int atLeast) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (rows(state, where) < atLeast) {
            if (!isAlive()) {
                throw new AssertionError("the daemon exited early\n" + out() + err());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + where + " in " + state + "\n" + out() + err());
            }
            Thread.sleep(200);
        }
    }

    /** The runs {@code where} in the state database {@code state}; none before it exists. */
    static long rows(Path state, String where) {
        if (!Files.exists(state)) {
            return 0;
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + state);
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM runs WHERE " + where)) {
            return rs.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0; // the table is created by the first run
        }
    }
}
