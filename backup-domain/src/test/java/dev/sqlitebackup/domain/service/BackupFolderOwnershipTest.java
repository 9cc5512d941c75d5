package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.ForeignBackupFolderException;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.PruneBackupsUseCase;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase;
import dev.sqlitebackup.domain.port.in.RunBackupUseCase;
import dev.sqlitebackup.domain.port.in.VerifyBackupsUseCase;
import dev.sqlitebackup.domain.testing.InMemoryActivityLog;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryDatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryFiles;
import dev.sqlitebackup.domain.testing.InMemoryNotifier;
import dev.sqlitebackup.domain.testing.InMemoryRestoreDestination;
import dev.sqlitebackup.domain.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One backup folder, two databases: every use case works for the folder's own database and refuses the other's. */
class BackupFolderOwnershipTest {

    private static final Path APP_DB = Path.of("/srv/app/app.db");
    private static final Path USERS_DB = Path.of("/srv/app/users.db");
    private static final DatabaseIdentity APP = new DatabaseIdentity(APP_DB);
    private static final DatabaseIdentity USERS = new DatabaseIdentity(USERS_DB);
    private static final Path SHARED = Path.of("/srv/app/backups");

    private final InMemoryFiles files = new InMemoryFiles();
    private final InMemoryBackupRepository folder = new InMemoryBackupRepository(files, SHARED);
    private final InMemoryBackupRepository forApp = folder.forDatabase(Optional.of(APP));
    private final InMemoryBackupRepository forUsers = folder.forDatabase(Optional.of(USERS));
    private final InMemoryDatabaseSnapshotter appDb = new InMemoryDatabaseSnapshotter(files, APP_DB);
    private final InMemoryDatabaseSnapshotter usersDb = new InMemoryDatabaseSnapshotter(files, USERS_DB);
    private final InMemoryActivityLog log = new InMemoryActivityLog();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-18T03:00:00Z"));
    private final InMemoryNotifier notifier = new InMemoryNotifier();
    private Backup appBackup;
    private Set<Path> filesBefore;

    private static RunBackupUseCase.Command run(Path db) {
        return RunBackupUseCase.Command.localBackup(db, false, VerifyLevel.QUICK, new RetentionPolicy(0, 0, 0, 1),
                ZoneOffset.UTC, SnapshotProgress.NONE);
    }

    @BeforeEach
    void theAppDatabaseBacksUpFirst() {
        RunResult first = new RunBackupService(appDb, forApp, notifier, clock).recordingTo(log.forDatabase(APP))
                .run(run(APP_DB));
        appBackup = first.backup();
        filesBefore = Set.copyOf(files.under(SHARED));
        clock.advance(Duration.ofHours(1));
    }

    @Test
    void theFirstRunRecordsItsDatabase_andARunOfAnotherIsRefused_beforeItCreatesChangesOrRecordsAnything() {
        InMemoryActivityLog usersLog = log.forDatabase(USERS);
        RunBackupService users = new RunBackupService(usersDb, forUsers, notifier, clock).recordingTo(usersLog);

        assertThatThrownBy(() -> users.run(run(USERS_DB))).isInstanceOf(ForeignBackupFolderException.class)
                .hasMessageStartingWith("backup dir " + SHARED + " belongs to database " + APP_DB + ", not "
                        + USERS_DB + " (")
                .hasMessageContaining("if the database moved, delete " + SHARED.resolve(".sqlite-backup/database"));

        assertThat(files.under(SHARED)).as("a retention of one deleted nothing").isEqualTo(filesBefore);
        assertThat(usersDb.snapshotsTaken()).isZero();
        assertThat(usersLog.all()).as("nothing recorded for users.db").isEmpty();
        assertThat(folder.recorded()).contains(APP);
        assertThat(forApp.isLocked()).isFalse();
    }

    @Test
    void restoreVerifyPruneListAndStatus_forAnotherDatabase_refuse_andTouchNothing() {
        InMemoryRestoreDestination destination = new InMemoryRestoreDestination(files);
        Path target = Path.of("/srv/app/users.db");

        assertThatThrownBy(() -> new RestoreBackupService(forUsers, usersDb, destination)
                .restore(new RestoreBackupUseCase.Command("latest", target,
                        RestoreBackupUseCase.Overwrite.UNLESS_OPEN)))
                .isInstanceOf(ForeignBackupFolderException.class);
        assertThat(destination.exists(target)).as("app.db's backup never lands on users.db").isFalse();
        assertThatThrownBy(() -> new VerifyBackupsService(forUsers, usersDb)
                .verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.QUICK)))
                .isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(() -> new PruneBackupsService(forUsers, clock)
                .prune(new PruneBackupsUseCase.Command(new RetentionPolicy(0, 0, 0, 1), ZoneOffset.UTC, false)))
                .isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(() -> new ListBackupsService(forUsers).list())
                .isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(() -> new CheckStatusService(log.forDatabase(USERS), forUsers, clock).status())
                .isInstanceOf(ForeignBackupFolderException.class);

        assertThat(files.under(SHARED)).isEqualTo(filesBefore);
        assertThat(new ListBackupsService(forApp).list()).containsExactly(appBackup);
        assertThat(new ListBackupsService(folder).list()).as("the folder alone").containsExactly(appBackup);
    }

    @Test
    void statusAndHistory_ofASharedLog_countOnlyTheirDatabasesRuns() {
        InMemoryBackupRepository usersFolder = new InMemoryBackupRepository(files, Path.of("/srv/app/users-backups"))
                .forDatabase(Optional.of(USERS));
        usersDb.failNextSnapshot(new BackupFailedException("disk full"));
        assertThatThrownBy(() -> new RunBackupService(usersDb, usersFolder, notifier, clock)
                .recordingTo(log.forDatabase(USERS)).run(run(USERS_DB)));
        // a first run that fails leaves no trace; once the folder exists, failures are recorded
        new RunBackupService(usersDb, usersFolder, notifier, clock).recordingTo(log.forDatabase(USERS))
                .run(run(USERS_DB));
        usersDb.failNextSnapshot(new BackupFailedException("disk full"));
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> new RunBackupService(usersDb, usersFolder, notifier, clock)
                .recordingTo(log.forDatabase(USERS)).run(run(USERS_DB)));

        assertThat(new ShowHistoryService(log.forDatabase(APP), clock).history(10)).singleElement()
                .satisfies(r -> assertThat(r.backup()).contains(appBackup.name()));
        assertThat(new CheckStatusService(log.forDatabase(APP), forApp, clock).status().lastRun())
                .hasValueSatisfying(r -> assertThat(r.succeeded()).as("users.db's failure is not app.db's").isTrue());
        assertThat(new CheckStatusService(log.forDatabase(USERS), usersFolder, clock).status().lastRun())
                .hasValueSatisfying(r -> assertThat(r.succeeded()).isFalse());
        List<BackupName> usersBackups = usersFolder.list().stream().map(Backup::name).toList();
        assertThat(usersBackups).doesNotContain(appBackup.name());
    }
}
