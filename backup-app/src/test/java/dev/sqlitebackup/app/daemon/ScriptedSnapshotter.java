package dev.sqlitebackup.app.daemon;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.IntegrityReport;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.SourceDatabase;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A snapshotter that does the real work of another, but can fail the next few copies or take its time. */
final class ScriptedSnapshotter implements DatabaseSnapshotter {

    private final DatabaseSnapshotter real;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Duration slowness = Duration.ZERO;
    final CountDownLatch started = new CountDownLatch(1);

    ScriptedSnapshotter(DatabaseSnapshotter real) {
        this.real = real;
    }

    ScriptedSnapshotter failNext(int count) {
        failures.set(count);
        return this;
    }

    ScriptedSnapshotter takeAtLeast(Duration duration) {
        slowness = duration;
        return this;
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
            Thread.sleep(slowness.toMillis());
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
    public Optional<String> openElsewhere(Path database) {
        return real.openElsewhere(database);
    }
}
