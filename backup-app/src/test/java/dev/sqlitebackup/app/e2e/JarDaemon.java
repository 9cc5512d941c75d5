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
}
