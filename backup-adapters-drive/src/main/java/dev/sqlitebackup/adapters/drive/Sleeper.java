package dev.sqlitebackup.adapters.drive;

import java.time.Duration;

/** Waits between retries; tests pass one that only records the delays. */
@FunctionalInterface
interface Sleeper {

    Sleeper REAL = delay -> Thread.sleep(delay.toMillis());

    void sleep(Duration delay) throws InterruptedException;
}
