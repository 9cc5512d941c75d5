package dev.sqlitebackup.app.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A jar process that file permissions can stop. Root reads and writes whatever the mode bits say, so as root the
 * jar runs as nobody (uid and gid 65534, no supplementary groups) through util-linux's {@code setpriv}; as anyone
 * else it runs as it is.
 */
final class Unprivileged {

    static final List<String> SETPRIV = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

    /** How to start the jar, or why permissions cannot be tested here. */
    record Launch(List<String> launcher, Optional<String> impossible) {
        JarProcess apply(JarProcess jar) {
            return jar.launchedBy(launcher);
        }
    }

    private static Launch cached;

    private Unprivileged() {
    }

    static synchronized Launch launch() {
        if (cached == null) {
            cached = decide();
        }
        return cached;
    }

    private static Launch decide() {
        if (!"0".equals(output(List.of("id", "-u")).orElse(""))) {
            return new Launch(List.of(), Optional.empty());
        }
        List<String> probe = new ArrayList<>(SETPRIV);
        probe.addAll(List.of("test", "-r", JarProcess.JAR.toString()));
        if (output(probe).isEmpty()) {
            return new Launch(List.of(), Optional.of("running as root, and '" + String.join(" ", SETPRIV)
                    + "' (util-linux) is missing or cannot let nobody read " + JarProcess.JAR
                    + ", so no process here is stopped by file permissions"));
        }
        return new Launch(SETPRIV, Optional.empty());
    }

    /** What the command printed, when it exited 0. */
    static Optional<String> output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
