package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * In-memory {@link BackupCodec} with the behaviour of the real one and none of its cryptography: compressed bytes
 * are the JDK's deflate (so text shrinks, as with zstd), framed with a magic and a length; "encrypted" bytes name the
 * key they are for, are scrambled with a per-copy nonce (two encodings of one backup differ) and are refused without
 * that key; a cut or damaged stored copy fails to decode.
 */
public final class InMemoryBackupCodec implements BackupCodec {

    private static final byte[] COMPRESSED = "FAKEZSTD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENCRYPTED = "FAKEAGE1".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicInteger NONCES = new AtomicInteger();

    private final StoredForm form;
    private final Optional<String> recipient;
    private final Set<String> identities;

    private InMemoryBackupCodec(StoredForm form, Optional<String> recipient, Set<String> identities) {
        this.form = Objects.requireNonNull(form, "form");
        this.recipient = recipient;
        this.identities = Set.copyOf(identities);
        if (form.encrypted() && recipient.isEmpty()) {
            throw new IllegalArgumentException("an encrypted form needs a recipient");
        }
    }

    /** Writes plain copies; reads every form it holds the keys of. */
    public static InMemoryBackupCodec plain(String... identities) {
        return new InMemoryBackupCodec(StoredForm.PLAIN, Optional.empty(), Set.of(identities));
    }

    /** Writes "compressed" copies; reads every form it holds the keys of. */
    public static InMemoryBackupCodec compressed(String... identities) {
        return new InMemoryBackupCodec(StoredForm.ZSTD, Optional.empty(), Set.of(identities));
    }

    /** Writes {@code form} for the key {@code recipient}; reads what {@code identities} open. */
    public static InMemoryBackupCodec encryptedTo(StoredForm form, String recipient, String... identities) {
        return new InMemoryBackupCodec(form, Optional.of(recipient), Set.of(identities));
    }

    @Override
    public StoredForm form() {
        return form;
    }

    /** The stored bytes of {@code plain} in {@code form}, as {@link #encoding} writes them. */
    public byte[] encode(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encoding = encoding(out)) {
            encoding.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Override
    public OutputStream encoding(OutputStream stored) {
        Objects.requireNonNull(stored, "stored");
        if (form == StoredForm.PLAIN) {
            // as the real codec: plain bytes pass straight through, as they come
            return new FilterOutputStream(stored) {
                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    out.write(bytes, offset, length);
                }
            };
        }
        // Buffers the plain bytes and writes the form on close: a fake needs no streaming, only the bytes of the
        // real thing's shape (a fresh nonce per encoding, a check over everything, a length that finds a cut).
        return new ByteArrayOutputStream() {
            private boolean closed;

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                byte[] bytes = toByteArray();
                if (form.compressed()) {
                    bytes = frame(COMPRESSED, new byte[0], deflate(bytes));
                }
                if (form.encrypted()) {
                    byte[] key = recipient.orElseThrow().getBytes(StandardCharsets.UTF_8);
                    int nonce = NONCES.incrementAndGet();
                    byte[] header = ByteBuffer.allocate(8 + key.length).putInt(nonce).putInt(key.length).put(key)
                            .array();
                    bytes = frame(ENCRYPTED, header, scramble(bytes, nonce));
                }
                stored.write(bytes);
                stored.close();
            }
        };
    }

    @Override
    public InputStream decoding(InputStream stored, StoredForm stores, String storedName) throws IOException {
        byte[] bytes = stored.readAllBytes();
        if (stores.encrypted()) {
            ByteBuffer body = ByteBuffer.wrap(unframe(ENCRYPTED, bytes, storedName));
            int nonce = body.getInt();
            byte[] key = new byte[body.getInt()];
            body.get(key);
            if (!identities.contains(new String(key, StandardCharsets.UTF_8))) {
                throw new NoMatchingIdentityException(storedName);
            }
            byte[] rest = new byte[body.remaining()];
            body.get(rest);
            bytes = scramble(rest, nonce);
        }
        if (stores.compressed()) {
            bytes = inflate(unframe(COMPRESSED, bytes, storedName), storedName);
        }
        return new ByteArrayInputStream(bytes);
    }

    private static byte[] deflate(byte[] plain) {
        Deflater deflater = new Deflater();
        deflater.setInput(plain);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] compressed, String storedName) throws IOException {
        Inflater inflater = new Inflater();
        inflater.setInput(compressed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException(storedName + " is cut short (its compressed stream ends early)");
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IOException(storedName + " is damaged (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    /** magic, the length of header and body, header, body, and a check byte over both. */
    private static byte[] frame(byte[] magic, byte[] header, byte[] body) {
        byte[] content = ByteBuffer.allocate(header.length + body.length).put(header).put(body).array();
        return ByteBuffer.allocate(magic.length + 8 + content.length + 1).put(magic).putLong(content.length)
                .put(content).put(check(content)).array();
    }

    private static byte[] unframe(byte[] magic, byte[] bytes, String storedName) throws IOException {
        if (bytes.length < magic.length + 9 || !Arrays.equals(Arrays.copyOf(bytes, magic.length), magic)) {
            throw new IOException(storedName + " is not in its form (damaged or not one of ours)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, magic.length, bytes.length - magic.length);
        long length = in.getLong();
        if (length != in.remaining() - 1) {
            throw new IOException(storedName + " is cut short or too long");
        }
        byte[] content = new byte[(int) length];
        in.get(content);
        if (in.get() != check(content)) {
            throw new IOException(storedName + " is damaged (its check does not match)");
        }
        return content;
    }

    private static byte check(byte[] body) {
        byte sum = 0;
        for (byte b : body) {
            sum ^= b;
        }
        return sum;
    }

    private static byte[] scramble(byte[] bytes, int nonce) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= (byte) (nonce * 31 + i);
        }
        return out;
    }
}
