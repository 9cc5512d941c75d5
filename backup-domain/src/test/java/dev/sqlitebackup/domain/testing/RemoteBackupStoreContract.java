package dev.sqlitebackup.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import dev.sqlitebackup.domain.port.out.RemoteBackupStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RemoteBackupStore} must do. Extended by the in-memory fake's test and by the Drive adapter's test
 * (against a server that speaks Drive's protocol), so the fake cannot drift from the real thing.
 */
public abstract class RemoteBackupStoreContract {

    protected static final Instant T0 = Instant.parse("2026-08-18T03:00:00Z");
    protected static final DatabaseIdentity APP = new DatabaseIdentity(Path.of("/srv/app/app.db"));
    protected static final DatabaseIdentity USERS = new DatabaseIdentity(Path.of("/srv/app/users.db"));

    protected static final String RECIPIENT = "age1contractrecipient";
    protected static final String IDENTITY = RECIPIENT; // the fake codec's key opens what was encrypted to it

    /**
     * A store of {@code database}'s copies (for no database: of every copy of the tool's) over one remote folder that
     * every store made by this test shares, writing copies in {@code codec}'s form and reading them through it; the
     * folder starts empty.
     */
    protected abstract RemoteBackupStore store(Optional<DatabaseIdentity> database, BackupCodec codec);

    /** A store of {@code database}'s copies that writes plain copies (and reads plain and compressed ones). */
    protected RemoteBackupStore store(Optional<DatabaseIdentity> database) {
        return store(database, InMemoryBackupCodec.plain());
    }

    /** A local file holding {@code content}, as a finished backup is; each call gives a file of its own. */
    protected abstract Path localFile(BackupName name, byte[] content);

    /** An existing empty local file to download into. */
    protected abstract Path emptyTarget();

    protected abstract byte[] read(Path local);

    /** Puts a file into the shared remote folder as a person or another program would: not the tool's own. */
    protected abstract void putForeignFile(String name, byte[] content);

    /** Flips one byte of the stored copy, as when storage rots. */
    protected abstract void damageStored(RemoteBackup copy);

    private RemoteBackupStore store() {
        return store(Optional.empty());
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The verified backup of {@code content} taken at {@code at}: its size and recorded SHA-256. */
    protected static Backup backup(Instant at, byte[] content) {
        return new Backup(BackupName.at(at), content.length, Optional.of(sha256(content)));
    }

    private RemoteBackup upload(RemoteBackupStore store, Instant at, String content) {
        Backup backup = backup(at, bytes(content));
        return store.upload(backup, localFile(backup.name(), bytes(content)));
    }

    @Test
    void anEmptyStore_listsNothing() {
        assertThat(store().list()).isEmpty();
    }

    @Test
    void anUploadedBackup_isListed_withItsSizeAndChecksums_andComesBackByteIdentical() {
        byte[] content = bytes("a finished backup");
        Backup backup = backup(T0, content);

        RemoteBackup copy = store().upload(backup, localFile(backup.name(), content));

        assertThat(copy.name()).isEqualTo(backup.name());
        assertThat(copy.sizeBytes()).isEqualTo(content.length);
        assertThat(copy.sha256()).isEqualTo(backup.recordedSha256());
        assertThat(copy.md5()).contains(md5(content));
        assertThat(store().list()).containsExactly(copy);
        Path target = emptyTarget();
        store().download(copy, target);
        assertThat(read(target)).isEqualTo(content);
    }

    @Test
    void list_isNewestFirst() {
        RemoteBackupStore store = store();
        upload(store, T0.plusSeconds(3600), "second");
        upload(store, T0, "first");
        upload(store, T0.plusSeconds(7200), "third");

        assertThat(store.list()).extracting(RemoteBackup::name).containsExactly(BackupName.at(T0.plusSeconds(7200)),
                BackupName.at(T0.plusSeconds(3600)), BackupName.at(T0));
    }

    @Test
    void uploadingTheSameBackupAgain_returnsTheCopyAlreadyThere() {
        RemoteBackup first = upload(store(), T0, "same bytes");

        RemoteBackup again = upload(store(), T0, "same bytes");

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(store().list()).containsExactly(first);
    }

    @Test
    void uploadingADifferentBackupOfAnExistingName_fails_andLeavesTheCopyThere() {
        RemoteBackup first = upload(store(), T0, "the first backup of this second");

        assertThatThrownBy(() -> upload(store(), T0, "another backup of the same second"))
                .isInstanceOf(BackupFailedException.class)
                .hasMessageContaining(BackupName.at(T0).value());

        assertThat(store().list()).containsExactly(first);
        Path target = emptyTarget();
        store().download(first, target);
        assertThat(read(target)).isEqualTo(bytes("the first backup of this second"));
    }

    @Test
    void aLocalFileThatIsNotTheVerifiedBackup_isNotUploaded() {
        Backup verified = backup(T0, bytes("verified bytes"));
        Path changed = localFile(verified.name(), bytes("changed bytes!"));

        assertThatThrownBy(() -> store().upload(verified, changed)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining(verified.name().value());

        assertThat(store().list()).isEmpty();
    }

    @Test
    void deleting_removesTheCopy_andDeletingItAgainIsNoError() {
        RemoteBackupStore store = store();
        RemoteBackup kept = upload(store, T0, "kept");
        RemoteBackup doomed = upload(store, T0.plusSeconds(60), "doomed");

        store.delete(doomed);
        store.delete(doomed); // already gone is what was wanted

        assertThat(store.list()).containsExactly(kept);
    }

    @Test
    void otherFilesInTheFolder_areNeitherListedNorDeletable() {
        RemoteBackup ours = upload(store(), T0, "ours");
        putForeignFile("holiday.jpg", bytes("a photo"));
        putForeignFile(BackupName.at(T0.plusSeconds(60)).value(), bytes("copied in by hand"));

        assertThat(store().list()).containsExactly(ours);
        RemoteBackup pretend = new RemoteBackup(ours.name(), ours.form(), "no-such-id-" + ours.id(), 1, Optional.empty(),
                Optional.empty(), Optional.empty());
        store().delete(pretend); // gone or never there: nothing to do
        assertThat(store().list()).containsExactly(ours);
    }

    @Test
    void aDamagedCopy_isRefusedOnDownload_andLeavesNoBytes() {
        RemoteBackup copy = upload(store(), T0, "bytes that will rot on the server");
        damageStored(copy);
        Path target = emptyTarget();

        assertThatThrownBy(() -> store().download(copy, target)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining(copy.name().value());

        assertThat(read(target)).isEmpty();
    }

    @Test
    void aLocalFileThatIsMissing_failsTheUpload() {
        Backup backup = backup(T0, bytes("never written"));
        Path missing = emptyTarget().resolveSibling("missing-" + backup.name().value());

        assertThatThrownBy(() -> store().upload(backup, missing)).isInstanceOf(BackupFailedException.class);
        assertThat(store().list()).isEmpty();
    }

    @Test
    void twoDatabasesSharingAFolder_eachSeesDedupesAndDeletesOnlyItsOwnCopies() {
        RemoteBackupStore app = store(Optional.of(APP));
        RemoteBackupStore users = store(Optional.of(USERS));
        RemoteBackup appCopy = upload(app, T0, "same second, same bytes");

        // users.db's backup of the same second with the same bytes: a copy of its own, never the other's
        RemoteBackup usersCopy = upload(users, T0, "same second, same bytes");

        assertThat(usersCopy.id()).isNotEqualTo(appCopy.id());
        assertThat(app.list()).containsExactly(appCopy);
        assertThat(users.list()).containsExactly(usersCopy);
        assertThatThrownBy(() -> users.delete(appCopy)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("refusing to delete");
        assertThat(app.list()).containsExactly(appCopy);
        users.delete(usersCopy);
        assertThat(users.list()).isEmpty();
        assertThat(store().list()).as("a store for no database sees every copy of the tool's")
                .containsExactly(appCopy);
    }

    @Test
    void copiesUploadedForNoDatabase_countAsEachDatabasesOwn() {
        RemoteBackup untagged = upload(store(), T0, "uploaded before copies were tagged");
        RemoteBackupStore app = store(Optional.of(APP));

        assertThat(app.list()).containsExactly(untagged);
        assertThat(upload(app, T0, "uploaded before copies were tagged").id()).as("already there, not uploaded twice")
                .isEqualTo(untagged.id());
        app.delete(untagged);
        assertThat(app.list()).isEmpty();
    }

    @Test
    void anUploadThroughAnEncryptingCodec_isListedOnceInThatForm_withThePlainSha256_andDecodes() {
        InMemoryBackupCodec encrypting = InMemoryBackupCodec.encryptedTo(StoredForm.ZSTD_AGE, RECIPIENT, IDENTITY);
        RemoteBackupStore store = store(Optional.empty(), encrypting);
        byte[] content = bytes("a database nobody else may read");
        Backup backup = backup(T0, content);

        RemoteBackup copy = store.upload(backup, localFile(backup.name(), content));

        assertThat(copy.form()).isEqualTo(StoredForm.ZSTD_AGE);
        assertThat(copy.storedName()).isEqualTo(backup.name().value() + ".zst.age");
        assertThat(copy.sha256()).as("the plain database's, in every form").isEqualTo(backup.recordedSha256());
        assertThat(copy.md5()).as("the stored bytes', not the plain ones'").isPresent()
                .isNotEqualTo(Optional.of(md5(content)));
        assertThat(store.list()).containsExactly(copy);
        Path target = emptyTarget();
        store.download(copy, target);
        assertThat(read(target)).isEqualTo(content);
    }

    @Test
    void anEncryptedCopy_withoutItsKey_isNotRead_andLeavesNoBytes() {
        InMemoryBackupCodec encrypting = InMemoryBackupCodec.encryptedTo(StoredForm.AGE, RECIPIENT, IDENTITY);
        RemoteBackup copy = upload(store(Optional.empty(), encrypting), T0, "secret");
        RemoteBackupStore keyless = store(Optional.empty(), InMemoryBackupCodec.compressed("AGE-SECRET-KEY-OTHER"));
        Path target = emptyTarget();

        assertThatThrownBy(() -> keyless.download(copy, target)).isInstanceOf(NoMatchingIdentityException.class)
                .satisfies(e -> assertThat(((NoMatchingIdentityException) e).storedName())
                        .isEqualTo(copy.storedName()));

        assertThat(read(target)).isEmpty();
        assertThat(keyless.list()).containsExactly(copy);
    }

    @Test
    void aFolderOfMixedForms_listsEveryForm_andEachComesBackAsItsDatabase() {
        RemoteBackup plain = upload(store(Optional.empty(), InMemoryBackupCodec.plain()), T0, "old plain copy");
        RemoteBackup compressed = upload(store(Optional.empty(), InMemoryBackupCodec.compressed()),
                T0.plusSeconds(3600), "compressed copy");
        RemoteBackup encrypted = upload(store(Optional.empty(),
                InMemoryBackupCodec.encryptedTo(StoredForm.ZSTD_AGE, RECIPIENT)), T0.plusSeconds(7200), "encrypted");
        RemoteBackup encryptedOnly = upload(store(Optional.empty(),
                InMemoryBackupCodec.encryptedTo(StoredForm.AGE, RECIPIENT)), T0.plusSeconds(10800), "age only");
        RemoteBackupStore reader = store(Optional.empty(), InMemoryBackupCodec.compressed(IDENTITY));

        assertThat(reader.list()).containsExactly(encryptedOnly, encrypted, compressed, plain);
        assertThat(reader.list()).extracting(RemoteBackup::form).containsExactly(StoredForm.AGE,
                StoredForm.ZSTD_AGE, StoredForm.ZSTD, StoredForm.PLAIN);
        for (RemoteBackup copy : reader.list()) {
            Path target = emptyTarget();
            reader.download(copy, target);
            assertThat(sha256(read(target))).as(copy.storedName()).isEqualTo(copy.sha256().orElseThrow());
        }
        reader.delete(compressed);
        assertThat(reader.list()).containsExactly(encryptedOnly, encrypted, plain);
    }

    @Test
    void anExistingPlainCopyOfTheSameBackup_isReturned_notDuplicatedInTheNewForm() {
        RemoteBackup plain = upload(store(), T0, "uploaded before forms");
        RemoteBackupStore encrypting = store(Optional.empty(),
                InMemoryBackupCodec.encryptedTo(StoredForm.ZSTD_AGE, RECIPIENT));

        RemoteBackup again = upload(encrypting, T0, "uploaded before forms");

        assertThat(again).isEqualTo(plain);
        assertThat(encrypting.list()).containsExactly(plain);
    }

    @Test
    void aDifferentBackupOfTheSameTimestamp_inAnotherForm_isRefused() {
        RemoteBackup plain = upload(store(), T0, "the first backup of this second");
        RemoteBackupStore compressing = store(Optional.empty(), InMemoryBackupCodec.compressed());

        assertThatThrownBy(() -> upload(compressing, T0, "another backup of the same second"))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining(BackupName.at(T0).value());

        assertThat(compressing.list()).containsExactly(plain);
    }

    @Test
    void describe_namesTheStoreForMessages() {
        assertThat(store().describe()).isNotBlank().doesNotContain("\n");
    }

    protected static String sha256(byte[] content) {
        return InMemoryRemoteBackupStore.sha256(content);
    }

    protected static String md5(byte[] content) {
        return InMemoryRemoteBackupStore.md5(content);
    }
}
