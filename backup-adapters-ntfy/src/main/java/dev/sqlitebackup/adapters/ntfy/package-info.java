/**
 * ntfy adapter: tells the owner how each run went. Build {@link dev.sqlitebackup.adapters.ntfy.NtfySettings} from the
 * {@code NTFY_*} configuration, then a {@link dev.sqlitebackup.adapters.ntfy.NtfyNotifier} from the settings.
 */
package dev.sqlitebackup.adapters.ntfy;
