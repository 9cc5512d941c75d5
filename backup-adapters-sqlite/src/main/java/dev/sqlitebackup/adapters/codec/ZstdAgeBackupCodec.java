package dev.sqlitebackup.adapters.codec;

import com.exceptionfactory.jagged.FileKey;
import com.exceptionfactory.jagged.PayloadException;
import com.exceptionfactory.jagged.RecipientStanza;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.sqlitebackup.domain.model.NoMatchingIdentityException;
import dev.sqlitebackup.domain.model.StoredForm;
import dev.sqlitebackup.domain.port.out.BackupCodec;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.GeneralSecurityException;
import java.security.SignatureException;
import java.util.List;
import java.util.Objects;

/**
 * Adapter: stores copies as standard zstd frames and age v1 files (binary, X25519 recipients), streaming: memory
 * stays at a few buffers (zstd's window, age's 64 KiB chunks) whatever the database's size. What it writes,
 * {@code age -d -i KEY | zstd -d} restores; what {@code zstd | age -r KEY} wrote, it reads.
 */
public final class ZstdAgeBackupCodec implements BackupCodec {

    /** zstd's jobs: what zstd holds is a few of them, whatever the size of the database. */
    static final int ZSTD_JOB_SIZE = 4 << 20;
    /** zstd's own threads: two jobs compress at once, beside this thread's encryption, hashing and upload. */
    static final int ZSTD_WORKERS = 2;

    private final CodecSettings settings;

