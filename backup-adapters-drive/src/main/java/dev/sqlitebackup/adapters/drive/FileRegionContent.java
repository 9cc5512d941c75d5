package dev.sqlitebackup.adapters.drive;

import com.google.api.client.http.AbstractHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One chunk of a file as an HTTP body, read from disk as it is sent: memory stays at one small buffer whatever the
 * chunk and file size, and the chunk can be sent again after a failure.
 */
final class FileRegionContent extends AbstractHttpContent {

    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final long offset;
    private final long length;

    FileRegionContent(String type, Path file, long offset, long length) {
        super(type);
        this.file = file;
        this.offset = offset;
        this.length = length;
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
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(length, 1)));
        try (FileChannel channel = open()) {
            long position = offset;
            long end = offset + length;
            while (position < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                int read = read(channel, buffer, position);
                if (read < 0) {
                    throw new LocalFileException("local backup " + file + " is shorter than " + end
                            + " bytes: it changed during the upload", null);
                }
                out.write(buffer.array(), 0, read);
                position += read;
            }
        }
        out.flush();
    }

    private FileChannel open() throws LocalFileException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new LocalFileException("cannot read local backup " + file + ": " + e.getMessage(), e);
        }
    }

    private int read(FileChannel channel, ByteBuffer buffer, long position) throws LocalFileException {
        try {
            return channel.read(buffer, position);
        } catch (IOException e) {
            throw new LocalFileException("cannot read local backup " + file + ": " + e.getMessage(), e);
        }
    }
}
