/**
 * Adapter: pings a dead man's switch (healthchecks.io, Uptime Kuma push monitors, Cronitor) over HTTP when a run
 * begins and ends.
 */
package dev.sqlitebackup.adapters.heartbeat;