    public ZstdAgeBackupCodec(CodecSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public StoredForm form() {
        return settings.form();
    }

    /**
     * plain → zstd → age → stored: the compressor writes into the encryptor, which writes into {@code stored}. Close
     * the stream also when abandoning a copy: closing frees zstd's worker thread and its native buffers.
     */
    @Override
    public OutputStream encoding(OutputStream stored) throws IOException {
        Objects.requireNonNull(stored, "stored");
        StoredForm form = form();
        OutputStream out = stored;
        if (form.encrypted()) {
            List<RecipientStanzaWriter> writers = settings.recipients().stream().map(AgeRecipient::writer).toList();
            try {
                // a new file key and a new ephemeral share per recipient: every encoding is a fresh age file
                out = Channels.newOutputStream(new StandardEncryptingChannelFactory()
                        .newEncryptingChannel(Channels.newChannel(stored), writers));
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot start an age file: " + e.getMessage(), e);
            }
        }
        if (form.compressed()) {
            // The frame's checksum lets zstd -d (and the reading side here) find a damaged copy. zstd compresses on
            // threads of its own while the caller's encrypts, and others hash and upload; the compressor is what
            // takes longest, so two workers share it. Jobs of 4 MiB keep what zstd holds to a few jobs whatever the
            // size (its default jobs hold up to 40 MiB at level 3); smaller jobs cost time: each starts by
            // re-reading the end of the one before (1 MiB jobs made the off-site copy ~15 % slower, see
            // docs/benchmarks.md). The bytes are the same whatever the number of workers.
            return new ZstdOutputStreamNoFinalizer(out, settings.zstdLevel()).setChecksum(true)
                    .setWorkers(ZSTD_WORKERS).setJobSize(ZSTD_JOB_SIZE);
        }
        return form.encrypted() ? out : new PassThrough(stored);
    }

    /** stored → age → zstd → plain, each step failing with the copy's name when its bytes are damaged or cut. */
    @Override
    public InputStream decoding(InputStream stored, StoredForm form, String storedName) throws IOException {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(storedName, "storedName");
        if (!form.compressed() && !form.encrypted()) {
            return stored;
        }
        Source source = new Source(stored);
        InputStream in = source;
        if (form.encrypted()) {
            in = decrypting(source, storedName);
        }
        if (form.compressed()) {
            in = new Decompressing(in, source, storedName);
        } else {
            in = new Checked(in, source, storedName, "age payload");
        }
        return in;
    }

    private InputStream decrypting(Source source, String storedName) throws IOException {
        if (settings.identities().isEmpty()) {
            source.close();
            throw new NoMatchingIdentityException(storedName);
        }
        List<Attempt> attempts = settings.identities().stream().map(i -> new Attempt(i.reader())).toList();
        try {
            return Channels.newInputStream(new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(Channels.newChannel(source), List.copyOf(attempts)));
        } catch (GeneralSecurityException | IOException e) {
            source.close();
            source.rethrowItsOwn(e);
            if (attempts.stream().anyMatch(a -> a.opened)) {
                // an identity opened the file key, so the header's MAC or the payload nonce is what failed
                throw damaged(storedName, e instanceof SignatureException ? "its age header does not authenticate"
                        : "its age payload is missing or cut short", e);
            }
            if (attempts.stream().allMatch(a -> a.tried)) {
                // The header was read, and no identity opened any of its stanzas. (A byte flipped inside an X25519
                // stanza looks the same, to age too: nothing in a stanza says whose it is.)
                throw new NoMatchingIdentityException(storedName);
            }
            throw damaged(storedName, source.count == 0 ? "it is empty" : "it has no readable age header", e);
        }
    }

    private static IOException damaged(String storedName, String how, Exception cause) {
        return new IOException(storedName + " is damaged or cut short: " + how, cause);
    }

    /** Writes through to {@code stored} (plain copies), closing it when closed. */
    private static final class PassThrough extends FilterOutputStream {
        PassThrough(OutputStream stored) {
            super(stored);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }

    /**
     * The stored bytes as read: counted (an empty copy is cut short), and with the stored stream's own failures
     * remembered, so a network or disk error is passed on as it is rather than called damage.
     */
    private static final class Source extends FilterInputStream {
        long count;
        private IOException failure;

        Source(InputStream stored) {
            super(stored);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                count += b < 0 ? 0 : 1;
                return b;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                count += Math.max(n, 0);
                return n;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        /** Throws the stored stream's own exception when {@code e} is it or was caused by it. */
        void rethrowItsOwn(Exception e) throws IOException {
            for (Throwable t = e; t != null && failure != null; t = t.getCause()) {
                if (t == failure) {
                    throw failure;
                }
            }
        }
    }

    /** An identity's try at the header's stanzas: whether the header got that far, and whether it opened one. */
    private static final class Attempt implements RecipientStanzaReader {
        private final RecipientStanzaReader reader;
        boolean tried;
        boolean opened;

        Attempt(RecipientStanzaReader reader) {
            this.reader = reader;
        }

        @Override
        public FileKey getFileKey(Iterable<RecipientStanza> stanzas) throws GeneralSecurityException {
            tried = true;
            FileKey key = reader.getFileKey(stanzas);
            opened = true;
            return key;
        }
    }

    /** A decoding stream whose read errors (not the stored stream's own) say which copy is damaged and how. */
    private static class Checked extends FilterInputStream {
        private final Source source;
        private final String storedName;
        private final String layer;

        Checked(InputStream in, Source source, String storedName, String layer) {
            super(in);
            this.source = source;
            this.storedName = storedName;
            this.layer = layer;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return checkedRead(b, off, len);
            } catch (IOException e) {
                source.rethrowItsOwn(e);
                if (e.getMessage() != null && e.getMessage().startsWith(storedName + " is ")) {
                    throw e;
                }
                throw damaged(storedName, e instanceof PayloadException ? "its age payload does not authenticate"
                        : e instanceof ZstdIOException ? "its zstd frame is broken (" + e.getMessage() + ")"
                        : "its " + layer + " cannot be read (" + e.getMessage() + ")", e);
            }
        }

        int checkedRead(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            // through read, so skipped bytes are checked too
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            long skipped = 0;
            for (int r; skipped < n && (r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped))) > 0; ) {
                skipped += r;
            }
            return skipped;
        }
    }

    /** zstd's side of the decoding: a frame that ends before it began is cut short, not an empty database. */
    private static final class Decompressing extends Checked {
        private final CountingStream compressed;

        Decompressing(InputStream compressed, Source source, String storedName) throws IOException {
            this(new CountingStream(compressed), source, storedName);
        }

        private Decompressing(CountingStream compressed, Source source, String storedName) throws IOException {
            super(new ZstdInputStreamNoFinalizer(compressed), source, storedName, "zstd frame");
            this.compressed = compressed;
        }

        @Override
        int checkedRead(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0 && compressed.count == 0) {
                throw new IOException("no zstd frame at all");
            }
            return n;
        }
    }

    /** Counts what zstd reads: zero bytes are no frame at all. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }
}
