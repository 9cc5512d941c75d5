package dev.sqlitebackup.adapters.ntfy;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.sqlitebackup.domain.model.DriftAlert;
import dev.sqlitebackup.domain.model.DrillFailure;
import dev.sqlitebackup.domain.model.Redaction;
import dev.sqlitebackup.domain.model.RunReport;
import dev.sqlitebackup.domain.model.RunSummary;
import dev.sqlitebackup.domain.port.out.Notifier;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapter: tells the owner how each run went by publishing it to an ntfy topic.
 *
 * <p>Publishes ntfy's JSON form (POST to the server root) so non-ASCII titles and bodies arrive intact. A notification
 * never fails the run: it makes at most {@code maxAttempts} attempts, retrying on connection errors, timeouts, 429 and
 * 5xx with exponential backoff (or the server's {@code Retry-After} when longer), and gives up within
 * {@link NtfySettings#timeLimit()}. Every failure is logged as one warning; the token and password are never logged.
 */
public final class NtfyNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(NtfyNotifier.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int ERROR_BODY_PEEK = 2048;

    private final NtfySettings settings;
    private final OkHttpClient client;
    private final HttpUrl publishUrl;
    private final Optional<String> authorization;
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();
    private final Sleeper sleeper;

    public NtfyNotifier(NtfySettings settings) {
        this(settings, Sleeper.REAL);
    }

    /** With {@code sleeper} waiting between attempts, so tests need not wait. */
    NtfyNotifier(NtfySettings settings, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.client = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(settings.attemptLimit())
                // The attempts are counted here, so the bound holds; okhttp must not add silent retries of its own.
                .retryOnConnectionFailure(false)
                // A redirected POST turns into a GET and would lose the message; better to say so.
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
        HttpUrl server = HttpUrl.get(settings.server());
        // ntfy takes JSON at its root; a server behind a path prefix has its root at that path.
        this.publishUrl = server.encodedPath().endsWith("/")
                ? server : server.newBuilder().addPathSegment("").build();
        this.authorization = settings.token().map(token -> "Bearer " + token)
                .or(() -> settings.user().map(user ->
                        Credentials.basic(user, settings.password().orElseThrow(), StandardCharsets.UTF_8)));
    }

    /**
     * Publishes the run's report. Returns whether ntfy accepted it; with {@code NTFY_NOTIFY=failure} a successful
     * run is not sent and counts as delivered (true), since nothing was due. Never throws.
     */
    @Override
    public boolean notify(RunReport report) {
        try {
            if (settings.failuresOnly() && report.outcome() == RunReport.Outcome.SUCCESS) {
                log.debug("ntfy: successful run not sent (only failures are sent)");
                return true;
            }
            return publish(NtfyMessage.forRun(report, settings.topic(), settings.clock().getZone()));
        } catch (RuntimeException | LinkageError e) {
            // A broken notification must never break the backup that it reports on.
            log.warn("ntfy notification to {} not sent: {}", target(), Redaction.redact(e.toString()));
            return false;
        }
    }

    /**
     * Publishes the summary of a run over many databases as one message. With {@code NTFY_NOTIFY=failure} it is sent
     * only when a database failed (and counts as delivered otherwise). Never throws.
     */
    @Override
    public boolean notify(RunSummary summary) {
        try {
            if (settings.failuresOnly() && summary.failed().isEmpty()) {
                log.debug("ntfy: summary of a run without failures not sent (only failures are sent)");
                return true;
            }
            return publish(NtfyMessage.forSummary(summary, settings.topic()));
        } catch (RuntimeException | LinkageError e) {
            log.warn("ntfy summary to {} not sent: {}", target(), Redaction.redact(e.toString()));
            return false;
        }
    }

    /** Drift: a table shrank or is gone, the previous backup pinned; with high priority, whatever NTFY_NOTIFY says. */
    @Override
    public boolean notify(DriftAlert alert) {
        try {
            return publish(NtfyMessage.forDrift(alert, settings.topic(), settings.clock().getZone()));
        } catch (RuntimeException | LinkageError e) {
            log.warn("ntfy drift alert to {} not sent: {}", target(), Redaction.redact(e.toString()));
            return false;
        }
    }

    /** A failed restore drill, with high priority, whatever {@code NTFY_NOTIFY} says (it is a failure). */
    @Override
    public boolean notify(DrillFailure failure) {
        try {
            return publish(NtfyMessage.forDrill(failure, settings.topic()));
        } catch (RuntimeException | LinkageError e) {
            log.warn("ntfy drill failure to {} not sent: {}", target(), Redaction.redact(e.toString()));
            return false;
        }
    }

    /**
     * Sends one clearly-labelled test message, whatever {@code NTFY_NOTIFY} says, and returns whether ntfy accepted
     * it; why not is logged as a warning. For {@code sqlite-backup notify-test}. Never throws.
     */
    public boolean sendTest() {
        try {
            boolean delivered = publish(
                    NtfyMessage.test(settings.topic(), settings.clock().instant(), settings.clock().getZone()));
            if (delivered) {
                log.info("ntfy test message delivered to {}", target());
            }
            return delivered;
        } catch (RuntimeException | LinkageError e) {
            log.warn("ntfy test message to {} not sent: {}", target(), Redaction.redact(e.toString()));
            return false;
        }
    }

    private boolean publish(NtfyMessage message) {
        long deadline = System.nanoTime() + settings.timeLimit().toNanos();
        RequestBody body = RequestBody.create(gson.toJson(message).getBytes(StandardCharsets.UTF_8), JSON);
        Request.Builder request = new Request.Builder().url(publishUrl).post(body);
        authorization.ifPresent(value -> request.header("Authorization", value));
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            Attempt result = attempt(request.build(), remaining(deadline));
            if (result.delivered()) {
                return true;
            }
            if (!result.retryable() || attempt >= settings.maxAttempts()) {
                return giveUp(attempt, result.problem());
            }
            Duration wait = longer(backoff, result.retryAfter().orElse(Duration.ZERO));
            if (wait.compareTo(remaining(deadline)) >= 0) {
                return giveUp(attempt, result.problem() + "; waiting " + HumanUnits.duration(wait)
                        + " to retry would exceed the notification time limit of "
                        + HumanUnits.duration(settings.timeLimit()));
            }
            log.debug("ntfy attempt {} of {} failed ({}); retrying in {}", attempt, settings.maxAttempts(),
                    Redaction.redact(result.problem()), HumanUnits.duration(wait));
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return giveUp(attempt, result.problem() + "; interrupted while waiting to retry");
            }
            backoff = backoff.multipliedBy(2);
        }
    }

    private Attempt attempt(Request request, Duration remaining) {
        if (remaining.isNegative() || remaining.isZero()) {
            return Attempt.failed("the notification time limit was reached", false);
        }
        Call call = client.newCall(request);
        // The last attempt gets only what is left of the overall limit.
        Duration limit = remaining.compareTo(settings.attemptLimit()) < 0 ? remaining : settings.attemptLimit();
        call.timeout().timeout(limit.toNanos(), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            int code = response.code();
            if (response.isSuccessful()) {
                return Attempt.DELIVERED;
            }
            String problem = "HTTP " + code + serverError(response);
            if (code == 429 || code == 503) {
                return new Attempt(false, true, problem, retryAfter(response.header("Retry-After")));
            }
            if (code >= 500 || code == 408) {
                return Attempt.failed(problem, true);
            }
            if (code >= 300 && code < 400) {
                return Attempt.failed(problem + ", redirected to " + response.header("Location")
                        + "; use the final address as the ntfy server URL", false);
            }
            return Attempt.failed(problem, false);
        } catch (IOException e) {
            boolean interrupted = Thread.currentThread().isInterrupted();
            return Attempt.failed(describe(e), !interrupted);
        }
    }

    private boolean giveUp(int attempts, String problem) {
        // the server's answer may echo what it was sent (the Authorization header, a URL's password)
        log.warn("ntfy notification to {} not delivered after {} {}: {}", target(), attempts,
                attempts == 1 ? "attempt" : "attempts", Redaction.redact(problem));
        return false;
    }

    /** ntfy answers errors with {"code":40101,"http":401,"error":"unauthorized",...}: show its error text. */
    private static String serverError(Response response) {
        String text;
        try {
            text = response.peekBody(ERROR_BODY_PEEK).string().strip();
        } catch (IOException e) {
            return "";
        }
        if (text.isEmpty()) {
            return response.message().isEmpty() ? "" : " " + response.message();
        }
        try {
            JsonElement json = JsonParser.parseString(text);
            if (json.isJsonObject() && json.getAsJsonObject().has("error")) {
                return " " + json.getAsJsonObject().get("error").getAsString();
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException notJson) {
            // not ntfy's error form: show the start of the text instead
        }
        String line = text.lines().findFirst().orElse("");
        return " " + (line.length() > 120 ? line.substring(0, 120) + "…" : line);
    }

    /** Retry-After is either seconds or an HTTP date; empty when absent or unreadable. */
    private Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(settings.clock().instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        if (e instanceof InterruptedIOException) {
            return "timed out or interrupted (" + e.getMessage() + ")";
        }
        if (e instanceof ConnectException) {
            return "cannot connect (" + e.getMessage() + ")";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    /** Where messages go, for log lines: the server and topic, never the credentials. */
    private String target() {
        return publishUrl + " topic " + settings.topic();
    }

    private record Attempt(boolean delivered, boolean retryable, String problem, Optional<Duration> retryAfter) {
        static final Attempt DELIVERED = new Attempt(true, false, "", Optional.empty());

        static Attempt failed(String problem, boolean retryable) {
            return new Attempt(false, retryable, problem, Optional.empty());
        }
    }
}
