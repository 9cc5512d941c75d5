package dev.sqlitebackup.app;

import dev.sqlitebackup.adapters.codec.AgeEncryptionKeys;
import dev.sqlitebackup.adapters.filesystem.FilesystemBackupRepository;
import dev.sqlitebackup.adapters.filesystem.FilesystemRestoreDestination;
import dev.sqlitebackup.adapters.sqlite.SqliteActivityLog;
import dev.sqlitebackup.adapters.sqlite.SqliteSnapshotter;
import dev.sqlitebackup.app.cli.UseCases;
import dev.sqlitebackup.adapters.codec.ZstdAgeBackupCodec;
import dev.sqlitebackup.adapters.drive.DriveConsent;
import dev.sqlitebackup.adapters.drive.DriveRemoteBackupStore;
import dev.sqlitebackup.adapters.heartbeat.HeartbeatSettings;
import dev.sqlitebackup.adapters.heartbeat.HttpHeartbeat;
import dev.sqlitebackup.adapters.ntfy.NtfyNotifier;
import dev.sqlitebackup.adapters.ntfy.NtfySettings;
import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.Installation;
import dev.sqlitebackup.app.config.ConfigurationException;
import dev.sqlitebackup.app.config.Settings;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.RunSummary;
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
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.Heartbeat;
import dev.sqlitebackup.domain.port.out.Notifier;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
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
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that knows every module: builds the use cases over the real adapters for a configuration. */
public final class CompositionRoot implements UseCases {

    private static final Logger LOG = LoggerFactory.getLogger(CompositionRoot.class);

    private final Clock clock;

    public CompositionRoot(Clock clock) {
        this.clock = clock;
    }

    @Override
    public RunBackupUseCase runBackup(Configuration configuration) {
        SqliteSnapshotter snapshotter = new SqliteSnapshotter(configuration.pageCopy());
        BackupRepository repository = repository(configuration);
        Optional<DatabaseIdentity> database = repository.database();
        warnAboutFormerDefaultFolder(configuration, database);
        RunBackupUseCase service = new RunBackupService(snapshotter, repository, offsite(configuration, database),
                notifier(configuration), clock).recordingTo(activityLog(configuration, database))
                .withHeartbeat(heartbeat(configuration)).withDriftGuard(configuration.driftPolicy());
        return configuration.unencryptedOffsiteWarning().<RunBackupUseCase>map(w -> new WarnOnEveryRun(service, w))
                .orElse(service);
    }

    /** Runs that say the same warning each time one starts (the daemon's scheduled runs included). */
    private record WarnOnEveryRun(RunBackupUseCase runs, String warning) implements RunBackupUseCase {
        @Override
        public RunResult run(Command command) {
            LOG.warn(warning);
            return runs.run(command);
        }

        @Override
        public RunResult copyOffsite(OffsiteCommand command) {
            LOG.warn(warning);
            return runs.copyOffsite(command);
        }
    }

    @Override
    public RecordRefusedRunUseCase recordRefusedRun(Configuration configuration) {
        // The refused setting may be the database itself: the run is then the named folder's, whatever it records.
        Optional<DatabaseIdentity> database;
        try {
            database = configuration.databaseIdentity();
        } catch (ConfigurationException unusable) {
            database = Optional.empty();
        }
        // a folder of another database refuses here, so the run is never written into its history
        BackupRepository repository = new FilesystemBackupRepository(configuration.backupDir(), database);
        return new RecordRefusedRunService(repository, activityLog(configuration, repository.database()), clock);
    }

    @Override
    public ShowHistoryUseCase showHistory(Configuration configuration) {
        return new ShowHistoryService(activityLog(configuration, repository(configuration).database()), clock);
    }

    @Override
    public CheckStatusUseCase checkStatus(Configuration configuration) {
        BackupRepository repository = repository(configuration);
        return new CheckStatusService(activityLog(configuration, repository.database()), repository, clock);
    }

    @Override
    public HoldDaemonLockUseCase holdDaemonLock(Configuration configuration) {
        return new HoldDaemonLockService(repository(configuration));
    }

