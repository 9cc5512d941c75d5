package dev.sqlitebackup.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code keygen} in-process over the fake key maker: what goes to stdout and stderr, and the exit codes. */
class KeygenCommandTest {

    private final Cli cli = new Cli(Clock.systemUTC());

    private String file(Path path) {
        return new String(cli.useCases.files.read(path).orElseThrow(), StandardCharsets.US_ASCII);
    }

    @Test
    void keygen_printsThePublicKeyAloneOnStdout_andWhereTheIdentityWentOnStderr() {
        Path out = Path.of("/in-memory/keys/owner.txt");

        Cli.Result result = cli.run(Map.of(), "keygen", "--out", out.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines()).singleElement().satisfies(key -> assertThat(file(out)).contains(key));
        assertThat(result.errLines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("Wrote the identity (private key) to " + out + " (mode 0600)")
                .contains("keep it off the server").contains("AGE_IDENTITY_FILE").contains("AGE_RECIPIENTS"));
        assertThat(result.out() + result.err()).doesNotContain("SECRET-KEY");
        assertThat(cli.useCases.asked()).containsExactly("createIdentity");
    }

    @Test
    void keygen_withoutOut_writesAgeIdentityTxtInTheCurrentDirectory() {
        Cli.Result result = cli.run(Map.of(), "keygen");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(file(Path.of("age-identity.txt"))).contains(result.out().strip());
        assertThat(result.err()).contains(Path.of("age-identity.txt").toAbsolutePath().toString());
    }

    @Test
    void keygen_overAnExistingFile_exits2_andLeavesItAsItWas() {
        Path out = Path.of("/in-memory/keys/owner.txt");
        byte[] old = "# last year's identity\n".getBytes(StandardCharsets.US_ASCII);
        cli.useCases.files.write(out, old);

        Cli.Result result = cli.run(Map.of(), "keygen", "--out", out.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("sqlite-backup: " + out + " exists, not overwritten");
        assertThat(result.out()).isEmpty();
        assertThat(cli.useCases.files.read(out).orElseThrow()).isEqualTo(old);
    }

    @Test
    void keygen_withAStrayArgument_isAUsageError_andCreatesNothing() {
        Cli.Result result = cli.run(Map.of(), "keygen", "owner.txt");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("sqlite-backup: ").contains("owner.txt").endsWith("(see 'sqlite-backup keygen --help')"));
        assertThat(cli.useCases.asked()).isEmpty();
        assertThat(cli.useCases.files.exists(Path.of("owner.txt"))).isFalse();
    }
}
