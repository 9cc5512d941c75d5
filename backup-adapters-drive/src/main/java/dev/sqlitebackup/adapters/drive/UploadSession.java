package dev.sqlitebackup.adapters.drive;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.EmptyContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.json.JsonFactory;
import com.google.api.services.drive.model.File;
import dev.sqlitebackup.domain.model.BackupFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of one resumable upload session, written as they are made and sent in chunks whose total is not known
 * until the end ({@code bytes a-b/*}, then the last chunk states the total). It holds every byte Drive has not
 * confirmed, and no more than one chunk and a little: once more than a chunk is held, a chunk goes (so a chunk that
 * goes is never the last, which only {@link #finish} sends). After a 5xx, a timeout or a reset it asks Drive how much
 * it holds ({@code bytes *}{@code /*}) and sends again from there, out of what it still holds; the bytes are never
 * made again, which would change them. The MD5 of the bytes is taken once, as they are written, on a thread of
 * its own.
 */
final class UploadSession extends OutputStream {

    private static final Logger LOG = LoggerFactory.getLogger(UploadSession.class);
    private static final Pattern RANGE = Pattern.compile("bytes=0-(\\d+)");
    /** Held beyond a chunk before it goes, so that a chunk that goes is known not to be the last. */
    static final int SLACK = 64 * 1024;
    private static final int DIGEST_BLOCK = 64 * 1024;

    /** Drive no longer knows the session: it must start again, with bytes made afresh. */
    static final class SessionGone extends IOException {
        private static final long serialVersionUID = 1L;

        SessionGone() {
            super("Drive no longer knows the upload session");
        }
    }

    private final HttpRequestFactory requests;
    private final JsonFactory json;
    private final GenericUrl session;
    private final String type;
    private final int chunkSize;
    private final Backoff backoff;
    private final String what;
    /** Bytes [confirmed, confirmed + held) of the upload, the ones Drive has not confirmed. */
    private final byte[] buffer;
    private int held;
    private long confirmed;
    /** The MD5 of the bytes written, taken on a thread of its own (see {@link BesideDigest}). */
    private final BesideDigest md5 = new BesideDigest("MD5", DIGEST_BLOCK);
    private int retries;
    private int highWater;
    private boolean closed;
    private boolean gone;
    private BackupFailedException failure;

    UploadSession(HttpRequestFactory requests, JsonFactory json, GenericUrl session, String type, int chunkSize,
            Backoff backoff, String what) {
        this.requests = requests;
        this.json = json;
        this.session = session;
        this.type = type;
        this.chunkSize = chunkSize;
        this.backoff = backoff;
        this.what = what;
        this.buffer = new byte[chunkSize + SLACK];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed || gone || failure != null) {
            // e.g. an encoder finishing its form after the session failed: nothing more goes to Drive
            throw new IOException("the " + what + " has stopped");
        }
        while (length > 0) {
            int n = Math.min(length, buffer.length - held);
            System.arraycopy(bytes, offset, buffer, held, n);
            digest(bytes, offset, n);
            held += n;
            highWater = Math.max(highWater, held);
            offset += n;
            length -= n;
            while (held > chunkSize) {
                send(false);
            }
        }
    }

    /** Hands a copy of the bytes to the MD5's thread, so that it never reads bytes that change. */
    private void digest(byte[] bytes, int offset, int length) throws IOException {
        try {
            for (int done = 0; done < length; ) {
                byte[] block = md5.block();
                int n = Math.min(block.length, length - done);
                System.arraycopy(bytes, offset + done, block, 0, n);
                md5.update(block, n);
                done += n;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while digesting the " + what);
        }
    }

    /** Takes no more bytes; {@link #finish} sends the last of them. */
    @Override
    public void close() {
        closed = true;
    }

    /** Sends what is still held as the last chunk, stating the total, and returns the file Drive made. */
    File finish() throws IOException {
        closed = true;
        while (true) {
            File done = send(true);
            if (done != null) {
                LOG.debug("Drive: {} complete: {} bytes", what, confirmed + held);
                return done;
            }
        }
    }

    /** The MD5 of every byte written, once written all. */
    String md5() {
        try {
            return md5.hex();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailedException("Drive: " + what + " interrupted", e);
        }
    }

    /** Stops the MD5's thread, when the session ends without {@link #md5}. */
    void release() {
        md5.close();
    }

    /** The most bytes held at once. */
    int highWater() {
        return highWater;
    }

    boolean gone() {
        return gone;
    }

    /** The final failure this session threw, if it did (encoders between it and the producer may wrap it). */
    Optional<BackupFailedException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Sends one chunk (the first {@link #chunkSize} held bytes, or for the last all of them) until Drive has taken
     * some of it, retrying transient failures; returns the file once Drive made it (only for the last chunk).
     */
    private File send(boolean last) throws IOException {
        boolean askStatus = false;
        while (true) {
            try {
                long total = confirmed + held;
                HttpResponse response;
                if (askStatus) {
                    response = put(new EmptyContent(), "bytes */" + (last ? Long.toString(total) : "*"));
                } else {
                    int length = last ? held : chunkSize;
                    String range = length == 0 ? "bytes */" + total
                            : "bytes " + confirmed + "-" + (confirmed + length - 1) + "/" + (last ? total : "*");
                    response = put(new ByteArrayContent(type, buffer, 0, length), range);
                }
                try {
                    int status = response.getStatusCode();
                    if (status == 200 || status == 201) {
                        if (!last) {
                            throw fail("Drive finished the file before its last chunk");
                        }
                        return response.parseAs(File.class);
                    }
                    if (status == 404 || status == 410) {
                        gone = true;
                        throw new SessionGone();
                    }
                    if (status != 308) {
                        throw GoogleJsonResponseException.from(json, response);
                    }
                    long received = received(response);
                    boolean sentData = !askStatus;
                    askStatus = false;
                    if (received > confirmed) {
                        take(received);
                        retries = 0; // progress: a flaky line may take as many retries as it needs, chunk by chunk
                        LOG.debug("Drive: {}: {} bytes on Drive", what, confirmed);
                        if (!last) {
                            return null;
                        }
                    } else if (sentData) {
                        throw new IOException("Drive kept none of the chunk (holds " + received + " bytes)");
                    }
                    if (last && held == 0) {
                        // everything is there but Drive has not said "done": ask again after a pause
                        throw new IOException("Drive holds all " + confirmed + " bytes but did not finish the file");
                    }
                } finally {
                    response.disconnect();
                }
            } catch (SessionGone e) {
                throw e;
            } catch (IOException e) {
                DriveFailure failed = DriveFailure.of(e);
                if (!failed.retryable() || retries >= backoff.attempts()) {
                    throw fail(failed.toException(what, retries));
                }
                retries++;
                backoff.pause(what, retries, failed);
                askStatus = true;
            }
        }
    }

    /** Drive confirmed the bytes before {@code received}: they need not be held any more. */
    private void take(long received) {
        int taken = (int) (received - confirmed);
        System.arraycopy(buffer, taken, buffer, 0, held - taken);
        held -= taken;
        confirmed = received;
    }

    private BackupFailedException fail(String cause) {
        return fail(new BackupFailedException("Drive: " + what + " failed: " + cause));
    }

    private BackupFailedException fail(BackupFailedException e) {
        failure = e;
        return e;
    }

    private HttpResponse put(HttpContent content, String contentRange) throws IOException {
        HttpRequest request = requests.buildPutRequest(session, content);
        request.getHeaders().setContentRange(contentRange);
        request.setThrowExceptionOnExecuteError(false);
        request.setFollowRedirects(false); // 308 here means "resume incomplete", not a redirect
        request.setParser(json.createJsonObjectParser());
        return request.execute();
    }

    /**
     * How many bytes Drive holds, from a 308's Range header (none: nothing yet). Drive never forgets bytes it
     * confirmed, nor holds bytes it was not sent: either would leave nothing to resume from.
     */
    private long received(HttpResponse response) throws IOException {
        String range = response.getHeaders().getRange();
        long received = 0;
        if (range != null) {
            Matcher m = RANGE.matcher(range.strip());
            if (!m.matches()) {
                throw fail("Drive sent an unreadable Range header: " + DriveFailure.oneLine(range));
            }
            received = Long.parseLong(m.group(1)) + 1;
        }
        if (received < confirmed || received > confirmed + held) {
            throw fail("Drive claims " + received + " bytes after confirming " + confirmed + " and being sent "
                    + (confirmed + held));
        }
        return received;
    }
}
