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

/**
 * Where commands get their use cases, built for the configuration of the invocation. The composition root
 * provides the real ones; tests can provide use cases over in-memory fakes.
 */
public interface UseCases {
    RunBackupUseCase runBackup(Configuration configuration);

    ListBackupsUseCase listBackups(Configuration configuration);

    PruneBackupsUseCase pruneBackups(Configuration configuration);

    /** The backup folder's pins: what {@code list} shows, what {@code unpin} releases. */
    PinBackupsUseCase pinBackups(Configuration configuration);

    VerifyBackupsUseCase verifyBackups(Configuration configuration);

    RestoreBackupUseCase restoreBackup(Configuration configuration);

    /** Records a run refused for its settings in the history of the backup folder, when that folder exists. */
    RecordRefusedRunUseCase recordRefusedRun(Configuration configuration);

    /** The activity log ({@code BACKUP_STATE_DB}). */
    ShowHistoryUseCase showHistory(Configuration configuration);

    /** The activity log and the backup folder together. */
    CheckStatusUseCase checkStatus(Configuration configuration);

    /** The backup folder's daemon lock: one daemon per folder. */
    HoldDaemonLockUseCase holdDaemonLock(Configuration configuration);

    /**
     * Tells how a run over many databases went: one {@link dev.sqlitebackup.domain.model.RunSummary} for each distinct
     * notification destination, of the databases notified there (nothing where notifications are off, and with
     * {@code NTFY_NOTIFY=failure} only where one of them failed). Each failure was told on its own already.
     *
     * @param gone names of databases the config had and whose source is gone
     */
    void notifySummaries(java.util.List<DatabaseOutcome> outcomes, java.util.List<String> gone,
            java.time.Instant finishedAt, java.time.Duration duration);

    /**
     * A run over many databases begins: each distinct heartbeat of theirs ({@code HEARTBEAT_URL}) gets one start
     * ping; its end ping comes with {@link #notifySummaries}.
     */
    void heartbeatsStarted(java.util.List<Configuration> configurations);

    /**
     * How one database's backup in a run over many ended: backed up ({@code sizeBytes} of backup) or failed.
     */
    record DatabaseOutcome(String name, Configuration configuration, boolean succeeded, long sizeBytes) {
        public DatabaseOutcome {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(configuration, "configuration");
        }
    }

    /** Sends one test notification; whether it was delivered. Fails when notifications are not configured. */
    boolean sendTestNotification(Configuration configuration);

    /**
     * Runs Google's one-time consent for Drive access and writes the credentials file; returns where it went.
     *
     * @param out where to write it; default {@code ~/.config/sqlite-backup/drive-credentials.json}
     */
    java.nio.file.Path authoriseDrive(java.nio.file.Path clientSecrets, java.util.Optional<java.nio.file.Path> out,
            java.util.Map<String, String> env, java.io.PrintStream prompt);

    /** Restore drills of the latest backup (local or off-site), recorded in the activity log. */
    DrillUseCase drill(Configuration configuration);

    /** New age key pairs for encrypted off-site copies; needs no configuration. */
    CreateIdentityUseCase createIdentity();

    /** Writes a small sample database for trying the tool; refuses to overwrite anything. */
    void createSampleDatabase(java.nio.file.Path path);
}
