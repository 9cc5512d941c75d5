package dev.sqlitebackup.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.sqlitebackup.app.logging.LogFormat;
import ch.qos.logback.core.pattern.CompositeConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.sqlitebackup.domain.model.Redaction;
import java.nio.charset.StandardCharsets;

/**
 * Logging set up in code rather than by logback.xml: warnings and errors on stderr, quiet by default ({@code -v}
 * switches the root logger to DEBUG in {@link Main}), plain or JSON ({@code --log-format}, {@link LogFormat}). Code, because parsing XML costs a few hundred milliseconds at
 * every start, which a backup tool run from cron pays every time.
 */
public final class QuietLogging extends ContextAwareBase implements Configurator {

    private static final String APPENDER = "STDERR";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(context));
        stderr.start();

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Makes the stderr appender write in the process's {@link LogFormat} (chosen after logging was set up). */
    public static void useCurrentFormat(LoggerContext context) {
        ch.qos.logback.core.Appender<ILoggingEvent> appender =
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
        if (appender instanceof ConsoleAppender<ILoggingEvent> stderr) {
            stderr.stop();
            stderr.setEncoder(encoder(context));
            stderr.start();
        }
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context) {
        if (LogFormat.current() == LogFormat.JSON) {
            return LogFormat.jsonEncoder(context);
        }
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        // every message and stack trace, the libraries' too, passes through the one redaction function
        layout.getInstanceConverterMap().put("redacted", Redacted::new);
        layout.setPattern((LogFormat.plainLinesStamped() ? "%d{HH:mm:ss.SSS} " : "")
                + "%-5level %logger{0}: %redacted(%msg%n%ex)");
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }

    /** {@code %redacted(...)}: its content with secrets masked ({@link Redaction}). */
    public static final class Redacted extends CompositeConverter<ILoggingEvent> {
        @Override
        protected String transform(ILoggingEvent event, String in) {
            return Redaction.redact(in);
        }
    }
}
