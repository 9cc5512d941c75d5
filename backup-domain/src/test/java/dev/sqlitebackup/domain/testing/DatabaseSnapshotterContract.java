package dev.sqlitebackup.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.SourceDatabase;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link DatabaseSnapshotter} must do. Extended by the in-memory fake's test and by the SQLite adapter's
 * test on real files, so the fake cannot drift from the real thing.
 */
public abstract class DatabaseSnapshotterContract {

    protected DatabaseSnapshotter snapshotter;

    /** A snapshotter and the live database it is given: one that exists and holds some rows. */
    protected abstract DatabaseSnapshotter newSnapshotter();

    protected abstract Path database();

    /** A write to the live database, committed. */
    protected abstract void commit();

    /** An existing empty file to copy into; each call gives a file of its own. */
    protected abstract Path emptyTarget();

    protected abstract boolean exists(Path file);

    protected abstract byte[] read(Path file);

    /** Damages a copy as a bad disk would, so that SQLite's check finds it. */
    protected abstract void damage(Path copy);

    /** Another process opens {@code file} and keeps it open until the returned handle is closed. */
    protected abstract AutoCloseable openInAnotherProcess(Path file);

    @BeforeEach
    void createSnapshotter() {
        snapshotter = newSnapshotter();
    }

    private Path copy(boolean compact) {
        Path target = emptyTarget();
        snapshotter.snapshot(database(), target, compact, SnapshotProgress.NONE);
        return target;
    }

    @Test
    void aChecksumTakenAsTheCopyWasWritten_isTheCopysOwn_inEachMode() throws Exception {
        for (boolean compact : new boolean[] {false, true}) {
            Path target = emptyTarget();
            Optional<DatabaseSnapshotter.CopyChecksum> landed = snapshotter.snapshotHashed(database(), target,
                    compact, SnapshotProgress.NONE).join();
            byte[] copy = read(target);
            if (landed.isPresent()) {
                assertThat(landed.get().sha256()).as("compact=" + compact)
                        .isEqualTo(InMemoryRemoteBackupStore.sha256(copy));
                assertThat(landed.get().sizeBytes()).isEqualTo(copy.length);
            }
        }
    }

    @Test
    void inspect_ofTheDatabase_givesItsPathAndSize() {
        SourceDatabase source = snapshotter.inspect(database());

        assertThat(source.path()).isEqualTo(database());
        assertThat(source.sizeBytes()).isPositive();
    }

    @Test
    void inspect_ofAMissingDatabase_isBadInput_andCreatesNothing() {
        Path missing = database().resolveSibling("missing.db");

        assertThatThrownBy(() -> snapshotter.inspect(missing)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(missing.toString());

        assertThat(exists(missing)).isFalse();
    }

    @ParameterizedTest(name = "compact={0}")
    @ValueSource(booleans = {false, true})
    void aCopy_passesBothChecks(boolean compact) {
        Path copy = copy(compact);

        assertThat(snapshotter.check(copy, VerifyLevel.QUICK)).isEqualTo(IntegrityReport.passed(VerifyLevel.QUICK));
        assertThat(snapshotter.check(copy, VerifyLevel.FULL)).isEqualTo(IntegrityReport.passed(VerifyLevel.FULL));
    }

    @ParameterizedTest(name = "compact={0}")
    @ValueSource(booleans = {false, true})
    void aCopy_holdsTheStateOfItsMoment_andALaterCopyTheLaterState(boolean compact) {
        Path before = copy(compact);
        byte[] beforeBytes = read(before);

        commit();
        Path after = copy(compact);

        assertThat(read(before)).isEqualTo(beforeBytes);
        assertThat(read(after)).isNotEqualTo(beforeBytes);
        assertThat(snapshotter.check(after, VerifyLevel.QUICK).ok()).isTrue();
    }

    @Test
    void snapshot_reportsProgress_endingWithTheCopysSize() {
        List<long[]> updates = new ArrayList<>();
        Path copy = emptyTarget();

        snapshotter.snapshot(database(), copy, false, (written, total) -> {
            synchronized (updates) {
                updates.add(new long[] {written, total});
            }
        });

        assertThat(updates).isNotEmpty();
        assertThat(updates.get(updates.size() - 1)[0]).isEqualTo(read(copy).length);
    }

    @Test
    void snapshot_ofAMissingDatabase_failsTheBackup() {
        Path missing = database().resolveSibling("missing.db");

        assertThatThrownBy(() -> snapshotter.snapshot(missing, emptyTarget(), false, SnapshotProgress.NONE))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining(missing.toString());

        assertThat(exists(missing)).isFalse();
    }

    @Test
    void check_ofADamagedCopy_reportsTheProblem_insteadOfThrowing_andChangesNothing() {
        Path copy = copy(false);
        damage(copy);
        byte[] damaged = read(copy);

        IntegrityReport quick = snapshotter.check(copy, VerifyLevel.QUICK);
        IntegrityReport full = snapshotter.check(copy, VerifyLevel.FULL);

        assertThat(quick.ok()).isFalse();
        assertThat(quick.summary()).startsWith("quick_check failed: ");
        assertThat(full.ok()).isFalse();
        assertThat(full.summary()).startsWith("integrity_check failed: ");
        assertThat(quick.problems()).allSatisfy(problem -> assertThat(problem).doesNotContain("\n"));
        assertThat(read(copy)).isEqualTo(damaged);
    }

    @Test
    void check_ofAGoodCopy_changesNothing() {
        Path copy = copy(false);
        byte[] bytes = read(copy);

        snapshotter.check(copy, VerifyLevel.FULL);

        assertThat(read(copy)).isEqualTo(bytes);
    }

    @Test
    @SuppressWarnings("try") // the other process holds the database for the block's duration, unused in it
    void openElsewhere_seesAnotherProcessThatHasTheDatabaseOpen_onlyWhileItHasIt() throws Exception {
        assertThat(snapshotter.openElsewhere(database())).isEmpty();

        try (AutoCloseable other = openInAnotherProcess(database())) {
            assertThat(snapshotter.openElsewhere(database())).hasValueSatisfying(who -> assertThat(who)
                    .startsWith("pid ").doesNotContain("\n"));
        }

        assertThat(snapshotter.openElsewhere(database())).isEmpty();
    }

    @Test
    void openElsewhere_ofAFileNobodyHasOpen_isEmpty_andChangesNothing() {
        Path copy = copy(false);
        byte[] bytes = read(copy);

        assertThat(snapshotter.openElsewhere(copy)).isEmpty();
        assertThat(read(copy)).isEqualTo(bytes);
    }
}
