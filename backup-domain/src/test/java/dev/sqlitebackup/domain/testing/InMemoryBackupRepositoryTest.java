package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.port.out.BackupRepository;
import dev.sqlitebackup.domain.port.out.StagedBackup;
import java.util.Optional;

/** The in-memory fake passes the same contract as the real backup folder. */
class InMemoryBackupRepositoryTest extends BackupRepositoryContract {

    private InMemoryBackupRepository fake;

    @Override
    protected BackupRepository newRepository() {
        fake = new InMemoryBackupRepository();
        return fake;
    }

    @Override
    protected BackupRepository sameFolder(Optional<DatabaseIdentity> database) {
        return fake.forDatabase(database);
    }

    @Override
    protected void deleteRecordOfDatabase() {
        fake.forgetDatabase();
    }

    @Override
    protected void fill(StagedBackup staged, byte[] content) {
        fake.files().write(staged.file(), content);
    }

    @Override
    protected void copyInByHand(BackupName name, byte[] content) {
        fake.put(name, content, false);
    }

    @Override
    protected void writeSidecar(BackupName name, String content) {
        fake.writeSidecar(name, content);
    }

    @Override
    protected void tamper(BackupName name) {
        fake.tamper(name);
    }

    @Override
    protected void leaveLeftover() {
        fake.leaveLeftover();
    }

    @Override
    protected BackupRepository compressing() {
        return fake.compressing().forDatabase(Optional.empty());
    }

    @Override
    protected byte[] read(BackupName name) {
        return fake.files().read(fake.locate(name)).orElseThrow();
    }
}
