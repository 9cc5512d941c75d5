/**
 * Google Drive adapter: verified, resumable off-site copies of finished backups in one Drive folder
 * ({@link dev.sqlitebackup.adapters.drive.DriveRemoteBackupStore}), configured by
 * {@link dev.sqlitebackup.adapters.drive.DriveSettings}, authorised once by
 * {@link dev.sqlitebackup.adapters.drive.DriveConsent}.
 */
package dev.sqlitebackup.adapters.drive;
