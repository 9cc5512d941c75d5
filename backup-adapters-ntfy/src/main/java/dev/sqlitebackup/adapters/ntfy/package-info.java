/**
 * ntfy adapter: tells the owner how each run went. A {@link dev.sqlitebackup.adapters.ntfy.NtfyNotifier} is built
 * from typed, self-checking {@link dev.sqlitebackup.adapters.ntfy.NtfySettings}; the app reads them from its settings.
 */
package dev.sqlitebackup.adapters.ntfy;
