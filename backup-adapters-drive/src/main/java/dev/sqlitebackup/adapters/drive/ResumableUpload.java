package dev.sqlitebackup.adapters.drive;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.EmptyContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.json.JsonHttpContent;
import com.google.api.client.json.JsonFactory;
import com.google.api.services.drive.model.File;
import dev.sqlitebackup.domain.model.BackupFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drive's resumable upload protocol, driven by hand on the client's authorised request factory so that a failure
 * anywhere resumes where Drive says it stopped: start a session (POST, Location), send chunks (PUT with
 * Content-Range; 308 and a Range header until the last, then 200 and the file), after a failure ask for the status
 * ({@code bytes *}{@code /total}) and go on from there, and start a new session when Drive has forgotten the old one
 * (404/410).
 */
final class ResumableUpload {

    private static final Logger LOG = LoggerFactory.getLogger(ResumableUpload.class);
    private static final Pattern RANGE = Pattern.compile("bytes=0-(\\d+)");

    private final HttpRequestFactory requests;
    private final JsonFactory json;
    private final GenericUrl uploadUrl;
    private final int chunkSize;
    private final Backoff backoff;

    /** Drive no longer knows the session. */
    private static final class SessionGone extends Exception {
        private static final long serialVersionUID = 1L;
    }

    ResumableUpload(HttpRequestFactory requests, JsonFactory json, GenericUrl uploadUrl, int chunkSize,
            Backoff backoff) {
        this.requests = requests;
        this.json = json;
        this.uploadUrl = uploadUrl;
        this.chunkSize = chunkSize;
        this.backoff = backoff;
    }

    /**
     * Uploads {@code file} ({@code size} bytes) as a new Drive file with {@code metadata}, digesting it on the way
     * into {@code digests}. Before the chunk that would complete the file it runs {@code beforeLastChunk}, which may
     * throw to stop the upload before Drive makes a file of it. Before starting again after a lost session it asks
     * {@code alreadyThere}, since the lost session may have finished.
     */
    File upload(File metadata, Path file, long size, UploadDigests digests, Runnable beforeLastChunk,
            Supplier<Optional<File>> alreadyThere) {
        String what = "upload of " + metadata.getName();
        int restarts = 0;
        while (true) {
            GenericUrl session = backoff.run("starting the " + what, () -> start(metadata, size));
            try {
                return send(what, session, file, size, metadata.getMimeType(), digests, beforeLastChunk);
            } catch (SessionGone gone) {
                if (restarts >= backoff.attempts()) {
                    throw new BackupFailedException("Drive: " + what + " failed: Drive lost the upload session "
                            + (restarts + 1) + " times");
                }
                restarts++;
                LOG.info("Drive: {}: Drive no longer knows the upload session (404); starting again", what);
                Optional<File> done = alreadyThere.get();
                if (done.isPresent()) {
                    return done.get();
                }
            }
        }
    }

    private GenericUrl start(File metadata, long size) throws IOException {
        HttpRequest request = requests.buildPostRequest(uploadUrl, new JsonHttpContent(json, metadata));
        request.getHeaders().set("X-Upload-Content-Type", metadata.getMimeType());
        request.getHeaders().set("X-Upload-Content-Length", Long.toString(size));
        request.setThrowExceptionOnExecuteError(false);
        HttpResponse response = request.execute();
        try {
            if (!response.isSuccessStatusCode()) {
                throw GoogleJsonResponseException.from(json, response);
            }
            String location = response.getHeaders().getLocation();
            if (location == null) {
                throw new IOException("Drive started no upload session (no Location header)");
            }
            LOG.debug("Drive: upload session started for {} ({} bytes)", metadata.getName(), size);
            return new GenericUrl(location);
        } finally {
            response.disconnect();
        }
    }

    private File send(String what, GenericUrl session, Path file, long size, String type, UploadDigests digests,
            Runnable beforeLastChunk) throws SessionGone {
        long offset = 0;
        boolean askStatus = false;
        int retries = 0;
        while (true) {
            try {
                HttpResponse response;
                if (askStatus) {
                    response = put(session, new EmptyContent(), "bytes */" + size);
                } else {
                    long length = Math.min(chunkSize, size - offset);
                    if (offset + length == size) {
                        beforeLastChunk.run();
                    }
                    String range = size == 0 ? "bytes */0" : "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
                    response = put(session, new FileRegionContent(type, file, offset, length, digests), range);
                }
                try {
                    int status = response.getStatusCode();
                    if (status == 200 || status == 201) {
                        File uploaded = response.parseAs(File.class);
                        LOG.debug("Drive: {} complete: {} bytes", what, size);
                        return uploaded;
                    }
                    if (status == 404 || status == 410) {
                        throw new SessionGone();
                    }
                    if (status != 308) {
                        throw GoogleJsonResponseException.from(json, response);
                    }
                    long received = received(response, size);
                    boolean sentData = !askStatus;
                    askStatus = false;
                    if (received > offset) {
                        retries = 0; // progress: a flaky line may take as many retries as it needs, chunk by chunk
                    } else if (sentData) {
                        offset = received;
                        throw new IOException("Drive kept none of the chunk (holds " + received + " bytes)");
                    }
                    offset = received;
                    LOG.debug("Drive: {}: {} of {} bytes on Drive", what, offset, size);
                    if (offset == size) {
                        // everything is there but Drive has not said "done": ask again after a pause
                        throw new IOException("Drive holds all " + size + " bytes but did not finish the file");
                    }
                } finally {
                    response.disconnect();
                }
            } catch (IOException e) {
                DriveFailure failure = DriveFailure.of(e);
                if (!failure.retryable() || retries >= backoff.attempts()) {
                    throw failure.toException(what, retries);
                }
                retries++;
                backoff.pause(what, retries, failure);
                askStatus = true;
            }
        }
    }

    private HttpResponse put(GenericUrl session, HttpContent content, String contentRange) throws IOException {
        HttpRequest request = requests.buildPutRequest(session, content);
        request.getHeaders().setContentRange(contentRange);
        request.setThrowExceptionOnExecuteError(false);
        request.setFollowRedirects(false); // 308 here means "resume incomplete", not a redirect
        request.setParser(json.createJsonObjectParser());
        return request.execute();
    }

    /** How many bytes Drive holds, from a 308's Range header (none: nothing yet). */
    private static long received(HttpResponse response, long size) throws IOException {
        String range = response.getHeaders().getRange();
        if (range == null) {
            return 0;
        }
        Matcher m = RANGE.matcher(range.strip());
        if (!m.matches()) {
            throw new IOException("Drive sent an unreadable Range header: " + DriveFailure.oneLine(range));
        }
        long received = Long.parseLong(m.group(1)) + 1;
        if (received > size) {
            throw new IOException("Drive claims " + received + " bytes of a " + size + "-byte file");
        }
        return received;
    }
}
