package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.domain.port.in.CheckStatusUseCase;
import dev.sqlitebackup.domain.port.in.CreateIdentityUseCase;
import dev.sqlitebackup.domain.port.in.DrillUseCase;
import dev.sqlitebackup.domain.port.in.HoldDaemonLockUseCase;
import dev.sqlitebackup.domain.port.in.ListBackupsUseCase;
import dev.sqlitebackup.domain.port.in.PinBackupsUseCase;
import dev.sqlitebackup.domain.port.in.PruneBackupsUseCase;
import dev.sqlitebackup.domain.port.in.RecordRefusedRunUseCase;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.port.in.ShowHistoryUseCase;
import dev.sqlitebackup.domain.port.in.VerifyBackupsUseCase;
import dev.sqlitebackup.domain.service.CheckStatusService;
import dev.sqlitebackup.domain.service.CreateIdentityService;
import dev.sqlitebackup.domain.service.DrillService;
import dev.sqlitebackup.domain.service.HoldDaemonLockService;
import dev.sqlitebackup.domain.service.ListBackupsService;
import dev.sqlitebackup.domain.service.PinBackupsService;
import dev.sqlitebackup.domain.service.PruneBackupsService;
import dev.sqlitebackup.domain.service.RecordRefusedRunService;
import dev.sqlitebackup.domain.service.RestoreBackupService;
import dev.sqlitebackup.domain.service.RunBackupService;
import dev.sqlitebackup.domain.service.ShowHistoryService;
import dev.sqlitebackup.domain.service.VerifyBackupsService;
import dev.sqlitebackup.domain.testing.InMemoryActivityLog;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryDatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryEncryptionKeys;
import dev.sqlitebackup.domain.testing.InMemoryFiles;
import dev.sqlitebackup.domain.testing.InMemoryNotifier;
import dev.sqlitebackup.domain.testing.InMemoryRestoreDestination;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The use cases over the domain's in-memory fakes, for running commands in-process: what the composition root
 * builds over real adapters, built over {@link InMemoryBackupRepository} and friends instead. It records which use
 * cases a command asked for, so a test can show that bad input stopped before any work was set up.
 */
final class FakeUseCases implements UseCases {

    final InMemoryFiles files = new InMemoryFiles();
    final InMemoryBackupRepository repository = new InMemoryBackupRepository(files, Path.of("/in-memory/backups"));
    final InMemoryActivityLog log = new InMemoryActivityLog();
    final InMemoryNotifier notifier = new InMemoryNotifier();
    private final Clock clock;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    FakeUseCases(Clock clock) {
        this.clock = clock;
    }

    /** The use cases commands asked for, in order, by method name. */
    List<String> asked() {
        return List.copyOf(asked);
    }

    private InMemoryDatabaseSnapshotter snapshotter(Configuration configuration) {
        return new InMemoryDatabaseSnapshotter(files, configuration.databaseIfSet().orElse(Path.of("/in-memory/db")));
    }

    @Override
    public RunBackupUseCase runBackup(Configuration configuration) {
        asked.add("runBackup");
        return new RunBackupService(snapshotter(configuration), repository, Optional.empty(), notifier, clock)
                .recordingTo(log);
    }

    @Override
    public ListBackupsUseCase listBackups(Configuration configuration) {
        asked.add("listBackups");
        return new ListBackupsService(repository);
    }

    @Override
    public PinBackupsUseCase pinBackups(Configuration configuration) {
        asked.add("pinBackups");
        return new PinBackupsService(repository);
    }

    @Override
    public PruneBackupsUseCase pruneBackups(Configuration configuration) {
        asked.add("pruneBackups");
        return new PruneBackupsService(repository, clock);
    }

    @Override
    public VerifyBackupsUseCase verifyBackups(Configuration configuration) {
        asked.add("verifyBackups");
        return new VerifyBackupsService(repository, snapshotter(configuration));
    }

    @Override
    public RestoreBackupUseCase restoreBackup(Configuration configuration) {
        asked.add("restoreBackup");
        return new RestoreBackupService(repository, snapshotter(configuration), new InMemoryRestoreDestination(files));
    }

    @Override
    public DrillUseCase drill(Configuration configuration) {
        asked.add("drill");
        return new DrillService(configuration.databaseName().orElse("app.db"), repository,
                new RestoreBackupService(repository, snapshotter(configuration), new InMemoryRestoreDestination(files)),
                snapshotter(configuration), log, notifier, clock);
    }

    @Override
    public RecordRefusedRunUseCase recordRefusedRun(Configuration configuration) {
        asked.add("recordRefusedRun");
        return new RecordRefusedRunService(repository, log, clock);
    }

    @Override
    public ShowHistoryUseCase showHistory(Configuration configuration) {
        asked.add("showHistory");
        return new ShowHistoryService(log, clock);
    }

    @Override
    public CheckStatusUseCase checkStatus(Configuration configuration) {
        asked.add("checkStatus");
        return new CheckStatusService(log, repository, clock);
    }

    @Override
    public HoldDaemonLockUseCase holdDaemonLock(Configuration configuration) {
        asked.add("holdDaemonLock");
        return new HoldDaemonLockService(repository);
    }

    @Override
    public boolean sendTestNotification(Configuration configuration) {
        asked.add("sendTestNotification");
        return true;
    }

    @Override
    public void notifySummaries(List<DatabaseOutcome> outcomes, List<String> gone, java.time.Instant finishedAt,
            java.time.Duration duration) {
        asked.add("notifySummaries");
        notifier.notify(new dev.sqlitebackup.domain.model.RunSummary(finishedAt,
                (int) outcomes.stream().filter(DatabaseOutcome::succeeded).count(),
                outcomes.stream().filter(DatabaseOutcome::succeeded).mapToLong(DatabaseOutcome::sizeBytes).sum(),
                duration, outcomes.stream().filter(o -> !o.succeeded()).map(DatabaseOutcome::name).toList(), gone));
    }

    @Override
    public void heartbeatsStarted(List<Configuration> configurations) {
        asked.add("heartbeatsStarted");
    }

    @Override
    public Path authoriseDrive(Path clientSecrets, Optional<Path> out, Map<String, String> env, PrintStream prompt) {
        asked.add("authoriseDrive");
        Path target = out.orElse(Path.of("/in-memory/drive-credentials.json"));
        files.write(target, "{\"type\": \"authorized_user\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return target;
    }

    @Override
    public CreateIdentityUseCase createIdentity() {
        asked.add("createIdentity");
        return new CreateIdentityService(new InMemoryEncryptionKeys(files));
    }

    @Override
    public void createSampleDatabase(Path path) {
        asked.add("createSampleDatabase");
        files.write(path, new byte[] {'S', 'Q', 'L'});
    }
}
