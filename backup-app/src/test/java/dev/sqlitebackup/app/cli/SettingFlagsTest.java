package dev.sqlitebackup.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.app.config.Setting;
import dev.sqlitebackup.app.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The flags of the command line as the settings declare them, and the duration flags read by their typed
 * converter; in-process, through picocli, no use case is reached.
 */
class SettingFlagsTest {

    private final StringWriter err = new StringWriter();

    private CommandLine commandLine() {
        CliContext context = new CliContext(null, Map.of(), new PrintWriter(new StringWriter()),
                new PrintWriter(err, true), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false, Clock.systemUTC());
        return SqliteBackupCli.commandLine(context);
    }

    @Test
    void everySettingsFlag_isAnOptionOfACommand() {
        CommandLine cl = commandLine();
        for (Setting<?> setting : Settings.ALL) {
            setting.flag().ifPresent(flag -> assertThat(cl.getSubcommands().values())
                    .as(setting.key() + " is set by " + flag)
                    .anyMatch(sub -> sub.getCommandSpec().findOption(flag) != null));
        }
    }

    @Test
    void durationFlags_areReadAsDurations_withTheirDefaults() {
        CommandLine cl = commandLine();
        cl.parseArgs("status", "--max-age", "1h30m");
        assertThat(((StatusCommand) cl.getSubcommands().get("status").getCommand()).maxAge)
                .isEqualTo(Duration.ofMinutes(90));

        CommandLine defaults = commandLine();
        defaults.parseArgs("status");
        assertThat(((StatusCommand) defaults.getSubcommands().get("status").getCommand()).maxAge)
                .isEqualTo(Duration.ofHours(26));
        defaults.parseArgs("run");
        assertThat(((RunCommand) defaults.getSubcommands().get("run").getCommand()).waitFor)
                .isEqualTo(Duration.ZERO);
        defaults.parseArgs("run", "--wait", "PT2M");
        assertThat(((RunCommand) defaults.getSubcommands().get("run").getCommand()).waitFor)
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aBadDuration_isAUsageError_namingTheFlagAndTheValue() {
        assertThat(commandLine().execute("status", "--max-age", "soon")).isEqualTo(ExitCodes.USAGE);
        assertThat(commandLine().execute("status", "--max-age", "0s")).isEqualTo(ExitCodes.USAGE);
        assertThat(commandLine().execute("run", "--wait", "a while")).isEqualTo(ExitCodes.USAGE);

        assertThat(err.toString().lines().toList()).containsExactly(
                "sqlite-backup: Invalid value for option '--max-age': 'soon' is not a duration (use e.g. 90s, 90m, "
                        + "26h, 2d, 1h30m or ISO-8601 like PT26H) (see 'sqlite-backup status --help')",
                "sqlite-backup: Invalid value for option '--max-age': must be longer than zero, got '0s' (see "
                        + "'sqlite-backup status --help')",
                "sqlite-backup: Invalid value for option '--wait': 'a while' is not a duration (use e.g. 90s, 90m, "
                        + "26h, 2d, 1h30m or ISO-8601 like PT26H) (see 'sqlite-backup run --help')");
    }
}
