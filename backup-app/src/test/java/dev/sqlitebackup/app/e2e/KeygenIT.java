package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keygen} through the jar, as nobody when the tests run as root (so the file's mode is the tool's doing, not
 * root's): the identity file it writes is its owner's alone, {@code age-keygen -y} finds the printed public key in
 * it, {@code age -d -i} decrypts with it, and a second keygen at the same path changes nothing.
 */
class KeygenIT {

    @TempDir
    Path home;

    @Test
    void keygen_writesAnIdentityThatAgeUses_ownerOnly_andNeverOverwritesIt() throws Exception {
        requireTools("age", "age-keygen");
        Unprivileged.Launch launch = Unprivileged.launch();
        launch.impossible().ifPresent(why -> System.out.println("KeygenIT runs as root, so the mode is checked "
                + "only as root's umask leaves it: " + why));
        if (!launch.launcher().isEmpty()) {
            Files.setOwner(home, home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        }
        JarProcess jar = launch.apply(new JarProcess(home));

        JarProcess.Result keygen = jar.run("keygen", "--out", "owner.txt");

        assertThat(keygen.exitCode()).as(keygen.toString()).isZero();
        String publicKey = keygen.out().strip();
        assertThat(publicKey).as(keygen.toString()).startsWith("age1").hasSize(62);
        assertThat(keygen.out().lines()).as("the public key alone on stdout").hasSize(1);
        assertThat(keygen.errLines()).as(keygen.toString()).singleElement().satisfies(line -> assertThat(line)
                .contains(home.resolve("owner.txt").toString()).contains("off the server"));
        Path identity = home.resolve("owner.txt");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity))).isEqualTo("rw-------");
        if (!launch.launcher().isEmpty()) {
            assertThat(Files.getOwner(identity).getName()).as("written by the jar run as nobody").isEqualTo("nobody");
        }
        assertThat(keygen.out() + keygen.err()).doesNotContain("AGE-SECRET-KEY");

        assertThat(tool("age-keygen", "-y", identity.toString())).isEqualTo(publicKey);
        Files.writeString(home.resolve("message.txt"), "restore me\n");
        tool("age", "-r", publicKey, "-o", home.resolve("message.age").toString(),
                home.resolve("message.txt").toString());
        assertThat(tool("age", "-d", "-i", identity.toString(), home.resolve("message.age").toString()))
                .isEqualTo("restore me");

        byte[] before = Files.readAllBytes(identity);
        JarProcess.Result again = jar.run("keygen", "--out", "owner.txt");

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        assertThat(again.errLines()).containsExactly("sqlite-backup: owner.txt exists, not overwritten");
        assertThat(again.out()).isEmpty();
        assertThat(Files.readAllBytes(identity)).isEqualTo(before);

        JarProcess.Result byDefault = jar.run("keygen");

        assertThat(byDefault.exitCode()).as(byDefault.toString()).isZero();
        assertThat(tool("age-keygen", "-y", home.resolve("age-identity.txt").toString()))
                .isEqualTo(byDefault.out().strip()).isNotEqualTo(publicKey);
    }

    /** Debian's age package, which .ci/run installs: missing fails in CI, and is skipped with a reason elsewhere. */
    private static void requireTools(String... tools) {
        for (String tool : tools) {
            boolean found = List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                    .stream().anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
            if (!found) {
                String reason = tool + " is not installed (Debian package 'age', which .ci/run installs)";
                if ("true".equals(System.getenv("CI"))) {
                    fail(reason + "; in CI it must be there");
                }
                System.out.println("SKIPPED KeygenIT: " + reason);
                Assumptions.abort(reason);
            }
        }
    }

    private String tool(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }
}
