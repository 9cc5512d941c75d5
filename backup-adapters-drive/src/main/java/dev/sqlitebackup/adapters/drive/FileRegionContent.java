package dev.sqlitebackup.adapters.drive;

import com.google.api.client.http.AbstractHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One chunk of a file as an HTTP body, read from disk as it is sent and digested on the way (see
 * {@link UploadDigests}): memory stays at a few buffers whatever the chunk and file size, and the chunk can be sent
 * again after a failure.
 */
final class FileRegionContent extends AbstractHttpContent {

    private final Path file;
    private final long offset;
    private final long length;
    private final UploadDigests digests;

    FileRegionContent(String type, Path file, long offset, long length, UploadDigests digests) {
        super(type);
        this.file = file;
        this.offset = offset;
        this.length = length;
        this.digests = digests;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public boolean retrySupported() {
        return true;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (FileChannel channel = digests.open()) {
            long position = offset;
            long end = offset + length;
            while (position < end) {
                int read = digests.read(channel, position, (int) Math.min(UploadDigests.BUFFER, end - position),
                        (bytes, n) -> out.write(bytes, 0, n));
                if (read < 0) {
                    throw new LocalFileException("local backup " + file + " is shorter than " + end
                            + " bytes: it changed during the upload", null);
                }
                position += read;
            }
        }
        out.flush();
    }
}
