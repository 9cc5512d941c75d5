package dev.sqlitebackup.adapters.ntfy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What {@link NtfyNotifier} logs while open, at every level (debug included, to prove secrets stay out of it). */
final class CapturedLogs implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(NtfyNotifier.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previousLevel = logger.getLevel();

    CapturedLogs() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    List<String> warnings() {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Every line at every level, with any attached exception's text. */
    String everything() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent event : appender.list) {
            all.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                all.append(event.getThrowableProxy().getMessage()).append('\n');
            }
        }
        return all.toString();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        appender.stop();
    }
}
