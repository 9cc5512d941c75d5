package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.AssertionResult;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.RunTrigger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * In-port: a restore drill. The latest backup (or its off-site copy) is restored into scratch space exactly as
 * {@code restore} would, opened with SQLite, checked with {@code integrity_check} and the data assertions, and
 * removed again; the result is recorded in the activity log, and a failure is told to the owner.
 */
public interface DrillUseCase {

    /**
     * @return how the drill went; a drill that could not prove the backup restorable is a result that is not ok (the
     *         restore failing, a wrong key, a corrupt copy, a failed check), never an exception
     */
    Result drill(Command command);

    record Command(boolean remote, List<DataAssertion> assertions, RunTrigger trigger) {
        public Command {
            assertions = List.copyOf(assertions);
            Objects.requireNonNull(trigger, "trigger");
        }
    }

    /**
     * @param backup     the backup drilled, when one was found
     * @param integrity  its integrity_check, when it was restored
     * @param assertions each assertion's result on it, when it was restored
     * @param problem    why it is not proven restorable; empty when it is
     */
    record Result(String databaseName, Optional<Backup> backup, boolean remote, Optional<IntegrityReport> integrity,
            List<AssertionResult> assertions, Duration took, Optional<String> problem) {
        public Result {
            assertions = List.copyOf(assertions);
        }

        public boolean ok() {
            return problem.isEmpty();
        }
    }
}
