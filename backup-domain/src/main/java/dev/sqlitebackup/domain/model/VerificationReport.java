package dev.sqlitebackup.domain.model;

/**
 * The verdict on one stored backup: checksum and SQLite integrity. A missing sidecar is reported, not failed; a
 * damaged one, a mismatch or a backup that cannot be read fails.
 */
public record VerificationReport(Backup backup, ChecksumCheck checksum, IntegrityReport integrity) {
    public boolean ok() {
        return checksum.passed() && integrity.ok();
    }

    public String summary() {
        return (ok() ? "ok     " : "FAILED ") + backup.storedName() + ": " + checksum.summary() + ", " + integrity.summary();
    }
}
