package dev.sqlitebackup.adapters.ntfy;

import java.time.Duration;

/** Waits between attempts; tests pass one that only records the delays. */
@FunctionalInterface
interface Sleeper {

    Sleeper REAL = delay -> Thread.sleep(delay.toMillis());

    void sleep(Duration delay) throws InterruptedException;
}
