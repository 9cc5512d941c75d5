/** Filesystem adapters: the local backup folder and the place a restored database is written. */
package dev.sqlitebackup.adapters.filesystem;
