package dev.sqlitebackup.adapters.sqlite;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What some classes log while open: one at every level, debug included (the raw copy says at debug why it paced,
 * restarted or laid frames over the file), the others at their own levels. Levels are put back on close.
 */
final class CapturedLogs implements AutoCloseable {

    private final Logger debugLogger;
    private final Level debugLoggerLevel;
    private final List<Logger> loggers = new ArrayList<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(Class<?> debug, Class<?>... others) {
        debugLogger = (Logger) LoggerFactory.getLogger(debug);
        debugLoggerLevel = debugLogger.getLevel();
        loggers.add(debugLogger);
        for (Class<?> other : others) {
            loggers.add((Logger) LoggerFactory.getLogger(other));
        }
        appender.start();
        loggers.forEach(logger -> logger.addAppender(appender));
        debugLogger.setLevel(Level.DEBUG);
    }

    /** Captures what {@code debug} logs at every level, and what {@code others} log at their own levels. */
    static CapturedLogs of(Class<?> debug, Class<?>... others) {
        return new CapturedLogs(debug, others);
    }

    List<ILoggingEvent> events() {
        return appender.list;
    }

    @Override
    public void close() {
        loggers.forEach(logger -> logger.detachAppender(appender));
        debugLogger.setLevel(debugLoggerLevel);
        appender.stop();
    }
}
