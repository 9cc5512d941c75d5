package dev.sqlitebackup.adapters.ntfy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the delays asked for instead of waiting them out. */
final class RecordingSleeper implements Sleeper {

    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration delay) {
        delays.add(delay);
    }

    List<Duration> delays() {
        return List.copyOf(delays);
    }
}
