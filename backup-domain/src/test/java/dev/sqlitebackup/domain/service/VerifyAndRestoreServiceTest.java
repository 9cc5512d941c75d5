package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.DatabaseInUseException;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.NoOffsiteStoreException;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.RestoreResult;
import dev.sqlitebackup.domain.model.RestoreTargetExistsException;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.model.VerificationReport;
import dev.sqlitebackup.domain.model.VerifyLevel;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase;
import dev.sqlitebackup.domain.port.in.RestoreBackupUseCase.Overwrite;
import dev.sqlitebackup.domain.port.in.VerifyBackupsUseCase;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import dev.sqlitebackup.domain.testing.InMemoryBackupCodec;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.InMemoryDatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryRemoteBackupStore;
import dev.sqlitebackup.domain.testing.InMemoryRestoreDestination;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerifyAndRestoreServiceTest {

    private static final BackupName OLD = BackupName.at(Instant.parse("2026-08-17T03:00:00Z"));
    private static final BackupName NEW = BackupName.at(Instant.parse("2026-08-18T03:00:00Z"));
    private static final Path TARGET = Path.of("/srv/app/restored.db");

    private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
    private final InMemoryDatabaseSnapshotter snapshotter =
            new InMemoryDatabaseSnapshotter(repository.files(), Path.of("/srv/app/app.db"));
    private final InMemoryRestoreDestination destination = new InMemoryRestoreDestination(repository.files());
    private final VerifyBackupsService verify = new VerifyBackupsService(repository, snapshotter);
    private final RestoreBackupService restore = new RestoreBackupService(repository, snapshotter, destination);

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void verify_latestByDefault_allOnRequest_andATamperedBackupFails() {
        repository.put(OLD, bytes("old"), true);
        repository.put(NEW, bytes("new"), true);
        repository.tamper(OLD);

        List<VerificationReport> latest = verify.verify(new VerifyBackupsUseCase.Command("latest", VerifyLevel.QUICK));
        assertThat(latest).singleElement().satisfies(r -> {
            assertThat(r.backup().name()).isEqualTo(NEW);
            assertThat(r.ok()).isTrue();
        });

        List<VerificationReport> all = verify.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.FULL));
        assertThat(all).extracting(VerificationReport::ok).containsExactly(true, false);
        assertThat(all.get(1).checksum().status()).isEqualTo(ChecksumCheck.Status.MISMATCH);
        assertThat(all.get(1).summary()).startsWith("FAILED").contains("MISMATCH");
    }

    /** A backup published by a repository that stores new backups compressed, into the same folder. */
    private Backup putCompressed(BackupName name, byte[] plain) {
        InMemoryBackupRepository zstd = repository.compressing();
        zstd.prepare();
        StagedBackup staged = zstd.stage();
        repository.files().write(staged.file(), plain);
        return zstd.publish(staged, name.instant());
    }

    @Test
    void aCompressedBackup_isVerifiedOnItsStoredBytesAndItsDatabase_andRestoredAsThePlainDatabase() {
        repository.put(OLD, bytes("old, plain"), true);
        Backup compressed = putCompressed(NEW, bytes("new, compressed"));

        List<VerificationReport> all = verify.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.FULL));
        RestoreResult result = restore.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER));

        assertThat(compressed.form()).isEqualTo(StoredForm.ZSTD);
        assertThat(all).extracting(VerificationReport::ok).containsExactly(true, true);
        assertThat(all.get(0).checksum().actual()).as("the database's SHA-256, not the stored file's")
                .isEqualTo(compressed.recordedSha256());
        assertThat(result.backup()).isEqualTo(compressed);
        assertThat(repository.files().read(TARGET)).contains(bytes("new, compressed"));
        assertThat(repository.scratchFiles()).as("the decoded copy is discarded").isEmpty();
    }

    @Test
    void aCompressedBackupWithoutItsSidecar_isReported_andStillRestoresThePlainDatabase() {
        putCompressed(NEW, bytes("new, compressed, sidecar lost"));
        Path stored = repository.locate(NEW);
        repository.files().delete(Path.of(stored + BackupName.SIDECAR_SUFFIX));

        VerificationReport report = verify.verify(new VerifyBackupsUseCase.Command("latest", VerifyLevel.QUICK))
                .get(0);
        RestoreResult result = restore.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER));

        assertThat(report.ok()).as(report.summary()).isTrue();
        assertThat(report.summary()).contains("no sidecar");
        assertThat(result.backup().name()).isEqualTo(NEW);
        assertThat(repository.files().read(TARGET)).contains(bytes("new, compressed, sidecar lost"));
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void aFlippedByteInACompressedBackup_failsVerify_andRestoreInstallsNothing() {
        putCompressed(NEW, bytes("precious"));
        repository.tamper(NEW);

        VerificationReport report = verify.verify(new VerifyBackupsUseCase.Command("latest", VerifyLevel.QUICK))
                .get(0);

        assertThat(report.ok()).isFalse();
        assertThat(report.checksum().status()).isEqualTo(ChecksumCheck.Status.MISMATCH);
        assertThatThrownBy(() -> restore.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER)))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining("nothing restored");
        assertThat(repository.files().exists(TARGET)).isFalse();
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void aCompressedBackupThatDoesNotDecode_orDecodesToAnotherDatabase_orACorruptOne_failsAndIsNotRestored() {
        Backup backup = putCompressed(NEW, bytes("precious"));
        String line = backup.sidecar().sha256().orElseThrow() + "  " + backup.storedName() + "\n";
        String otherDatabase = "# sha256 of the database: " + "ab".repeat(32) + "\n";
        repository.writeSidecar(NEW, line + otherDatabase);
        assertFailsAndRestoresNothing(ChecksumCheck.Status.MISMATCH);

        // a sidecar that matches damaged stored bytes: the frame itself fails to decode
        repository.tamper(NEW);
        String damagedSha = sha256(repository.stored(NEW));
        repository.writeSidecar(NEW, damagedSha + "  " + backup.storedName() + "\n"
                + "# sha256 of the database: " + backup.recordedSha256().orElseThrow() + "\n");
        assertFailsAndRestoresNothing(ChecksumCheck.Status.UNREADABLE);

        Backup corrupt = putCompressed(OLD, bytes("CORRUPT pages"));
        VerificationReport report = verify.verify(new VerifyBackupsUseCase.Command(OLD.value(), VerifyLevel.QUICK))
                .get(0);
        assertThat(report.checksum().status()).isEqualTo(ChecksumCheck.Status.MATCH);
        assertThat(report.integrity().ok()).as("checked on the decoded database").isFalse();
        assertThatThrownBy(() -> restore.restore(new RestoreBackupUseCase.Command(corrupt.name().value(), TARGET,
                Overwrite.NEVER))).isInstanceOf(BackupFailedException.class);
        assertThat(repository.files().exists(TARGET)).isFalse();
        assertThat(repository.scratchFiles()).isEmpty();
    }

    private void assertFailsAndRestoresNothing(ChecksumCheck.Status status) {
        VerificationReport report = verify.verify(new VerifyBackupsUseCase.Command(NEW.value(), VerifyLevel.QUICK))
                .get(0);
        assertThat(report.ok()).isFalse();
        assertThat(report.checksum().status()).isEqualTo(status);
        assertThatThrownBy(() -> restore.restore(new RestoreBackupUseCase.Command(NEW.value(), TARGET,
                Overwrite.NEVER))).isInstanceOf(BackupFailedException.class).hasMessageContaining("nothing restored");
        assertThat(repository.files().exists(TARGET)).isFalse();
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void verify_aBackupWithoutSidecar_isReported_butPassesOnIntegrity() {
        repository.put(NEW, bytes("by hand"), false);

        VerificationReport report = verify.verify(new VerifyBackupsUseCase.Command(NEW.value(), VerifyLevel.QUICK))
                .get(0);

        assertThat(report.ok()).isTrue();
        assertThat(report.summary()).contains("no sidecar");
    }

    @Test
    void verify_aCorruptCopy_failsOnIntegrity() {
        repository.put(NEW, bytes("CORRUPT pages"), true);

        assertThat(verify.verify(new VerifyBackupsUseCase.Command("latest", VerifyLevel.QUICK)).get(0).ok())
                .isFalse();
    }

    @Test
    void verify_anUnknownName_isAnInputError() {
        repository.put(NEW, bytes("new"), true);

        assertThatThrownBy(() -> verify.verify(new VerifyBackupsUseCase.Command(OLD.value(), VerifyLevel.QUICK)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no backup named " + OLD);
        assertThatThrownBy(() -> verify.verify(new VerifyBackupsUseCase.Command("yesterday", VerifyLevel.QUICK)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a backup name");
    }

    @Test
    void restoreLatest_writesTheNewestBackupToTheTarget() {
        repository.put(OLD, bytes("old"), true);
        repository.put(NEW, bytes("new"), true);

        RestoreResult result = restore.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER));

        assertThat(result.backup().name()).isEqualTo(NEW);
        assertThat(result.replaced()).isFalse();
        assertThat(repository.files().read(TARGET)).contains(bytes("new"));
    }

    @Test
    void restore_refusesToClobberAnExistingDatabase_withoutForce() {
        repository.put(NEW, bytes("new"), true);
        repository.files().write(TARGET, bytes("live"));

        assertThatThrownBy(() -> restore.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER)))
                .isInstanceOf(RestoreTargetExistsException.class)
                .hasMessage(TARGET + " exists; restore will not overwrite it"); // the CLI adds how to
        assertThat(repository.files().read(TARGET)).contains(bytes("live"));

        RestoreResult forced = restore.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.UNLESS_OPEN));
        assertThat(forced.replaced()).isTrue();
        assertThat(repository.files().read(TARGET)).contains(bytes("new"));
    }

    @Test
    void restore_refusesToReplaceADatabaseThatAnotherProcessHasOpen_unlessToldToGoAheadAnyway() {
        repository.put(NEW, bytes("new"), true);
        repository.files().write(TARGET, bytes("live"));
        snapshotter.openedBy(TARGET, "pid 4242 (java)");

        assertThatThrownBy(() -> restore.restore(new RestoreBackupUseCase.Command("latest", TARGET,
                Overwrite.UNLESS_OPEN)))
                .isInstanceOf(DatabaseInUseException.class)
                .hasMessage(TARGET + " is open in another process (pid 4242 (java)): restoring over it would lose "
                        + "every write that process makes afterwards; stop it first, nothing restored");
        assertThat(repository.files().read(TARGET)).contains(bytes("live"));

        RestoreResult anyway = restore.restore(new RestoreBackupUseCase.Command("latest", TARGET,
                Overwrite.EVEN_IF_OPEN));
        assertThat(anyway.replaced()).isTrue();
        assertThat(repository.files().read(TARGET)).contains(bytes("new"));

        repository.files().write(TARGET, bytes("live again"));
        snapshotter.closedBy(TARGET);
        restore.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.UNLESS_OPEN));
        assertThat(repository.files().read(TARGET)).contains(bytes("new"));
    }

    @Test
    void restore_neverWritesABackupThatFailsVerification() {
        repository.put(NEW, bytes("new"), true);
        repository.tamper(NEW);
        repository.files().write(TARGET, bytes("live"));

        assertThatThrownBy(() -> restore.restore(new RestoreBackupUseCase.Command(NEW.value(), TARGET, Overwrite.UNLESS_OPEN)))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining("nothing restored");
        assertThat(repository.files().read(TARGET)).contains(bytes("live"));
    }

    @Test
    void aDamagedSidecar_failsVerify_namingWhy_andRestoreRefusesAndWritesNothing() {
        repository.put(NEW, bytes("altered"), false);
        // the right form, but for another file: sha256sum would check that file, never this backup
        repository.writeSidecar(NEW, "ab".repeat(32) + "  backup-2020-01-01-000000.db\n");
        repository.files().write(TARGET, bytes("live"));

        VerificationReport report = verify.verify(new VerifyBackupsUseCase.Command("latest", VerifyLevel.QUICK))
                .get(0);

        assertThat(report.ok()).isFalse();
        assertThat(report.checksum().status()).isEqualTo(ChecksumCheck.Status.DAMAGED_SIDECAR);
        assertThat(report.summary()).startsWith("FAILED " + NEW)
                .contains("sidecar DAMAGED: names \"backup-2020-01-01-000000.db\", not this backup");
        assertThatThrownBy(() -> restore.restore(new RestoreBackupUseCase.Command("latest", TARGET,
                RestoreBackupUseCase.Overwrite.UNLESS_OPEN)))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining("sidecar DAMAGED")
                .hasMessageContaining("nothing restored");
        assertThat(repository.files().read(TARGET)).contains(bytes("live"));
    }

    @Test
    void verifyAll_withAnUnreadableBackup_reportsEveryBackup_andOnlyThatOneFails() {
        BackupName middle = BackupName.at(Instant.parse("2026-08-17T15:00:00Z"));
        repository.put(OLD, bytes("old"), true);
        repository.put(middle, bytes("middle"), true);
        repository.put(NEW, bytes("new"), true);
        repository.makeUnreadable(middle);

        List<VerificationReport> all = verify.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.QUICK));

        assertThat(all).extracting(r -> r.backup().name()).containsExactly(NEW, middle, OLD);
        assertThat(all).extracting(VerificationReport::ok).containsExactly(true, false, true);
        assertThat(all.get(1).checksum().status()).isEqualTo(ChecksumCheck.Status.UNREADABLE);
        assertThat(all.get(1).summary()).contains("backup UNREADABLE").contains("permission denied");
    }

    @Test
    void verifyRemote_downloadsEachCopy_andADamagedOneFails_withoutStoppingTheOthers() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        drive.putOwn(OLD, bytes("old"));
        drive.putOwn(NEW, bytes("new"));
        repository.put(NEW, bytes("new"), true);
        VerifyBackupsService remote = new VerifyBackupsService(repository, snapshotter, Optional.of(drive));

        List<VerificationReport> good = remote.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.QUICK,
                true));
        assertThat(good).extracting(VerificationReport::ok).containsExactly(true, true);
        assertThat(good.get(0).checksum().status()).as("checked against the local sidecar")
                .isEqualTo(ChecksumCheck.Status.MATCH);
        assertThat(repository.scratchFiles()).as("downloads are removed").isEmpty();

        drive.damageDownloads();
        List<VerificationReport> damaged = remote.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.QUICK,
                true));
        assertThat(damaged).hasSize(2).noneMatch(VerificationReport::ok);
        assertThat(damaged.get(0).summary()).contains("damaged");
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void latest_isTheNewestBackupNamedUpToNow_notOneNamedInTheFuture_unlessThatIsAllThereIs() {
        BackupName future = BackupName.at(Instant.parse("2029-01-01T00:00:00Z")); // taken while the clock was ahead
        Clock now = Clock.fixed(Instant.parse("2026-08-18T04:00:00Z"), ZoneOffset.UTC);
        repository.put(future, bytes("stale rows"), true);
        RestoreBackupService restoring = restore.withClock(now);
        VerifyBackupsService verifying = verify.withClock(now);

        assertThat(restoring.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER)).backup()
                .name()).as("all there is").isEqualTo(future);
        repository.put(OLD, bytes("old"), true);
        repository.put(NEW, bytes("new"), true);
        Path other = Path.of("/srv/app/other.db");

        assertThat(restoring.restore(new RestoreBackupUseCase.Command("latest", other, Overwrite.NEVER)).backup()
                .name()).isEqualTo(NEW);
        assertThat(repository.files().read(other)).contains(bytes("new"));
        assertThat(verifying.verify(new VerifyBackupsUseCase.Command("latest", VerifyLevel.QUICK)))
                .extracting(r -> r.backup().name()).containsExactly(NEW);
    }

    @Test
    void latest_betweenHereAndOffsite_preferTheOneNamedUpToNow() {
        BackupName future = BackupName.at(Instant.parse("2029-01-01T00:00:00Z"));
        Clock now = Clock.fixed(Instant.parse("2026-08-18T04:00:00Z"), ZoneOffset.UTC);
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        drive.putOwn(future, bytes("stale rows off-site"));
        drive.putOwn(OLD, bytes("old off-site"));
        repository.put(NEW, bytes("new here"), true);
        RestoreBackupService withDrive = new RestoreBackupService(repository, snapshotter, destination,
                Optional.of(drive)).withClock(now);

        RestoreResult result = withDrive.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER));

        assertThat(result.fromOffsite()).isFalse();
        assertThat(result.backup().name()).isEqualTo(NEW);
        assertThat(withDrive.restore(new RestoreBackupUseCase.Command("latest", Path.of("/srv/app/remote.db"),
                Overwrite.NEVER).fromOffsite()).backup().name()).as("off-site only: its latest up to now")
                .isEqualTo(OLD);
    }

    @Test
    void restore_ofABackupOnlyOffsite_downloadsAndVerifiesIt() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        drive.putOwn(NEW, bytes("from drive"));
        repository.put(OLD, bytes("old"), true);
        RestoreBackupService withDrive = new RestoreBackupService(repository, snapshotter, destination,
                Optional.of(drive));

        RestoreResult result = withDrive.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER));

        assertThat(result.fromOffsite()).isTrue();
        assertThat(result.backup().name()).isEqualTo(NEW);
        assertThat(repository.files().read(TARGET)).contains(bytes("from drive"));
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void restore_ofEachStoredForm_inOneFolder_writesThePlainDatabase_andReportsItsPlainSize() {
        byte[] old = bytes("old database, stored plain before copies were encoded");
        byte[] latest = bytes("newest database, compressed and encrypted");
        InMemoryBackupCodec owner = InMemoryBackupCodec.encryptedTo(StoredForm.ZSTD_AGE, "owner-key", "owner-key");
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files(), owner);
        drive.putOwn(OLD, old);
        drive.putOwn(NEW, StoredForm.ZSTD_AGE, owner.encode(latest), InMemoryRemoteBackupStore.sha256(latest));
        RestoreBackupService withDrive = new RestoreBackupService(repository, snapshotter, destination,
                Optional.of(drive));

        RestoreResult newest = withDrive.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER));
        assertThat(newest.fromOffsite()).isTrue();
        assertThat(newest.backup().sizeBytes()).as("the database's size, not the stored copy's")
                .isEqualTo(latest.length);
        assertThat(repository.files().read(TARGET)).contains(latest);

        Path other = Path.of("/srv/app/old.db");
        withDrive.restore(new RestoreBackupUseCase.Command(OLD.value(), other, Overwrite.NEVER));
        assertThat(repository.files().read(other)).contains(old);
        Path byStoredName = Path.of("/srv/app/by-stored-name.db");
        withDrive.restore(new RestoreBackupUseCase.Command(NEW.value() + ".zst.age", byStoredName, Overwrite.NEVER));
        assertThat(repository.files().read(byStoredName)).as("the name Drive shows names the backup")
                .contains(latest);
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void restore_ofAnEncryptedCopy_withoutItsKey_failsNamingTheCopy_andWritesNothing() {
        byte[] latest = bytes("secret rows");
        InMemoryBackupCodec server = InMemoryBackupCodec.encryptedTo(StoredForm.ZSTD_AGE, "owner-key");
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files(), server);
        drive.putOwn(NEW, StoredForm.ZSTD_AGE, server.encode(latest), InMemoryRemoteBackupStore.sha256(latest));
        repository.files().write(TARGET, bytes("live"));
        RestoreBackupService withDrive = new RestoreBackupService(repository, snapshotter, destination,
                Optional.of(drive));

        assertThatThrownBy(() -> withDrive.restore(new RestoreBackupUseCase.Command("latest", TARGET,
                Overwrite.UNLESS_OPEN))).isInstanceOf(NoMatchingIdentityException.class)
                .hasMessage("no identity matches " + NEW.value() + ".zst.age");

        assertThat(repository.files().read(TARGET)).contains(bytes("live"));
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void verifyRemote_withoutTheKey_saysSo_insteadOfCallingTheCopyDamaged() {
        byte[] latest = bytes("secret rows");
        InMemoryBackupCodec wrongKey = InMemoryBackupCodec.encryptedTo(StoredForm.AGE, "owner-key", "someone-else");
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files(), wrongKey);
        drive.putOwn(NEW, StoredForm.AGE, wrongKey.encode(latest), InMemoryRemoteBackupStore.sha256(latest));
        VerifyBackupsService remote = new VerifyBackupsService(repository, snapshotter, Optional.of(drive));

        assertThatThrownBy(() -> remote.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.QUICK, true)))
                .isInstanceOf(NoMatchingIdentityException.class).hasMessageContaining(NEW.value() + ".age");
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void verifyRemote_ofACompressedCopy_checksThePlainBytes_andAFlippedStoredByteFails() {
        byte[] latest = bytes("rows rows rows rows");
        InMemoryBackupCodec zstd = InMemoryBackupCodec.compressed();
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files(), zstd);
        RemoteBackup copy = drive.putOwn(NEW, StoredForm.ZSTD, zstd.encode(latest),
                InMemoryRemoteBackupStore.sha256(latest));
        VerifyBackupsService remote = new VerifyBackupsService(repository, snapshotter, Optional.of(drive));

        VerificationReport good = remote.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.QUICK, true))
                .get(0);
        assertThat(good.ok()).isTrue();
        assertThat(good.backup().sizeBytes()).isEqualTo(latest.length);

        drive.damageStored(copy.id());
        VerificationReport damaged = remote.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.QUICK, true))
                .get(0);
        assertThat(damaged.ok()).isFalse();
        assertThat(damaged.summary()).contains(NEW.value() + ".zst");
        assertThat(repository.scratchFiles()).isEmpty();
    }

    /** A store whose own check misses damage: what arrives is not what it holds, and it does not notice. */
    private RemoteBackupStore deliveringOtherBytes(InMemoryRemoteBackupStore store, byte[] delivered) {
        return new RemoteBackupStore() {
            @Override
            public String describe() {
                return store.describe();
            }

            @Override
            public RemoteBackup upload(Backup backup, Path file) {
                return store.upload(backup, file);
            }

            @Override
            public List<RemoteBackup> list() {
                return store.list();
            }

            @Override
            public void delete(RemoteBackup backup) {
                store.delete(backup);
            }

            @Override
            public void download(RemoteBackup backup, Path target) {
                repository.files().write(target, delivered);
            }
        };
    }

    @Test
    void restore_fromOffsite_checksTheBytesThatArrived_notJustTheStoresWord() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        drive.putOwn(NEW, bytes("from drive"));
        RestoreBackupService withDrive = new RestoreBackupService(repository, snapshotter, destination,
                Optional.of(deliveringOtherBytes(drive, bytes("from elsewhere"))));

        assertThatThrownBy(() -> withDrive.restore(new RestoreBackupUseCase.Command("latest", TARGET,
                Overwrite.NEVER))).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("failed verification").hasMessageContaining("sha256 MISMATCH");

        assertThat(repository.files().exists(TARGET)).isFalse();
        assertThat(repository.scratchFiles()).isEmpty();
    }

    @Test
    void verifyRemote_checksTheBytesThatArrived_againstTheRecordedSha256() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        drive.putOwn(NEW, bytes("on drive"));
        VerifyBackupsService remote = new VerifyBackupsService(repository, snapshotter,
                Optional.of(deliveringOtherBytes(drive, bytes("something else"))));

        List<VerificationReport> reports = remote.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.QUICK,
                true));

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.checksum().status()).isEqualTo(ChecksumCheck.Status.MISMATCH);
        });
    }

    @Test
    void restore_prefersTheLocalCopy_whenTheBackupIsInBothPlaces() {
        InMemoryRemoteBackupStore drive = new InMemoryRemoteBackupStore(repository.files());
        drive.putOwn(NEW, bytes("new"));
        drive.damageDownloads();
        repository.put(NEW, bytes("new"), true);
        RestoreBackupService withDrive = new RestoreBackupService(repository, snapshotter, destination,
                Optional.of(drive));

        RestoreResult result = withDrive.restore(new RestoreBackupUseCase.Command(NEW.value(), TARGET, Overwrite.NEVER));

        assertThat(result.fromOffsite()).isFalse();
        assertThat(repository.files().read(TARGET)).contains(bytes("new"));
    }

    @Test
    void theRemoteCopies_withoutAStore_areBadInput_sayingWhatIsMissing() {
        repository.put(NEW, bytes("new"), true);

        assertThatThrownBy(() -> verify.verify(new VerifyBackupsUseCase.Command("all", VerifyLevel.QUICK, true)))
                .isInstanceOf(NoOffsiteStoreException.class).hasMessage("no off-site store is configured");
    }

    @Test
    void restore_withNoBackups_saysSo() {
        assertThatThrownBy(() -> restore.restore(new RestoreBackupUseCase.Command("latest", TARGET, Overwrite.NEVER)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no backups in");
    }
}
