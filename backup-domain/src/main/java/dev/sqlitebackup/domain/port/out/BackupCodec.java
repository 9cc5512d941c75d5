package dev.sqlitebackup.domain.port.out;

import dev.sqlitebackup.domain.model.StoredForm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Out-port: the form copies are stored in (compressed, encrypted) and the way back from any form to the plain
 * database bytes. Writing needs only public keys; reading an encrypted copy needs a private key, which a running
 * backup never has to hold. Every method streams: memory stays bounded whatever the database's size.
 */
public interface BackupCodec {

    /** The form new copies are written in. */
    StoredForm form();

    /**
     * A stream that writes {@link #form()}'s bytes of whatever plain bytes are written to it into {@code stored}.
     * Closing it finishes the form (the last zstd block, age's final chunk) and closes {@code stored}. Each call
     * starts a fresh encoding (a new age file key): two encodings of one backup differ byte for byte.
     */
    OutputStream encoding(OutputStream stored) throws IOException;

    /**
     * The plain bytes of {@code stored}, a copy in {@code form} named {@code storedName} (for messages). Reading
     * fails with an {@link IOException} naming the copy when its bytes are damaged or cut short (found at the
     * latest at the end of the stream), and with a
     * {@link dev.sqlitebackup.domain.model.NoMatchingIdentityException} when it is encrypted and no private key at
     * hand opens it.
     */
    InputStream decoding(InputStream stored, StoredForm form, String storedName) throws IOException;
}