    /**
     * An upgraded installation whose backups are still in the former default folder ({@code backups} beside the
     * database, not this database's folder): they would never be listed, pruned or restored, so say so.
     */
    private static void warnAboutFormerDefaultFolder(Configuration configuration,
            Optional<DatabaseIdentity> database) {
        Optional<Path> former = configuration.formerDefaultBackupDir();
        if (former.isEmpty() || former.get().equals(configuration.backupDir())) {
            return;
        }
        try {
            FilesystemBackupRepository old = new FilesystemBackupRepository(former.get());
            Optional<DatabaseIdentity> recorded = old.database();
            if (old.exists() && (recorded.isEmpty() || recorded.equals(database)) && !old.list().isEmpty()) {
                LOG.warn("{} holds backups made before each database had its own folder; this database's backups "
                        + "now go to {}: set BACKUP_DIR={} to keep using the old folder, or move its backups into "
                        + "the new one", former.get(), configuration.backupDir(), former.get());
            }
        } catch (RuntimeException unreadable) {
            LOG.debug("could not look into {}: {}", former.get(), unreadable.getMessage());
        }
    }

    /**
     * The state database ({@code BACKUP_STATE_DB}, default {@code .sqlite-backup/state.db} in the backup dir), with
     * the runs of {@code database} only: a state database may be shared by two installations, or by the databases
     * of a config file of many, whose rows also carry the database's name.
     */
    private static SqliteActivityLog activityLog(Configuration configuration, Optional<DatabaseIdentity> database) {
        return new SqliteActivityLog(configuration.stateDb(), database, configuration.databaseName());
    }

    @Override
    public ListBackupsUseCase listBackups(Configuration configuration) {
        BackupRepository repository = repository(configuration);
        return new ListBackupsService(repository, offsite(configuration, repository.database()));
    }

    @Override
    public PinBackupsUseCase pinBackups(Configuration configuration) {
        BackupRepository repository = repository(configuration);
        repository.database(); // a folder of another database is refused before anything is read
        return new PinBackupsService(repository);
    }

    @Override
    public PruneBackupsUseCase pruneBackups(Configuration configuration) {
        BackupRepository repository = repository(configuration);
        repository.database(); // a folder of another database is refused before anything is read
        return new PruneBackupsService(repository, clock);
    }

    @Override
    public VerifyBackupsUseCase verifyBackups(Configuration configuration) {
        BackupRepository repository = repository(configuration);
        return new VerifyBackupsService(repository, snapshotter(), offsite(configuration, repository.database()))
                .withClock(clock);
    }

    @Override
    public RestoreBackupUseCase restoreBackup(Configuration configuration) {
        BackupRepository repository = repository(configuration);
        return new RestoreBackupService(repository, snapshotter(), new FilesystemRestoreDestination(),
                offsite(configuration, repository.database())).withClock(clock);
    }

    @Override
    public DrillUseCase drill(Configuration configuration) {
        BackupRepository repository = repository(configuration);
        String name = configuration.databaseName().orElseGet(() -> Installation.singleName(configuration));
        return new DrillService(name, repository, restoreBackup(configuration), snapshotter(),
                activityLog(configuration, repository.database()), notifier(configuration), clock);
    }

    @Override
    public CreateIdentityUseCase createIdentity() {
        return new CreateIdentityService(new AgeEncryptionKeys(clock));
    }

    @Override
    public void createSampleDatabase(Path path) {
        SampleDatabase.create(path);
    }

    @Override
    public boolean sendTestNotification(Configuration configuration) {
        return ntfy(configuration).map(NtfyNotifier::new).orElseThrow(() -> new ConfigurationException(
                "ntfy is not configured: set " + Settings.NTFY_TOPIC + " (and " + Settings.NTFY_URL + ", "
                        + Settings.NTFY_TOKEN + " or " + Settings.NTFY_USER + "/" + Settings.NTFY_PASSWORD + ")"))
                .sendTest();
    }

    @Override
    public Path authoriseDrive(Path clientSecrets, Optional<Path> out, Map<String, String> env, PrintStream prompt) {
        Path target = out.orElseGet(() -> DriveConsent.defaultCredentialsFile(env));
        return new DriveConsent().authorise(clientSecrets, target, prompt);
    }

    /**
     * Google Drive when GOOGLE_DRIVE_CREDENTIALS is set and DRIVE_ENABLED is not false, with the copies of
     * {@code database} only: two databases may share one Drive folder. A database of a config file of many keeps
     * its copies in a subfolder of its name (so remote retention is its own); the one database of the environment
     * in the folder itself, as always.
     */
    private static Optional<RemoteBackupStore> offsite(Configuration configuration,
            Optional<DatabaseIdentity> database) {
        return configuration.drive().map(s -> configuration.databaseName().map(s::inSubfolder).orElse(s))
                .map(s -> new DriveRemoteBackupStore(s, database,
                new ZstdAgeBackupCodec(configuration.offsiteCodec())));
    }

