package dev.sqlitebackup.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.sqlitebackup.domain.model.Redaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * How log lines look ({@code --log-format}): plain text, or one JSON object per line from logback's JSON encoder.
 * One setting for the whole process, chosen before the command runs, so that the libraries' log lines and the
 * daemon's own lines ({@link #line}) follow the same rule. Under journald ({@code JOURNAL_STREAM} set), plain lines
 * carry no timestamp of their own: journald stamps every line, and two timestamps per line are noise.
 */
public enum LogFormat {
    PLAIN, JSON;

    /** The name the daemon's own lines are logged under in JSON. */
    public static final String DAEMON_LOGGER = "sqlite-backup.daemon";

    private static volatile LogFormat current = PLAIN;
    private static volatile boolean journald;

    /** The format {@code value} names ({@code plain} or {@code json}); empty when it names none. */
    public static Optional<LogFormat> named(String value) {
        for (LogFormat f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(value)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The value of {@code --log-format} among {@code args} (before a {@code --}: what follows belongs to exec's
     * command), as given; empty when absent. A missing value is given as the empty string.
     */
    public static Optional<String> given(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--log-format")) {
                return Optional.of(i + 1 < args.size() ? args.get(i + 1) : "");
            }
            if (arg.startsWith("--log-format=")) {
                return Optional.of(arg.substring("--log-format=".length()));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code env} says stderr and stdout go to journald (systemd sets {@code JOURNAL_STREAM} then). */
    public static boolean underJournald(Map<String, String> env) {
        String stream = env.get("JOURNAL_STREAM");
        return stream != null && !stream.isBlank();
    }

    /** Makes {@code format} the process's format, with journald's timestamps or without them. */
    public static void use(LogFormat format, boolean underJournald) {
        current = format;
        journald = underJournald;
    }

    public static LogFormat current() {
        return current;
    }

    /** Whether plain lines carry their own timestamp (not under journald, which adds its own). */
    public static boolean plainLinesStamped() {
        return !journald;
    }

    /** How the daemon's own lines show their time, in plain text: {@code 2026-11-26 03:00:01 +01:00}. */
    public static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    /** {@link #line(Instant, String, boolean, String)} with the time shown in {@code zone}. */
    public static String line(Instant at, ZoneId zone, boolean warning, String text) {
        return line(at, LOCAL_TIME.format(at.atZone(zone)), warning, text);
    }

    /**
     * One line the daemon writes itself, without its line end: in JSON, the object logback's JSON encoder makes of
     * it (logger {@value #DAEMON_LOGGER}, level INFO or WARN); in plain text {@code localTime text}, or {@code text}
     * alone under journald. The text is redacted either way.
     */
    public static String line(Instant at, String localTime, boolean warning, String text) {
        String redacted = Redaction.redact(text);
        if (current == PLAIN) {
            return journald ? redacted : localTime + " " + redacted;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LoggingEvent event = new LoggingEvent(LogFormat.class.getName(), context.getLogger(DAEMON_LOGGER),
                warning ? Level.WARN : Level.INFO, redacted, null, null);
        event.setInstant(at);
        return encode(jsonEncoder(context), event).stripTrailing();
    }

    /** Logback's JSON encoder, its output passed through the one redaction function as the plain layout's is. */
    public static JsonEncoder jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new Redacting();
        encoder.setContext(context);
        // the message as read ("formattedMessage") beside logback's pattern and arguments; not the logger
        // context's name and birth, the same on every line of the process
        encoder.setWithFormattedMessage(true);
        encoder.setWithContext(false);
        encoder.start();
        return encoder;
    }

    private static String encode(JsonEncoder encoder, ILoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    /** {@link JsonEncoder} whose every line (message, stack trace, arguments) is redacted. */
    private static final class Redacting extends JsonEncoder {
        @Override
        public byte[] encode(ILoggingEvent event) {
            return Redaction.redact(new String(super.encode(event), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
