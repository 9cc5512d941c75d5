package dev.sqlitebackup.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --help} on every command, in-process (was part of CliJourneyIT, which keeps {@code --version}). */
class HelpTest {

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"run", "list", "prune", "verify", "restore", "sample", "keygen"})
    void help_works_onEveryCommand(String command) {
        Cli cli = new Cli(Clock.systemUTC());

        Cli.Result help = cli.run(Map.of(), command, "--help");

        assertThat(help.exitCode()).as(command).isZero();
        assertThat(help.out()).as(command).contains("Usage: sqlite-backup " + command);
        assertThat(cli.useCases.asked()).as("help sets nothing up").isEmpty();
    }
}
