package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.domain.model.DatabaseInUseException;
import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.NoOffsiteStoreException;
import dev.sqlitebackup.domain.model.RestoreTargetExistsException;

/**
 * The domain says what is wrong; only the command line knows its flags and settings, so it adds what the user can do
 * about it here.
 */
final class Remedies {

    /** The setting that configures the off-site store (Drive). */
    static final String OFFSITE_SETTING = "GOOGLE_DRIVE_CREDENTIALS";
    /** The setting that names the private keys encrypted copies are read back with. */
    static final String IDENTITY_SETTING = "AGE_IDENTITY_FILE";

    private Remedies() {
    }

    /** The failure's message, with the remedy in this command line's terms when there is one. */
    static String messageOf(Exception failure) {
        if (failure instanceof RestoreTargetExistsException) {
            return failure.getMessage() + " without --force";
        }
        if (failure instanceof DatabaseInUseException inUse) {
            return inUse.messageWith("add --even-if-open");
        }
        if (failure instanceof NoMatchingIdentityException noKey) {
            return "no identity in " + IDENTITY_SETTING + " matches " + noKey.storedName();
        }
        if (failure instanceof NoOffsiteStoreException) {
            return failure.getMessage() + ": set " + OFFSITE_SETTING;
        }
        return failure.getMessage();
    }
}
