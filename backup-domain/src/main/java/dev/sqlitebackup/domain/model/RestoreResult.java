package dev.sqlitebackup.domain.model;

import java.nio.file.Path;

/**
 * A restore that happened: which backup went where, whether it replaced an existing database, how it was verified,
 * and whether it came from the off-site store.
 */
public record RestoreResult(Backup backup, Path target, boolean replaced, VerificationReport verification,
        boolean fromOffsite) {
}
