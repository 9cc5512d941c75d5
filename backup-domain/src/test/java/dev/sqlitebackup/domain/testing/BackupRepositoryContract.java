package dev.sqlitebackup.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.ForeignBackupFolderException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.Pin;
import dev.sqlitebackup.domain.model.Sidecar;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupFolderLock;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BackupRepository} must do. Extended by the in-memory fake's test and by the real folder
 * adapter's test, so the fake cannot drift from the real thing.
 */
public abstract class BackupRepositoryContract {

    protected static final Instant T0 = Instant.parse("2026-08-18T03:00:00Z");
    protected static final DatabaseIdentity APP = new DatabaseIdentity(Path.of("/srv/app/app.db"));
    protected static final DatabaseIdentity USERS = new DatabaseIdentity(Path.of("/srv/app/users.db"));

    protected BackupRepository repository;

    /** A repository over a folder that does not exist yet. */
    protected abstract BackupRepository newRepository();

    /**
     * Another repository over the folder of {@link #newRepository()}, as another process would open it: for
     * {@code database}, or for whatever the folder holds when empty.
     */
    protected abstract BackupRepository sameFolder(Optional<DatabaseIdentity> database);

    /** Deletes the folder's record of its database, as a person would by hand. */
    protected abstract void deleteRecordOfDatabase();

    /** Writes {@code content} into a staged file, as a snapshot would. */
    protected abstract void fill(StagedBackup staged, byte[] content);

    /** Puts a backup in the folder as a person would copy one in: no sidecar. */
    protected abstract void copyInByHand(BackupName name, byte[] content);

    /** Replaces a backup's sidecar file with {@code content}. */
    protected abstract void writeSidecar(BackupName name, String content);

    /** Flips one byte of a stored backup, leaving the sidecar as it was. */
    protected abstract void tamper(BackupName name);

    /** Leaves a scratch file behind, as a run killed half-way would. */
    protected abstract void leaveLeftover();

    /** The bytes of a stored backup, in whatever form it is stored. */
    protected abstract byte[] read(BackupName name);

    /**
     * Another repository over the folder of {@link #newRepository()}, for whatever database it holds, that stores
     * new backups compressed (zstd).
     */
    protected abstract BackupRepository compressing();

    @BeforeEach
    void createRepository() {
        repository = newRepository();
    }

    protected Backup publish(String content, Instant takenAt) {
        return publish(repository, content, takenAt);
    }

    protected Backup publish(BackupRepository into, String content, Instant takenAt) {
        StagedBackup staged = into.stage();
        fill(staged, content.getBytes(StandardCharsets.UTF_8));
        return into.publish(staged, takenAt);
    }

    @Test
    void pins_areKeptDurably_seenByAnotherProcess_theLaterUntilWins_andUnpinRemovesThem() {
        repository.prepare();
        Backup older = publish("older", T0.minusSeconds(3600));
        Backup newer = publish("newer", T0);
        assertThat(repository.pins()).isEmpty();

        repository.pin(new Pin(older.name(), T0.plusSeconds(86_400), "table messages: 120,433 -> 12 rows"));
        repository.pin(new Pin(older.name(), T0.plusSeconds(3600), "exec: a migration"));
        repository.pin(new Pin(newer.name(), T0.plusSeconds(7200), "exec: ./migrate.sh"));

        BackupRepository other = sameFolder(Optional.empty());
        assertThat(other.pins()).containsExactly(
                new Pin(older.name(), T0.plusSeconds(86_400), "table messages: 120,433 -> 12 rows"),
                new Pin(newer.name(), T0.plusSeconds(7200), "exec: ./migrate.sh"));
        assertThat(other.list()).as("a pin is no backup").containsExactly(newer, older);

        assertThat(other.unpin(older.name())).hasValueSatisfying(p -> assertThat(p.backup()).isEqualTo(older.name()));
        assertThat(other.unpin(older.name())).as("unpinned already").isEmpty();
        assertThat(repository.pins()).extracting(Pin::backup).containsExactly(newer.name());
        assertThat(repository.sweepLeftovers()).as("pinning leaves no scratch file").isZero();
    }

