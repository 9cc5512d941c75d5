package dev.sqlitebackup.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A backup retention must keep, whatever the policy says, until {@code until} or until it is unpinned: the copy from
 * before a table lost most of its rows, or from before a migration ({@code exec}). {@code reason} says why, for
 * {@code list} and the owner.
 */
public record Pin(BackupName backup, Instant until, String reason) {

    public Pin {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank() || reason.contains("\n") || reason.contains("\r")) {
            throw new IllegalArgumentException("a pin's reason is one line of text, got '" + reason + "'");
        }
    }

    /** Whether the pin still protects its backup at {@code now}. */
    public boolean holdsAt(Instant now) {
        return now.isBefore(until);
    }
}
