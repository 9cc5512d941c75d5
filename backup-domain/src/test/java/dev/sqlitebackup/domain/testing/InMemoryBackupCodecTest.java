package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;

/** The in-memory codec passes the same contract as the real zstd and age codec. */
class InMemoryBackupCodecTest extends BackupCodecContract {

    private static final String KEY = "owner-key";

    @Override
    protected BackupCodec codec(StoredForm form) {
        return switch (form) {
            case PLAIN -> InMemoryBackupCodec.plain(KEY);
            case ZSTD -> InMemoryBackupCodec.compressed(KEY);
            case AGE, ZSTD_AGE -> InMemoryBackupCodec.encryptedTo(form, KEY, KEY);
        };
    }

    @Override
    protected BackupCodec codecWithAnotherIdentity() {
        return InMemoryBackupCodec.plain("someone-elses-key");
    }

    @Override
    protected BackupCodec codecWithoutIdentity() {
        return InMemoryBackupCodec.plain();
    }
}
