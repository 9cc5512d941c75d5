package dev.sqlitebackup.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.DatabaseInUseException;
import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.NoOffsiteStoreException;
import dev.sqlitebackup.domain.model.RestoreTargetExistsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The domain says what is wrong; the command line's lines, with their remedies, are what users always saw. */
class RemediesTest {

    private static final Path DB = Path.of("/srv/app/app.db");

    @Test
    void anExistingRestoreTarget_namesForce() {
        assertThat(Remedies.messageOf(new RestoreTargetExistsException(DB)))
                .isEqualTo("/srv/app/app.db exists; restore will not overwrite it without --force");
    }

    @Test
    void aDatabaseInUse_namesEvenIfOpen_asTheWayToLoseTheWrites() {
        assertThat(Remedies.messageOf(new DatabaseInUseException(DB, "pid 1234 (java)"))).isEqualTo(
                "/srv/app/app.db is open in another process (pid 1234 (java)): restoring over it would lose every "
                        + "write that process makes afterwards; stop it first (or add --even-if-open to lose them), "
                        + "nothing restored");
    }

    @Test
    void noOffsiteStore_namesTheSettingThatConfiguresOne() {
        assertThat(Remedies.messageOf(new NoOffsiteStoreException()))
                .isEqualTo("no off-site store is configured: set GOOGLE_DRIVE_CREDENTIALS");
    }

    @Test
    void noMatchingIdentity_namesTheSettingThatHoldsTheKeys() {
        assertThat(Remedies.messageOf(new NoMatchingIdentityException("backup-2026-11-26-030000.db.zst.age")))
                .isEqualTo("no identity in AGE_IDENTITY_FILE matches backup-2026-11-26-030000.db.zst.age");
    }

    @Test
    void otherFailures_areAsTheDomainSaysThem() {
        assertThat(Remedies.messageOf(new BackupFailedException("disk full"))).isEqualTo("disk full");
    }
}
