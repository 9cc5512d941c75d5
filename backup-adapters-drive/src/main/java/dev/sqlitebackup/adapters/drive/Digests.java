package dev.sqlitebackup.adapters.drive;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5 (what Drive reports) and SHA-256 (what the tool records) of a stream of bytes, in one pass. */
final class Digests {

    private final MessageDigest md5 = digest("MD5");
    private final MessageDigest sha256 = digest("SHA-256");
    private long size;

    /** The digests of a whole file. */
    record Result(long size, String md5, String sha256) {
    }

    void update(byte[] bytes, int offset, int length) {
        md5.update(bytes, offset, length);
        sha256.update(bytes, offset, length);
        size += length;
    }

    Result result() {
        HexFormat hex = HexFormat.of();
        return new Result(size, hex.formatHex(md5.digest()), hex.formatHex(sha256.digest()));
    }

    /** Passes bytes on to {@code target} and into the digests. */
    OutputStream teeTo(OutputStream target) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                target.write(bytes, offset, length);
                update(bytes, offset, length);
            }

            @Override
            public void flush() throws IOException {
                target.flush();
            }
        };
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
    }
}
