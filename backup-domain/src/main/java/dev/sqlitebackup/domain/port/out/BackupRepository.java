package dev.sqlitebackup.domain.port.out;

import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.ChecksumCheck;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.model.Pin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Out-port: where finished backups live. Only files whose whole name is a {@link BackupName} are backups; nothing
 * else there is ever touched. A file with a backup name is always complete and has its correct sidecar.
 *
 * <p>A folder holds the backups of one database. A repository built for a database records it in the folder with
 * the first backup it publishes there (a folder that records none, new or made before folders recorded it, is adopted
 * so), and refuses with a {@link dev.sqlitebackup.domain.model.ForeignBackupFolderException}, before it creates,
 * reads, changes or deletes anything, to work in a folder that records another database: {@link #prepare},
 * the locks of {@link #folderLock}, {@link #sweepLeftovers}, {@link #publish}, {@link #list}, {@link #find},
 * {@link #checkChecksum} and {@link #delete}. A repository built for no database works on whatever the folder holds
 * and records nothing.
 */
public interface BackupRepository {

    /** Where the backups are, for messages. */
    String describe();

    /** Whether the folder exists yet (reading commands never create it). */
    boolean exists();

    /**
     * The database whose backups these are: the one this repository was built for, or else the one the folder
     * records; empty when neither is known. Never creates anything.
     *
     * @throws dev.sqlitebackup.domain.model.ForeignBackupFolderException when the folder records another database
     *                                                                    than the one this repository is for
     */
    Optional<DatabaseIdentity> database();

    /**
     * Makes the folder ready to take backups: created if missing (owner-only), its scratch space too. Returns what
     * it had to create, so that a run that fails before publishing anything can {@link #undo} exactly that.
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when it is not a directory or not writable
     */
    Preparation prepare();

    /**
     * Removes what {@link #prepare()} created, for a run that failed before it published anything: its own lock
     * file and the folders it made, each only when nothing else is in it, so a folder holding anything else stays
     * as it is. Call while holding the lock. Never fails and never follows a symlink.
     */
    void undo(Preparation preparation);

    /**
     * The locks of this folder: a run takes the run lock before {@link #sweepLeftovers}, {@link #publish},
     * {@link #delete} or {@link #undo}; a daemon holds the daemon lock for its life. Creates nothing by itself.
     */
    BackupFolderLock folderLock();

    /** Removes what an interrupted run left in the scratch space; returns how many files. Call under the lock. */
    int sweepLeftovers();

    /** A new, empty scratch file to write a backup into. */
    StagedBackup stage();

    /**
     * Reads a finished staged copy once and records its SHA-256 in the returned value, so that {@link #publish}
     * need not read it again; safe to run while the copy is integrity-checked, as both only read it.
     */
    StagedBackup checksum(StagedBackup staged);

    /**
     * Makes a verified staged copy a backup: checksum, sidecar, owner-only mode, durably on disk, then the name of
     * {@code takenAt}, or the next free second after it (in any form): an existing backup is never overwritten. The
     * repository stores it in its own form: as it is, or compressed (then the sidecar checks the stored file and
     * keeps the staged copy's SHA-256 as the database's).
     */
    Backup publish(StagedBackup staged, Instant takenAt);

    /**
     * {@link #publish(StagedBackup, Instant)}, with {@code notes} as comment lines ({@code # ...}) of the sidecar,
     * which {@code sha256sum} skips: what the backup holds, e.g. its tables' row counts. A repository without
     * sidecar notes publishes as the plain method does.
     */
    default Backup publish(StagedBackup staged, Instant takenAt, List<String> notes) {
        return publish(staged, takenAt);
    }

    /** Removes a staged copy that will not become a backup. Never fails. */
    void discard(StagedBackup staged);

    /**
     * The plain database of a compressed backup, decoded into a new scratch file whose SHA-256 and size are
     * recorded; {@link #discard} it when done. Nothing in the folder changes.
     *
     * @throws dev.sqlitebackup.domain.model.BackupFailedException naming the stored file when it cannot be read or
     *                                                             is damaged or cut short
     */
    StagedBackup expand(Backup backup);

    /**
     * The backups, newest first, one per timestamp whatever the form it is stored in (a folder may hold both), each
     * with what its sidecar says.
     */
    List<Backup> list();

    Optional<Backup> find(BackupName name);

    /** Where a backup's stored file is, in whatever form it is stored, for reading. */
    Path locate(BackupName name);

    /**
     * Reads the backup's stored file and compares its SHA-256 with what its sidecar says: a sidecar that exists but is not exactly
     * one {@code sha256sum} line for exactly this backup is {@link dev.sqlitebackup.domain.model.Sidecar.Damaged},
     * never taken for a missing one.
     *
     * @throws dev.sqlitebackup.domain.model.BackupFailedException when the backup cannot be read
     */
    ChecksumCheck checkChecksum(BackupName name);

    /**
     * Deletes a backup, in every form it is stored in, then its sidecar (so a crash in between never leaves a backup
     * without one).
     */
    void delete(BackupName name);

    /**
     * The folder's pins, expired ones included (each holds for retention only while {@link Pin#holdsAt} says so), in
     * backup order; none for a folder that does not exist. A pin that cannot be read is returned as holding forever,
     * its reason saying so: a damaged pin never lets retention delete its backup.
     */
    List<Pin> pins();

    /**
     * Pins a backup of this folder: retention keeps it until {@code pin.until()} or {@link #unpin}. A backup already
     * pinned keeps the later of the two times, with the reason of the pin that lasts longer. Durable on return.
     *
     * @throws dev.sqlitebackup.domain.model.InvalidInputException when the folder has no such backup
     */
    void pin(Pin pin);

    /** Removes the backup's pin, durably; the pin that was removed, empty when it had none. */
    Optional<Pin> unpin(BackupName name);

    /** The folders {@link #prepare()} created, outermost first; none when the folder was ready already. */
    record Preparation(List<Path> createdFolders) {
        public static final Preparation NOTHING_CREATED = new Preparation(List.of());

        public Preparation {
            createdFolders = List.copyOf(createdFolders);
        }

        public boolean createdAnything() {
            return !createdFolders.isEmpty();
        }
    }
}
