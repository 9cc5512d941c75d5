package dev.sqlitebackup.adapters.codec;

import dev.sqlitebackup.domain.model.StoredForm;
import java.util.List;
import java.util.Objects;

/**
 * What the codec does, as the settings chose it: whether new copies are zstd-compressed and at which level, the
 * recipients they are encrypted to (none: not encrypted), and the identities that read encrypted copies back (none:
 * the daemon's case, which only writes).
 */
public record CodecSettings(boolean compress, int zstdLevel, List<AgeRecipient> recipients,
        List<AgeIdentity> identities) {

    public static final int MIN_LEVEL = 1;
    public static final int MAX_LEVEL = 19;
    public static final int DEFAULT_LEVEL = 3;

    public CodecSettings {
        if (zstdLevel < MIN_LEVEL || zstdLevel > MAX_LEVEL) {
            throw new IllegalArgumentException("zstd level " + zstdLevel + " is out of range " + MIN_LEVEL + ".."
                    + MAX_LEVEL);
        }
        recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
        identities = List.copyOf(Objects.requireNonNull(identities, "identities"));
    }

    /** Plain copies: no compression, no encryption; reads plain and zstd copies. */
    public static CodecSettings plain() {
        return new CodecSettings(false, DEFAULT_LEVEL, List.of(), List.of());
    }

    /** The form new copies are written in: zstd+age, zstd, age or plain. */
    public StoredForm form() {
        return StoredForm.of(compress, !recipients.isEmpty());
    }
}
