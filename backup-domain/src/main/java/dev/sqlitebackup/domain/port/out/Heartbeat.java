package dev.sqlitebackup.domain.port.out;

/**
 * Out-port: a dead man's switch outside the machine (healthchecks.io and the like). Pinged when a run begins and when
 * it ends, so that the monitor raises the alarm when no ping comes at all: the machine is off, the daemon died, the
 * disk is gone. Never fails or noticeably delays the run it reports on.
 */
public interface Heartbeat {

    /** No heartbeat is configured: nothing is sent. */
    Heartbeat OFF = new Heartbeat() {
        @Override
        public boolean started() {
            return true;
        }

        @Override
        public boolean ended(boolean succeeded, String summary) {
            return true;
        }
    };

    /** A run begins. Returns whether the ping was delivered (or none was due). Never throws; bounded in time. */
    boolean started();

    /**
     * A run ended: {@code succeeded} when everything it was to do succeeded; {@code summary} is its one-line result.
     * Returns whether the ping was delivered. Never throws; bounded in time.
     */
    boolean ended(boolean succeeded, String summary);
}
