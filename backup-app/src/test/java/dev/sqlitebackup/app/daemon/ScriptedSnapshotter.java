package dev.sqlitebackup.app.daemon;

import dev.sqlitebackup.domain.model.AssertionResult;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.SourceDatabase;
import dev.sqlitebackup.domain.model.TableCount;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A snapshotter that does the real work of another, but can fail the next few copies or hold each
 * copy until the test lets it go: a test that needs a backup to be running at some moment holds it, rather than
 * hoping that a slow one is still running, which a loaded machine can make false.
 */
final class ScriptedSnapshotter implements DatabaseSnapshotter {

    /** A held copy that nobody releases fails after this, so a broken test never hangs. */
    private static final long HOLD_LIMIT_SECONDS = 120;

    private final DatabaseSnapshotter real;
    private final AtomicInteger failures = new AtomicInteger();
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile boolean held;

    ScriptedSnapshotter(DatabaseSnapshotter real) {
        this.real = real;
    }

    ScriptedSnapshotter failNext(int count) {
        failures.set(count);
        return this;
    }

    /** Every copy waits until {@link #release()}; one never released fails after two minutes. */
    ScriptedSnapshotter holdUntilReleased() {
        held = true;
        return this;
    }

    /** Lets held copies go on. */
    void release() {
        gate.countDown();
    }

    @Override
    public SourceDatabase inspect(Path database) {
        return real.inspect(database);
    }

    @Override
    public void snapshot(Path database, Path target, boolean compact, SnapshotProgress progress) {
        started.countDown();
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new BackupFailedException("could not copy " + database + ": disk I/O error (injected)");
        }
        try {
            if (held && !gate.await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new BackupFailedException("could not copy " + database + ": held and never released (test)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        real.snapshot(database, target, compact, progress);
    }

    @Override
    public IntegrityReport check(Path copy, VerifyLevel level) {
        return real.check(copy, level);
    }

    @Override
    public List<AssertionResult> evaluate(Path copy, List<DataAssertion> assertions) {
        return real.evaluate(copy, assertions);
    }

    @Override
    public List<TableCount> countRows(Path copy) {
        return real.countRows(copy);
    }

    @Override
    public Optional<String> openElsewhere(Path database) {
        return real.openElsewhere(database);
    }
}
