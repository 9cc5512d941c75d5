package dev.sqlitebackup.adapters.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The standard tools that must agree with the tool's files: {@code age}, {@code age-keygen}, {@code zstd} and
 * {@code sha256sum} (Debian's packages {@code age}, {@code zstd} and {@code coreutils}, which {@code .ci/run}
 * installs). Missing in CI ({@code CI=true}) fails the
 * test; elsewhere it is skipped, saying why.
 */
public final class StandardTools {

    /** The Debian package of a tool whose package is named otherwise. */
    private static final Map<String, String> PACKAGES = Map.of("age-keygen", "age", "sha256sum", "coreutils");

    private StandardTools() {
    }

    public static void require(String... tools) {
        for (String tool : tools) {
            if (!onPath(tool)) {
                String reason = tool + " is not installed (Debian package '" + PACKAGES.getOrDefault(tool, tool)
                        + "', which .ci/run installs), so the tool's files are not checked against it";
                if ("true".equals(System.getenv("CI"))) {
                    fail(reason + "; in CI it must be there");
                }
                System.err.println("SKIPPED: " + reason);
                Assumptions.abort(reason);
            }
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return List.of(path.split(File.pathSeparator)).stream().map(d -> Path.of(d, tool))
                .anyMatch(Files::isExecutable);
    }

    /** Runs {@code command} in {@code dir}; it must exit 0. Returns what it printed on stdout, stripped. */
    public static String run(Path dir, String... command) {
        try {
            Path out = Files.createTempFile(dir, "tool-out", ".txt");
            Path err = Files.createTempFile(dir, "tool-err", ".txt");
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
            String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
            Files.delete(out);
            Files.delete(err);
            assertThat(process.exitValue()).as("%s failed: %s", String.join(" ", command), stderr).isZero();
            return stdout;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
