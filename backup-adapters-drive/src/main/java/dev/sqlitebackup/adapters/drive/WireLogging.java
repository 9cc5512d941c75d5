package dev.sqlitebackup.adapters.drive;

import com.google.api.client.http.HttpTransport;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the HTTP wire logs (java.util.logging, level CONFIG and below) off, as soon as anyone turns debug logging on
 * (e.g. a JUL-to-SLF4J bridge propagating a DEBUG root level): the Google HTTP client's would print the token
 * endpoint's request and response bodies (refresh token, client secret, access token) and, at level ALL, the
 * Authorization header; the JDK's HttpURLConnection prints every request header at FINE, the Bearer token included.
 * Our own requests turn the Google one off per request as well; google-auth-library's token requests and the JDK
 * cannot be told, so the loggers themselves are held quiet. The tool logs its own secret-free account of each Drive
 * step instead.
 */
final class WireLogging {

    // held strongly: java.util.logging forgets the settings of loggers nobody references
    private static final List<Logger> WIRE = List.of(
            Logger.getLogger(HttpTransport.class.getName()),
            Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection"));

    private WireLogging() {
    }

    static synchronized void keepSecretsOut() {
        for (Logger logger : WIRE) {
            if (logger.getLevel() == null || logger.getLevel().intValue() < Level.INFO.intValue()) {
                logger.setLevel(Level.INFO);
            }
            // the level can be lowered again by logging configuration; the filter still drops wire records
            logger.setFilter(record -> record.getLevel().intValue() > Level.CONFIG.intValue());
        }
    }
}
