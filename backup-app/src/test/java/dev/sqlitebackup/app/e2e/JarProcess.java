package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shaded jar as a separate process, the way a user does, and captures what it prints. */
final class JarProcess {

    /**
     * Waits until the wall clock's second has changed since the call: a run started after that gets a backup name
     * of its own, later than that of any run that ended before the call (names have whole seconds).
     */
    static void awaitTheNextSecond() throws InterruptedException {
        long second = System.currentTimeMillis() / 1000;
        long now;
        while ((now = System.currentTimeMillis()) / 1000 == second) {
            Thread.sleep(1000 - now % 1000);
        }
    }

    static final Path JAR = Path.of(System.getProperty("sqlitebackup.jar", "target/sqlite-backup.jar"))
            .toAbsolutePath();

    /** What one invocation did. */
    record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    /** A command that starts java for us, e.g. setpriv dropping root's privileges; none by default. */
    private final List<String> launcher = new ArrayList<>();
    private final List<String> unset = new ArrayList<>();

    JarProcess(Path workDir) {
        this.workDir = workDir;
        assertThat(JAR).as("the shaded jar (run 'mvn verify', not 'mvn test')").exists();
    }

    JarProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Runs java without the locale variables, as cron or {@code env -i} do: its file-name encoding is then ASCII. */
    JarProcess withoutLocale() {
        unset.addAll(List.of("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE"));
        return this;
    }

    /** Starts java through {@code command} (e.g. {@code setpriv --reuid=65534 ...}) rather than directly. */
    JarProcess launchedBy(List<String> command) {
        launcher.addAll(command);
        return this;
    }

    /**
     * The jar as a process in {@code workDir} with a clean environment (nothing from the developer's shell leaks
     * into the run), UTC, and {@code env} added; {@code launcher} goes before {@code java} (e.g. setpriv).
     */
    static ProcessBuilder builder(Path workDir, List<String> launcher, Map<String, String> env, String... args) {
        return builder(workDir, launcher, QUICK_START, env, args);
    }

    /**
     * JVM options for the ~150 short runs of the jar on small databases here: the serial collector, no perf data
     * file and C1 alone start it with about a third less CPU on this 2-core machine (behaviour is the same). Not for
     * big copies: C1 has no SHA-256 intrinsic, so hashing a large backup becomes several times slower.
     */
    static final List<String> QUICK_START = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData",
            "-XX:TieredStopAtLevel=1");

    /** Like {@link #builder(Path, List, Map, String...)}, with {@code jvmOptions} (none: the JVM's defaults). */
    static ProcessBuilder builder(Path workDir, List<String> launcher, List<String> jvmOptions,
            Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BACKUP_") || k.startsWith("DATABASE_")
                || k.startsWith("DRIVE_") || k.startsWith("NTFY_") || k.startsWith("GOOGLE_"));
        pb.environment().put("TZ", "UTC");
        pb.environment().putAll(env);
        return pb;
    }

    Result run(String... args) {
        ProcessBuilder pb = builder(workDir, launcher, env, args);
        pb.environment().keySet().removeAll(unset);
        try {
            Path out = Files.createTempFile("jar-out", ".txt");
            Path err = Files.createTempFile("jar-err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("sqlite-backup " + String.join(" ", args) + " did not finish in 120 s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
