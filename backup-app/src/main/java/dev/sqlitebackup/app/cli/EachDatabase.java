package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfigurationException;
import dev.sqlitebackup.app.config.ConfiguredDatabase;
import dev.sqlitebackup.domain.model.InvalidInputException;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A command over every database of a config file of many ({@code prune}, {@code verify}): each database's block
 * headed by its name, one failing never stopping the others. The exit code is the worst of them.
 */
final class EachDatabase {

    private EachDatabase() {
    }

    /**
     * Runs {@code work} for each database, under a {@code == name ==} header; a database whose work throws gets one
     * line naming it and the cause on stderr, and counts as failed (exit 2 for its settings, 1 otherwise).
     */
    static int run(CliContext context, List<ConfiguredDatabase> databases, ToIntFunction<Configuration> work) {
        int worst = ExitCodes.OK;
        for (ConfiguredDatabase db : databases) {
            context.out().println("== " + db.name() + " ==");
            context.out().flush();
            int code;
            try {
                code = work.applyAsInt(db.configuration());
            } catch (RuntimeException e) {
                context.err().println("sqlite-backup: " + db.name() + ": " + SqliteBackupCli.failureLine(e));
                context.err().flush();
                code = e instanceof ConfigurationException || e instanceof InvalidInputException
                        ? ExitCodes.USAGE : ExitCodes.FAILED;
            }
            worst = Math.max(worst, code);
        }
        return worst;
    }
}
