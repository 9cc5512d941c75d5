package dev.sqlitebackup.domain.model;

import java.nio.file.Path;

/** A restore that happened: which backup went where, and whether it replaced an existing database. */
public record RestoreResult(Backup backup, Path target, boolean replaced, VerificationReport verification) {
}
