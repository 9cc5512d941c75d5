package dev.sqlitebackup.adapters.codec;

import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import dev.sqlitebackup.domain.testing.BackupCodecContract;
import java.util.List;

/** The real zstd and age codec passes the contract its in-memory fake passes. */
class ZstdAgeBackupCodecContractTest extends BackupCodecContract {

    private static final TestKeys.Pair OWNER = TestKeys.newPair();
    private static final TestKeys.Pair SOMEONE_ELSE = TestKeys.newPair();

    @Override
    protected BackupCodec codec(StoredForm form) {
        return new ZstdAgeBackupCodec(new CodecSettings(form.compressed(), CodecSettings.DEFAULT_LEVEL,
                form.encrypted() ? List.of(OWNER.recipient()) : List.of(), List.of(OWNER.identity())));
    }

    @Override
    protected BackupCodec codecWithAnotherIdentity() {
        return new ZstdAgeBackupCodec(new CodecSettings(true, CodecSettings.DEFAULT_LEVEL,
                List.of(SOMEONE_ELSE.recipient()), List.of(SOMEONE_ELSE.identity())));
    }

    @Override
    protected BackupCodec codecWithoutIdentity() {
        return new ZstdAgeBackupCodec(new CodecSettings(true, CodecSettings.DEFAULT_LEVEL,
                List.of(OWNER.recipient()), List.of()));
    }
}