    @Override
    public void notifySummaries(List<DatabaseOutcome> outcomes, List<String> gone, Instant finishedAt,
            Duration duration) {
        // databases with equal ntfy settings share one destination, and get one summary between them
        Map<NtfySettings, List<DatabaseOutcome>> byDestination = new LinkedHashMap<>();
        for (DatabaseOutcome outcome : outcomes) {
            Optional<NtfySettings> ntfy;
            try {
                ntfy = ntfy(outcome.configuration());
            } catch (RuntimeException refused) {
                continue; // its settings were refused: its failure said so, and there is nowhere to send to
            }
            ntfy.ifPresent(s -> byDestination.computeIfAbsent(s, k -> new ArrayList<>()).add(outcome));
        }
        byDestination.forEach((settings, theirs) -> new NtfyNotifier(settings).notify(new RunSummary(finishedAt,
                (int) theirs.stream().filter(DatabaseOutcome::succeeded).count(),
                theirs.stream().filter(DatabaseOutcome::succeeded).mapToLong(DatabaseOutcome::sizeBytes).sum(),
                duration, theirs.stream().filter(o -> !o.succeeded()).map(DatabaseOutcome::name).toList(), gone)));
        // one ping per heartbeat URL: a success when every database that shares it succeeded
        Map<HeartbeatSettings, List<DatabaseOutcome>> byCheck = new LinkedHashMap<>();
        for (DatabaseOutcome outcome : outcomes) {
            heartbeatSettings(outcome.configuration())
                    .ifPresent(s -> byCheck.computeIfAbsent(s, k -> new ArrayList<>()).add(outcome));
        }
        byCheck.forEach((settings, theirs) -> {
            List<String> failed = theirs.stream().filter(o -> !o.succeeded()).map(DatabaseOutcome::name).toList();
            long size = theirs.stream().filter(DatabaseOutcome::succeeded).mapToLong(DatabaseOutcome::sizeBytes).sum();
            new HttpHeartbeat(settings, userAgent()).ended(failed.isEmpty(), (theirs.size() - failed.size())
                    + " backed up, " + failed.size() + " failed" + (failed.isEmpty() ? "" : " (" + String.join(", ",
                    failed) + ")") + ", " + size + " bytes, in " + duration.toSeconds() + " s");
        });
    }

    @Override
    public void heartbeatsStarted(List<Configuration> configurations) {
        configurations.stream().map(CompositionRoot::heartbeatSettings).flatMap(Optional::stream).distinct()
                .forEach(settings -> new HttpHeartbeat(settings, userAgent()).started());
    }

    /** The heartbeat of these settings, when HEARTBEAT_URL is set; off otherwise. */
    private static Heartbeat heartbeat(Configuration configuration) {
        return configuration.heartbeat().<Heartbeat>map(s -> new HttpHeartbeat(s, userAgent())).orElse(Heartbeat.OFF);
    }

    /** A database's heartbeat settings; its refused settings were said by its run, so none then. */
    private static Optional<HeartbeatSettings> heartbeatSettings(Configuration configuration) {
        try {
            return configuration.heartbeat();
        } catch (RuntimeException refused) {
            return Optional.empty();
        }
    }

    private static String userAgent() {
        String version = CompositionRoot.class.getPackage().getImplementationVersion();
        return "sqlite-backup/" + (version == null ? "dev" : version);
    }

    /** ntfy when NTFY_TOPIC is set, otherwise notifications are off. */
    private Notifier notifier(Configuration configuration) {
        return ntfy(configuration).<Notifier>map(NtfyNotifier::new).orElse(Notifier.OFF);
    }

    private Optional<NtfySettings> ntfy(Configuration configuration) {
        return configuration.ntfy(clock);
    }

    /** For checks and restores, which copy no live database: BACKUP_COPY does not concern them. */
    private static SqliteSnapshotter snapshotter() {
        return new SqliteSnapshotter();
    }

    /**
     * The backup folder of the configured database, which refuses to work for it when it records another; with
     * only BACKUP_DIR, the folder for whatever database it records.
     */
    private static BackupRepository repository(Configuration configuration) {
        return new FilesystemBackupRepository(configuration.backupDir(), configuration.databaseIdentity(),
                new ZstdAgeBackupCodec(configuration.localCodec()));
    }
}
