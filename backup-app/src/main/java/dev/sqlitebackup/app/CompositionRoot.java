package dev.sqlitebackup.app;

import dev.sqlitebackup.adapters.filesystem.FilesystemBackupRepository;
import dev.sqlitebackup.adapters.filesystem.FilesystemRestoreDestination;
import dev.sqlitebackup.adapters.sqlite.SqliteActivityLog;
import dev.sqlitebackup.adapters.sqlite.SqliteSnapshotter;
import dev.sqlitebackup.app.cli.UseCases;
import dev.sqlitebackup.adapters.drive.DriveConsent;
import dev.sqlitebackup.adapters.drive.DriveRemoteBackupStore;
import dev.sqlitebackup.adapters.drive.DriveSettings;
import dev.sqlitebackup.adapters.ntfy.NtfyNotifier;
import dev.sqlitebackup.adapters.ntfy.NtfySettings;
import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.ConfigurationException;
import dev.sqlitebackup.domain.port.in.CheckStatusUseCase;
import dev.sqlitebackup.domain.port.in.ListBackupsUseCase;
import dev.sqlitebackup.domain.port.in.PruneBackupsUseCase;
import dev.sqlitebackup.domain.port.in.RecordRefusedRunUseCase;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.port.in.ShowHistoryUseCase;
import dev.sqlitebackup.domain.port.in.VerifyBackupsUseCase;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.Notifier;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import dev.sqlitebackup.domain.service.CheckStatusService;
import dev.sqlitebackup.domain.service.ListBackupsService;
import dev.sqlitebackup.domain.service.PruneBackupsService;
import dev.sqlitebackup.domain.service.RecordRefusedRunService;
import dev.sqlitebackup.domain.service.RestoreBackupService;
import dev.sqlitebackup.domain.service.RunBackupService;
import dev.sqlitebackup.domain.service.ShowHistoryService;
import dev.sqlitebackup.domain.service.VerifyBackupsService;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** The one place that knows every module: builds the use cases over the real adapters for a configuration. */
public final class CompositionRoot implements UseCases {

    private final Clock clock;

    public CompositionRoot(Clock clock) {
        this.clock = clock;
    }

    @Override
    public RunBackupUseCase runBackup(Configuration configuration) {
        return new RunBackupService(snapshotter(), repository(configuration), offsite(configuration),
                notifier(configuration), clock).recordingTo(activityLog(configuration));
    }

    @Override
    public RecordRefusedRunUseCase recordRefusedRun(Configuration configuration) {
        return new RecordRefusedRunService(repository(configuration), activityLog(configuration), clock);
    }

    @Override
    public ShowHistoryUseCase showHistory(Configuration configuration) {
        return new ShowHistoryService(activityLog(configuration));
    }

    @Override
    public CheckStatusUseCase checkStatus(Configuration configuration) {
        return new CheckStatusService(activityLog(configuration), repository(configuration));
    }

    @Override
    public BackupRepository.Lock lockDaemon(Configuration configuration) {
        BackupRepository repository = repository(configuration);
        repository.prepare();
        return repository.lockDaemon("sqlite-backup daemon for " + repository.describe());
    }

    /** The state database: {@code BACKUP_STATE_DB}, default {@code .sqlite-backup/state.db} in the backup dir. */
    private static SqliteActivityLog activityLog(Configuration configuration) {
        return new SqliteActivityLog(configuration.stateDb());
    }

    @Override
    public ListBackupsUseCase listBackups(Configuration configuration) {
        return new ListBackupsService(repository(configuration), offsite(configuration));
    }

    @Override
    public PruneBackupsUseCase pruneBackups(Configuration configuration) {
        return new PruneBackupsService(repository(configuration));
    }

    @Override
    public VerifyBackupsUseCase verifyBackups(Configuration configuration) {
        return new VerifyBackupsService(repository(configuration), snapshotter(), offsite(configuration));
    }

    @Override
    public RestoreBackupUseCase restoreBackup(Configuration configuration) {
        return new RestoreBackupService(repository(configuration), snapshotter(),
                new FilesystemRestoreDestination(), offsite(configuration));
    }

    @Override
    public void createSampleDatabase(Path path) {
        SampleDatabase.create(path);
    }

    @Override
    public boolean sendTestNotification(Configuration configuration) {
        return ntfy(configuration).map(NtfyNotifier::new).orElseThrow(() -> new ConfigurationException(
                "ntfy is not configured: set NTFY_TOPIC (and NTFY_URL, NTFY_TOKEN or NTFY_USER/NTFY_PASSWORD)"))
                .sendTest();
    }

    @Override
    public Path authoriseDrive(Path clientSecrets, Optional<Path> out, Map<String, String> env, PrintStream prompt) {
        Path target = out.orElseGet(() -> DriveConsent.defaultCredentialsFile(env));
        return new DriveConsent().authorise(clientSecrets, target, prompt);
    }

    /** Google Drive when GOOGLE_DRIVE_CREDENTIALS is set and DRIVE_ENABLED is not false. */
    private static Optional<RemoteBackupStore> offsite(Configuration configuration) {
        return DriveSettings.fromConfig(configuration.asMap()).map(DriveRemoteBackupStore::new);
    }

    /** ntfy when NTFY_TOPIC is set, otherwise notifications are off. */
    private Notifier notifier(Configuration configuration) {
        return ntfy(configuration).<Notifier>map(NtfyNotifier::new).orElse(Notifier.OFF);
    }

    private Optional<NtfySettings> ntfy(Configuration configuration) {
        try {
            return NtfySettings.fromConfig(configuration.asMap(), clock.withZone(configuration.zone()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    private static SqliteSnapshotter snapshotter() {
        return new SqliteSnapshotter();
    }

    private static BackupRepository repository(Configuration configuration) {
        return new FilesystemBackupRepository(configuration.backupDir());
    }
}
