package dev.sqlitebackup.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line Main builds for one invocation holds the subcommand it names, under the name it declares. */
class SubcommandsTest {

    private final Cli cli = new Cli(Clock.systemUTC());
    private final CliContext context = cli.quietContext();

    @Test
    void everySubcommand_isKeptUnderTheNameItsAnnotationGivesIt() {
        Map<String, Supplier<Object>> subcommands = SqliteBackupCli.subcommands(context);
        subcommands.forEach((name, make) ->
                assertThat(new CommandLine(make.get()).getCommandName()).as(name).isEqualTo(name));
        assertThat(SqliteBackupCli.commandLine(context).getSubcommands().keySet())
                .containsExactlyElementsOf(subcommands.keySet());
    }

    @Test
    void argsNamingASubcommand_getThatOneAlone() {
        for (String name : SqliteBackupCli.subcommands(context).keySet()) {
            CommandLine cl = SqliteBackupCli.commandLine(context, new String[] {name, "--help"});
            assertThat(cl.getSubcommands().keySet()).as(name).containsExactly(name);
        }
    }

    @Test
    void argsNamingNone_getEverySubcommand_forTheHelpAndTheSuggestions() {
        int all = SqliteBackupCli.subcommands(context).size();
        assertThat(SqliteBackupCli.commandLine(context, new String[0]).getSubcommands()).hasSize(all);
        assertThat(SqliteBackupCli.commandLine(context, new String[] {"--version"}).getSubcommands()).hasSize(all);
        assertThat(SqliteBackupCli.commandLine(context, new String[] {"rn", "--database", "x.db"}).getSubcommands())
                .hasSize(all);
    }

    @Test
    void aMistypedSubcommand_isStillRefusedWithASuggestion() {
        Cli.Result typo = cli.run(Map.of(), "statuss");
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).contains("status");
    }
}
