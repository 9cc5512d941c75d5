/** SQLite adapters: consistent snapshots of a live database and integrity checks of copies, via sqlite-jdbc. */
package dev.sqlitebackup.adapters.sqlite;
