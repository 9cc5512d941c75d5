package dev.sqlitebackup.domain.port.in;

import dev.sqlitebackup.domain.model.BackupStatus;

/** In-port: where the backups stand, for people and for monitoring. Never fails on an unreadable log. */
public interface CheckStatusUseCase {

    BackupStatus status();
}
