package dev.sqlitebackup.adapters.heartbeat;

import dev.sqlitebackup.domain.model.Redaction;
import dev.sqlitebackup.domain.port.out.Heartbeat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapter: heartbeats over HTTP in healthchecks.io's convention: a GET of {@code URL/start} when a run begins (unless
 * off), a POST of the run's one-line summary to {@code URL} when it succeeded and to {@code URL/fail} when it did
 * not. Each ping makes at most {@link HeartbeatSettings#maxAttempts()} attempts (retrying connection errors,
 * timeouts, 408, 429 and 5xx, with a doubling backoff) within {@link HeartbeatSettings#timeLimit()}, then gives up
 * with one warning that names only the monitor's host: the URL's path is the secret that lets anyone ping the check.
 */
public final class HttpHeartbeat implements Heartbeat {

    private static final Logger log = LoggerFactory.getLogger(HttpHeartbeat.class);
    private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
    /** healthchecks.io keeps the first 100 kB of a ping's body; a summary is one line. */
    private static final int MAX_BODY_CHARS = 10_000;

    /** Waits between attempts; tests pass one that only records the delays. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper REAL = delay -> Thread.sleep(delay.toMillis());

        void sleep(Duration delay) throws InterruptedException;
    }

    private final HeartbeatSettings settings;
    private final OkHttpClient client;
    private final Sleeper sleeper;
    private final String userAgent;

    public HttpHeartbeat(HeartbeatSettings settings, String userAgent) {
        this(settings, userAgent, Sleeper.REAL);
    }

    HttpHeartbeat(HeartbeatSettings settings, String userAgent, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        Duration attempt = settings.timeLimit().dividedBy(settings.maxAttempts());
        this.client = new OkHttpClient.Builder()
                .connectTimeout(attempt)
                .readTimeout(attempt)
                .writeTimeout(attempt)
                // the attempts are counted here, so the bound holds
                .retryOnConnectionFailure(false)
                .build();
    }

    @Override
    public boolean started() {
        if (!settings.pingStart()) {
            return true;
        }
        return ping("start", settings.start(), new Request.Builder().get());
    }

    @Override
    public boolean ended(boolean succeeded, String summary) {
        String text = Redaction.redact(summary == null ? "" : summary.strip());
        if (text.length() > MAX_BODY_CHARS) {
            text = text.substring(0, MAX_BODY_CHARS) + "…";
        }
        RequestBody body = RequestBody.create(text.getBytes(StandardCharsets.UTF_8), TEXT);
        return succeeded ? ping("success", settings.successUrl(), new Request.Builder().post(body))
                : ping("failure", settings.failure(), new Request.Builder().post(body));
    }

    private boolean ping(String what, URI url, Request.Builder builder) {
        try {
            Request request = builder.url(url.toString()).header("User-Agent", userAgent).build();
            long deadline = System.nanoTime() + settings.timeLimit().toNanos();
            Duration backoff = settings.initialBackoff();
            for (int attempt = 1; ; attempt++) {
                Attempt result = attempt(request, deadline);
                if (result.delivered()) {
                    log.debug("heartbeat ({}) to {} delivered", what, HeartbeatSettings.hostOf(url));
                    return true;
                }
                if (!result.retryable() || attempt >= settings.maxAttempts()) {
                    return giveUp(what, url, attempt, result.problem());
                }
                if (backoff.toNanos() >= deadline - System.nanoTime()) {
                    return giveUp(what, url, attempt, result.problem() + "; no time left to retry within "
                            + settings.timeLimit().toSeconds() + " s");
                }
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return giveUp(what, url, 0, "interrupted");
        } catch (RuntimeException | LinkageError e) {
            // a heartbeat must never break the run it reports on
            return giveUp(what, url, 0, e.getClass().getSimpleName());
        }
    }

    private Attempt attempt(Request request, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return new Attempt(false, false, "the time limit was reached");
        }
        Call call = client.newCall(request);
        call.timeout().timeout(left, TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            int code = response.code();
            if (response.isSuccessful()) {
                return new Attempt(true, false, "");
            }
            boolean retryable = code >= 500 || code == 408 || code == 429;
            return new Attempt(false, retryable, "HTTP " + code);
        } catch (IOException e) {
            // okhttp's messages name the host and port at most, never the path
            return new Attempt(false, !Thread.currentThread().isInterrupted(), e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private boolean giveUp(String what, URI url, int attempts, String problem) {
        log.warn("heartbeat ({}) to {} not delivered{}: {}", what, HeartbeatSettings.hostOf(url),
                attempts > 0 ? " after " + attempts + (attempts == 1 ? " attempt" : " attempts") : "",
                Redaction.redact(problem.replace(url.getRawPath() == null ? "\0" : url.getRawPath(), "/***")));
        return false;
    }

    private record Attempt(boolean delivered, boolean retryable, String problem) {
    }
}
