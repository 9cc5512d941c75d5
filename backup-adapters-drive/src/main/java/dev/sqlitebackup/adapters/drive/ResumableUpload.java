package dev.sqlitebackup.adapters.drive;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.json.JsonHttpContent;
import com.google.api.client.json.JsonFactory;
import com.google.api.services.drive.model.File;
import dev.sqlitebackup.domain.model.BackupFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drive's resumable upload protocol for bytes made while they are sent, whose total is known only at the end: start
 * a session (POST, Location, no X-Upload-Content-Length), send the bytes through an {@link UploadSession}, and start
 * a new session, with bytes made afresh, when Drive has forgotten the old one (404/410).
 */
final class ResumableUpload {

    private static final Logger LOG = LoggerFactory.getLogger(ResumableUpload.class);

    private final HttpRequestFactory requests;
    private final JsonFactory json;
    private final GenericUrl uploadUrl;
    private final int chunkSize;
    private final Backoff backoff;
    /** The most bytes any session of this upload held at once; for tests of the memory bound. */
    private volatile int highWater;

    /** Writes the bytes of one upload, from the first, into the stream it is given, and closes it. */
    @FunctionalInterface
    interface Producer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What arrived: the file, and the MD5 of the bytes sent (empty when the file was found already there). */
    record Sent(File file, Optional<String> md5) {
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
     * Uploads what {@code producer} writes as a new Drive file with {@code metadata}. The producer runs on a thread
     * of its own (see {@link HandOff}), a few MiB ahead of the chunks being sent. It may throw to stop the upload
     * before Drive makes a file of it: the chunk that completes the file goes only after it has returned.
     * When Drive loses the session, {@code alreadyThere} is asked first (the lost session may have finished), then
     * the producer runs again from the start, for a new session.
     */
    Sent upload(File metadata, Producer producer, Supplier<Optional<File>> alreadyThere) {
        String what = "upload of " + metadata.getName();
        int restarts = 0;
        while (true) {
            GenericUrl session = backoff.run("starting the " + what, () -> start(metadata));
            UploadSession out = new UploadSession(requests, json, session, metadata.getMimeType(), chunkSize,
                    backoff, what);
            try {
                try {
                    // the producer makes the bytes on a thread of its own while this one sends them
                    HandOff.run(producer, out, what);
                    return new Sent(out.finish(), Optional.of(out.md5()));
                } catch (IOException | RuntimeException e) {
                    // what the session threw is the session's word, whatever reached here
                    out.failure().ifPresent(failure -> {
                        throw failure;
                    });
                    if (out.gone()) {
                        throw new UploadSession.SessionGone();
                    }
                    if (e instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new BackupFailedException("Drive: " + what + " failed: " + DriveFailure.oneLine(
                            e.getMessage()), e);
                }
            } catch (UploadSession.SessionGone gone) {
                if (restarts >= backoff.attempts()) {
                    throw new BackupFailedException("Drive: " + what + " failed: Drive lost the upload session "
                            + (restarts + 1) + " times");
                }
                restarts++;
                LOG.info("Drive: {}: Drive no longer knows the upload session (404); starting again", what);
                Optional<File> done = alreadyThere.get();
                if (done.isPresent()) {
                    return new Sent(done.get(), Optional.empty());
                }
            } finally {
                highWater = Math.max(highWater, out.highWater());
                out.release();
            }
        }
    }

    /** The most bytes an upload's session has held at once so far. */
    int highWater() {
        return highWater;
    }

    private GenericUrl start(File metadata) throws IOException {
        HttpRequest request = requests.buildPostRequest(uploadUrl, new JsonHttpContent(json, metadata));
        request.getHeaders().set("X-Upload-Content-Type", metadata.getMimeType());
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
            LOG.debug("Drive: upload session started for {}", metadata.getName());
            return new GenericUrl(location);
        } finally {
            response.disconnect();
        }
    }
}