    @Test
    void pinningABackupTheFolderDoesNotHold_isRefused() {
        repository.prepare();
        publish("one", T0);

        assertThatThrownBy(() -> repository.pin(new Pin(BackupName.at(T0.minusSeconds(60)), T0, "why")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no backup");
        assertThat(repository.pins()).isEmpty();
    }

    @Test
    void aFolderThatDoesNotExist_hasNoPins() {
        assertThat(newRepository().pins()).isEmpty();
    }

    @Test
    void compressed_publishStoresAZstdFile_whoseSidecarChecksTheStoredBytes_andKeepsTheDatabaseSha() {
        BackupRepository zstd = compressing();
        zstd.prepare();
        byte[] plain = "mostly text, ".repeat(2000).getBytes(StandardCharsets.UTF_8);
        StagedBackup staged = zstd.stage();
        fill(staged, plain);
        StagedBackup summed = zstd.checksum(staged);

        Backup backup = zstd.publish(summed, T0);

        assertThat(backup.form()).isEqualTo(StoredForm.ZSTD);
        assertThat(backup.storedName()).isEqualTo(BackupName.at(T0) + ".zst");
        assertThat(zstd.locate(backup.name()).getFileName()).hasToString(backup.storedName());
        assertThat(backup.recordedSha256()).isEqualTo(summed.sha256());
        assertThat(backup.sidecar().sha256()).isNotEqualTo(summed.sha256());
        assertThat(backup.sizeBytes()).isEqualTo(read(backup.name()).length).isLessThan(plain.length);
        assertThat(zstd.list()).containsExactly(backup);
        assertThat(repository.find(backup.name())).as("read whatever form new backups take").contains(backup);
        assertThat(zstd.checkChecksum(backup.name()).status()).isEqualTo(ChecksumCheck.Status.MATCH);

        StagedBackup expanded = repository.expand(backup);
        assertThat(expanded.sha256()).isEqualTo(summed.sha256());
        assertThat(expanded.sizeBytes()).hasValue(plain.length);
        repository.discard(expanded);
        assertThat(zstd.sweepLeftovers()).as("neither publish nor expand leaves a scratch file").isZero();
    }

    @Test
    void aMixedFolder_listsOneBackupPerTimestampInItsForm_takenNamesHoldAcrossForms_andDeleteRemovesEither() {
        repository.prepare();
        Backup plain = publish("plain", T0.minusSeconds(120));
        Backup compressed = publish(compressing(), "compressed", T0);
        Backup next = publish("next", T0);

        assertThat(next.name()).as("a second taken in any form is taken").isEqualTo(BackupName.at(T0.plusSeconds(1)));
        assertThat(repository.list()).containsExactly(next, compressed, plain);
        assertThat(compressing().list()).containsExactly(next, compressed, plain);
        assertThat(repository.list()).extracting(Backup::form)
                .containsExactly(StoredForm.PLAIN, StoredForm.ZSTD, StoredForm.PLAIN);

        repository.delete(compressed.name());
        compressing().delete(plain.name());

        assertThat(repository.list()).containsExactly(next);
        assertThat(repository.sweepLeftovers()).as("no sidecar left behind").isZero();
        Backup again = publish(compressing(), "again", T0);
        assertThat(again.name()).as("the freed name, in any form").isEqualTo(compressed.name());
    }

    @Test
    void aTimestampInBothForms_isOneBackup_readFromThePlainFile_andDeletedInBoth() {
        BackupRepository zstd = compressing();
        zstd.prepare();
        Backup compressed = publish(zstd, "compressed", T0);
        copyInByHand(compressed.name(), "decompressed by hand".getBytes(StandardCharsets.UTF_8));

        assertThat(zstd.list()).singleElement().satisfies(b -> {
            assertThat(b.name()).isEqualTo(compressed.name());
            assertThat(b.form()).isEqualTo(StoredForm.PLAIN);
        });
        assertThat(zstd.locate(compressed.name()).getFileName()).hasToString(compressed.name().value());

        zstd.delete(compressed.name());

        assertThat(zstd.list()).isEmpty();
        assertThat(zstd.sweepLeftovers()).as("no sidecar of either form left").isZero();
    }

    @Test
    void aTamperedCompressedBackup_failsItsChecksum_andDoesNotExpand() {
        BackupRepository zstd = compressing();
        zstd.prepare();
        Backup backup = publish(zstd, "precious ".repeat(100), T0);
        tamper(backup.name());

        ChecksumCheck check = zstd.checkChecksum(backup.name());

        assertThat(check.status()).isEqualTo(ChecksumCheck.Status.MISMATCH);
        assertThat(check.recorded()).isEqualTo(backup.sidecar().sha256());
        assertThatThrownBy(() -> zstd.expand(zstd.find(backup.name()).orElseThrow()))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining(backup.storedName());
        assertThat(zstd.sweepLeftovers()).as("a failed expand leaves no scratch file").isZero();
    }

    @Test
    void aCompressedBackupsSidecar_withoutTheDatabasesSha_isDamaged() {
        BackupRepository zstd = compressing();
        zstd.prepare();
        Backup backup = publish(zstd, "content", T0);
        writeSidecar(backup.name(), backup.sidecar().sha256().orElseThrow() + "  " + backup.storedName() + "\n");

        Sidecar sidecar = zstd.find(backup.name()).orElseThrow().sidecar();

        assertThat(sidecar).isInstanceOf(Sidecar.Damaged.class);
        assertThat(zstd.checkChecksum(backup.name()).status()).isEqualTo(ChecksumCheck.Status.DAMAGED_SIDECAR);
    }

    @Test
    void aNewFolderDoesNotExistUntilPrepared() {
        assertThat(repository.exists()).isFalse();
        repository.prepare();
        assertThat(repository.exists()).isTrue();
        assertThat(repository.list()).isEmpty();
    }

    @Test
    void prepare_saysItCreatedTheFolder_onlyTheFirstTime() {
        assertThat(repository.prepare().createdAnything()).as("a new folder").isTrue();
        assertThat(repository.prepare().createdAnything()).as("ready already").isFalse();
    }

    @SuppressWarnings("try") // the lock is held for the block, not used in it
    @Test
    void undo_ofAFreshPrepare_afterARunThatPublishedNothing_removesTheFolderAgain() {
        BackupRepository.Preparation prepared = repository.prepare();
        try (BackupFolderLock.Lock lock = repository.folderLock().lock("backup of test.db")) {
            StagedBackup staged = repository.stage();
            fill(staged, "rejected copy".getBytes(StandardCharsets.UTF_8));
            repository.discard(staged);
            repository.undo(prepared);
        }

        assertThat(repository.exists()).isFalse();
        assertThat(repository.prepare().createdAnything()).as("and it can be made again").isTrue();
    }

    @SuppressWarnings("try") // the lock is held for the block, not used in it
    @Test
    void undo_neverRemovesAFolderThatHoldsAnythingElse() {
        BackupRepository.Preparation prepared = repository.prepare();
        copyInByHand(BackupName.at(T0), "by hand".getBytes(StandardCharsets.UTF_8));
        try (BackupFolderLock.Lock lock = repository.folderLock().lock("backup of test.db")) {
            repository.undo(prepared);
        }

        assertThat(repository.exists()).isTrue();
        assertThat(repository.list()).extracting(Backup::name).containsExactly(BackupName.at(T0));
        assertThat(read(BackupName.at(T0))).isEqualTo("by hand".getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("try") // the lock is held for the block, not used in it
    @Test
    void undo_ofAPrepareThatCreatedNothing_removesNothing() {
        repository.prepare();
        BackupRepository.Preparation again = repository.prepare();
        try (BackupFolderLock.Lock lock = repository.folderLock().lock("backup of test.db")) {
            repository.undo(again);
        }

        assertThat(repository.exists()).isTrue();
        assertThat(publish("still usable", T0).name()).isEqualTo(BackupName.at(T0));
    }

    @Test
    void publish_namesTheBackupByItsTime_recordsChecksum_andListsIt() {
        repository.prepare();
        Backup backup = publish("first", T0);

        assertThat(backup.name()).isEqualTo(BackupName.at(T0));
        assertThat(backup.sizeBytes()).isEqualTo(5);
        assertThat(backup.recordedSha256()).isPresent();
        assertThat(repository.list()).containsExactly(backup);
        assertThat(repository.find(backup.name())).contains(backup);
        assertThat(read(backup.name())).isEqualTo("first".getBytes(StandardCharsets.UTF_8));
        assertThat(repository.checkChecksum(backup.name()).status()).isEqualTo(ChecksumCheck.Status.MATCH);
        assertThat(repository.sweepLeftovers()).as("publishing leaves no scratch file").isZero();
    }

    @Test
    void aChecksumTakenBeforePublishing_isTheOneRecorded() {
        repository.prepare();
        StagedBackup staged = repository.stage();
        fill(staged, "checked early".getBytes(StandardCharsets.UTF_8));

        StagedBackup summed = repository.checksum(staged);
        Backup backup = repository.publish(summed, T0);

        assertThat(summed.sha256()).isPresent();
        assertThat(backup.recordedSha256()).isEqualTo(summed.sha256());
        assertThat(repository.checkChecksum(backup.name()).status()).isEqualTo(ChecksumCheck.Status.MATCH);
    }

    @Test
    void twoBackupsInOneSecond_bothSucceed_andNeitherOverwritesTheOther() {
        repository.prepare();
        Backup first = publish("first", T0);
        Backup second = publish("second", T0.plusMillis(400));

        assertThat(second.name()).isEqualTo(first.name().nextSecond());
        assertThat(read(first.name())).isEqualTo("first".getBytes(StandardCharsets.UTF_8));
        assertThat(read(second.name())).isEqualTo("second".getBytes(StandardCharsets.UTF_8));
        assertThat(repository.checkChecksum(first.name()).status()).isEqualTo(ChecksumCheck.Status.MATCH);
        assertThat(repository.checkChecksum(second.name()).status()).isEqualTo(ChecksumCheck.Status.MATCH);
    }

    @Test
    void publish_neverTakesTheNameOfAHandCopiedBackup() {
        repository.prepare();
        copyInByHand(BackupName.at(T0), "by hand".getBytes(StandardCharsets.UTF_8));
        Backup published = publish("tool", T0);

        assertThat(published.name()).isEqualTo(BackupName.at(T0).nextSecond());
        assertThat(read(BackupName.at(T0))).isEqualTo("by hand".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void list_isNewestFirst() {
        repository.prepare();
        Backup older = publish("a", T0.minusSeconds(86_400));
        Backup newest = publish("b", T0);
        Backup middle = publish("c", T0.minusSeconds(3_600));

        assertThat(repository.list()).extracting(Backup::name)
                .containsExactly(newest.name(), middle.name(), older.name());
    }

    @Test
    void aHandCopiedBackupWithoutSidecar_isListed_andReportedAsUnverifiable() {
        repository.prepare();
        BackupName name = BackupName.at(T0);
        copyInByHand(name, "by hand".getBytes(StandardCharsets.UTF_8));

        assertThat(repository.list()).singleElement().satisfies(b -> {
            assertThat(b.name()).isEqualTo(name);
            assertThat(b.recordedSha256()).isEmpty();
            assertThat(b.sizeBytes()).isEqualTo(7);
        });
        assertThat(repository.checkChecksum(name).status()).isEqualTo(ChecksumCheck.Status.NO_SIDECAR);
    }

    @Test
    void aSidecarThatExistsButIsDamaged_isNeverTakenForAMissingOne_andSaysWhy() {
        repository.prepare();
        Backup backup = publish("precious", T0);
        String sha = backup.recordedSha256().orElseThrow();
        List<String> damaged = List.of("", "not a checksum\n", sha + "  backup-2020-01-01-000000.db\n",
                sha + "  " + backup.name() + "\n" + sha + "  " + backup.name() + "\n",
                sha + "  " + backup.name() + "\nnotes\n");
        for (String content : damaged) {
            writeSidecar(backup.name(), content);

            assertThat(repository.find(backup.name()).orElseThrow().sidecar()).as(content)
                    .isInstanceOf(Sidecar.Damaged.class);
            ChecksumCheck check = repository.checkChecksum(backup.name());
            assertThat(check.status()).as(content).isEqualTo(ChecksumCheck.Status.DAMAGED_SIDECAR);
            assertThat(check.passed()).isFalse();
            assertThat(check.summary()).contains("sidecar DAMAGED");
        }
    }

    @Test
    void aSidecarInAnyFormSha256sumAccepts_recordsTheSha() {
        repository.prepare();
        Backup backup = publish("precious", T0);
        String sha = backup.recordedSha256().orElseThrow();
        for (String content : List.of(sha.toUpperCase() + " *" + backup.name(), "SHA256 (" + backup.name() + ") = "
                + sha + "\r\n", sha + " " + backup.name() + "\n")) {
            writeSidecar(backup.name(), content);

            assertThat(repository.find(backup.name()).orElseThrow().recordedSha256()).as(content).contains(sha);
            assertThat(repository.checkChecksum(backup.name()).status()).as(content)
                    .isEqualTo(ChecksumCheck.Status.MATCH);
        }
    }

    @Test
    void aTamperedBackup_failsItsChecksum() {
        repository.prepare();
        Backup backup = publish("precious", T0);
        tamper(backup.name());

        ChecksumCheck check = repository.checkChecksum(backup.name());
        assertThat(check.status()).isEqualTo(ChecksumCheck.Status.MISMATCH);
        assertThat(check.recorded()).isEqualTo(backup.recordedSha256());
    }

    @Test
    void delete_removesTheBackupAndItsSidecar_only() {
        repository.prepare();
        Backup keep = publish("keep", T0);
        Backup drop = publish("drop", T0.minusSeconds(60));

        repository.delete(drop.name());

        assertThat(repository.list()).containsExactly(keep);
        assertThat(repository.find(drop.name())).isEmpty();
        // a new backup may now take the freed name, with a fresh sidecar
        Backup again = publish("again", T0.minusSeconds(60));
        assertThat(again.name()).isEqualTo(drop.name());
        assertThat(repository.checkChecksum(again.name()).status()).isEqualTo(ChecksumCheck.Status.MATCH);
    }

    @Test
    void discard_removesTheStagedFile() {
        repository.prepare();
        StagedBackup staged = repository.stage();
        fill(staged, "half".getBytes(StandardCharsets.UTF_8));
        repository.discard(staged);

        assertThat(repository.sweepLeftovers()).isZero();
        assertThat(repository.list()).isEmpty();
    }

    @Test
    void sweep_removesWhatACrashedRunLeft_andNoBackup() {
        repository.prepare();
        Backup backup = publish("safe", T0);
        leaveLeftover();

        assertThat(repository.sweepLeftovers()).isPositive();
        assertThat(repository.sweepLeftovers()).isZero();
        assertThat(repository.list()).containsExactly(backup);
    }

    @Test
    void backupsArePublishedWithDistinctNames_evenMany() {
        repository.prepare();
        for (int i = 0; i < 5; i++) {
            publish("n" + i, T0);
        }
        List<Backup> all = repository.list();
        assertThat(all).hasSize(5);
        assertThat(all.get(0).name()).isEqualTo(BackupName.at(T0.plusSeconds(4)));
    }

    private static Backup publishIn(BackupRepository into, BackupRepositoryContract contract, String content,
            Instant takenAt) {
        StagedBackup staged = into.stage();
        contract.fill(staged, content.getBytes(StandardCharsets.UTF_8));
        return into.publish(staged, takenAt);
    }

    @Test
    void theFirstPublishRecordsTheDatabase_andTheFolderThenRefusesEveryOtherDatabase_touchingNothing() {
        BackupRepository app = sameFolder(Optional.of(APP));
        assertThat(app.database()).as("a new folder: the database it is for").contains(APP);
        app.prepare();
        Backup backup = publishIn(app, this, "app's data", T0);

        BackupRepository users = sameFolder(Optional.of(USERS));
        String refusal = "belongs to database " + APP + ", not " + USERS;
        assertThatThrownBy(users::database).isInstanceOf(ForeignBackupFolderException.class)
                .hasMessageContaining(refusal);
        assertThatThrownBy(users::prepare).isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(users::list).isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(() -> users.find(backup.name())).isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(() -> users.checkChecksum(backup.name())).isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(() -> users.delete(backup.name())).isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(() -> users.folderLock().lock("backup of users.db")).isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(() -> users.folderLock().lockDaemon("daemon")).isInstanceOf(ForeignBackupFolderException.class);
        assertThatThrownBy(users::sweepLeftovers).isInstanceOf(ForeignBackupFolderException.class);
        StagedBackup staged = app.stage();
        fill(staged, "users' data".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> users.publish(staged, T0.plusSeconds(60)))
                .isInstanceOf(ForeignBackupFolderException.class);
        app.discard(staged);

        assertThat(app.list()).as("nothing changed, and the lock refused was not left held")
                .containsExactly(backup);
        app.folderLock().lock("backup of app.db").close();
        assertThat(read(backup.name())).isEqualTo("app's data".getBytes(StandardCharsets.UTF_8));
        assertThat(sameFolder(Optional.empty()).database()).as("the folder alone names its database").contains(APP);
        assertThat(sameFolder(Optional.empty()).list()).containsExactly(backup);
    }

    @Test
    void aFolderThatRecordsNoDatabase_isReadByAny_andAdoptedByThePublishOfTheFirst() {
        BackupRepository anyone = sameFolder(Optional.empty());
        anyone.prepare();
        Backup old = publishIn(anyone, this, "from before", T0);
        assertThat(anyone.database()).as("a repository for no database records none").isEmpty();

        BackupRepository app = sameFolder(Optional.of(APP));
        BackupRepository users = sameFolder(Optional.of(USERS));
        assertThat(users.list()).as("reading records nothing").containsExactly(old);
        assertThat(app.list()).containsExactly(old);

        publishIn(app, this, "app's data", T0.plusSeconds(60));

        assertThat(sameFolder(Optional.empty()).database()).contains(APP);
        assertThatThrownBy(users::list).isInstanceOf(ForeignBackupFolderException.class);
    }

    @Test
    void afterItsRecordIsDeleted_aFolderIsAdoptedByTheNextPublish_aMovedDatabaseKeepsItsBackups() {
        BackupRepository app = sameFolder(Optional.of(APP));
        app.prepare();
        Backup before = publishIn(app, this, "before the move", T0);
        DatabaseIdentity moved = new DatabaseIdentity(Path.of("/data/app.db"));
        assertThatThrownBy(() -> sameFolder(Optional.of(moved)).prepare())
                .isInstanceOf(ForeignBackupFolderException.class);

        deleteRecordOfDatabase();
        BackupRepository there = sameFolder(Optional.of(moved));
        there.prepare();
        Backup after = publishIn(there, this, "after the move", T0.plusSeconds(60));

        assertThat(there.database()).contains(moved);
        assertThat(there.list()).containsExactly(after, before);
        assertThatThrownBy(app::list).isInstanceOf(ForeignBackupFolderException.class);
    }

    @SuppressWarnings("try") // the lock is held for the block, not used in it
    @Test
    void undo_ofAFirstRunThatFailedAfterRecordingItsDatabase_removesTheRecordWithTheFolder() {
        BackupRepository app = sameFolder(Optional.of(APP));
        BackupRepository.Preparation prepared = app.prepare();
        try (BackupFolderLock.Lock lock = app.folderLock().lock("backup of app.db")) {
            Backup published = publishIn(app, this, "published, then the run failed", T0);
            app.delete(published.name());
            app.undo(prepared);
        }

        assertThat(app.exists()).isFalse();
        assertThat(sameFolder(Optional.of(USERS)).prepare().createdAnything()).isTrue();
    }
}
