package dev.sqlitebackup.adapters.drive;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import com.google.auth.Retryable;
import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.Redaction;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one failed Drive call means: worth another try (and how soon the server wants it), or final. Messages are one
 * line and carry nothing secret: whatever a server's error body echoes (a bearer token, the token request's form) is
 * masked by {@link Redaction}.
 */
record DriveFailure(Kind kind, String summary, Optional<Duration> retryAfter) {

    enum Kind {
        /** 5xx, 429, 403 rate limits, connection resets, timeouts: try again after a pause. */
        TRANSIENT,
        /** The Drive is full: no retry helps. */
        QUOTA,
        /** The credentials were refused: run drive-auth again, or fix the service account. */
        AUTH,
        NOT_FOUND,
        /** Anything else: a retry would fail the same way. */
        FINAL
    }

    private static final Set<String> RATE_LIMIT_REASONS = Set.of("rateLimitExceeded", "userRateLimitExceeded");
    private static final Set<String> QUOTA_REASONS = Set.of("storageQuotaExceeded", "teamDriveFileLimitExceeded",
            "numChildrenInNonRootLimitExceeded");
    private static final int MAX_SUMMARY = 240;

    boolean retryable() {
        return kind == Kind.TRANSIENT;
    }

    static DriveFailure of(IOException e) {
        if (e instanceof LocalFileException local) {
            return new DriveFailure(Kind.FINAL, oneLine(local.getMessage()), Optional.empty());
        }
        if (e instanceof HttpResponseException response) {
            return ofResponse(response);
        }
        if (e instanceof Retryable auth) {
            // the token endpoint answered (or could not be reached) while getting an access token
            return new DriveFailure(auth.isRetryable() ? Kind.TRANSIENT : Kind.AUTH,
                    "getting an access token failed: " + oneLine(e.getMessage()), Optional.empty());
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return new DriveFailure(Kind.TRANSIENT, oneLine(e.getClass().getSimpleName() + message), Optional.empty());
    }

    private static DriveFailure ofResponse(HttpResponseException e) {
        int status = e.getStatusCode();
        String reason = "";
        String message = e.getStatusMessage() == null ? "" : e.getStatusMessage();
        if (e instanceof GoogleJsonResponseException json && json.getDetails() != null) {
            GoogleJsonError details = json.getDetails();
            List<GoogleJsonError.ErrorInfo> errors = details.getErrors();
            if (errors != null && !errors.isEmpty() && errors.get(0).getReason() != null) {
                reason = errors.get(0).getReason();
            }
            if (details.getMessage() != null) {
                message = details.getMessage();
            }
        }
        String summary = oneLine(status + (reason.isEmpty() ? "" : " " + reason) + ": " + message);
        Kind kind;
        if (QUOTA_REASONS.contains(reason)) {
            kind = Kind.QUOTA;
        } else if (status == 429 || status >= 500 || (status == 403 && RATE_LIMIT_REASONS.contains(reason))) {
            kind = Kind.TRANSIENT;
        } else if (status == 401) {
            kind = Kind.AUTH;
        } else if (status == 404) {
            kind = Kind.NOT_FOUND;
        } else {
            kind = Kind.FINAL;
        }
        return new DriveFailure(kind, summary, retryAfter(e.getHeaders()));
    }

    /** The one-line exception for the caller, e.g. "Drive: upload of backup-….db failed after 5 retries: 503 …". */
    BackupFailedException toException(String what, int retries) {
        String prefix = "Drive: " + what + " failed" + (retries > 0 ? " after " + retries + " retries" : "");
        String explanation = switch (kind) {
            case QUOTA -> "Drive storage quota exceeded (" + summary + ")";
            case AUTH -> "Drive refused the credentials (" + summary
                    + "); run drive-auth again or check the credentials file";
            default -> summary;
        };
        return new BackupFailedException(prefix + ": " + explanation);
    }

    /** Retry-After as seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        if (headers == null) {
            return Optional.empty();
        }
        String value = headers.getFirstHeaderStringValue("Retry-After");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        value = value.strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** One line of server text, secrets masked (an error body may echo the request's token or form), bounded. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String line = Redaction.redact(text.replaceAll("\\s+", " ").strip());
        return line.length() <= MAX_SUMMARY ? line : line.substring(0, MAX_SUMMARY) + "…";
    }
}
