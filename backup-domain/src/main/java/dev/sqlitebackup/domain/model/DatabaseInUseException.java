package dev.sqlitebackup.domain.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A restore would replace a database another process has open, which keeps writing into the replaced file, so every
 * write it makes afterwards would be lost: nothing was restored. The message says what is wrong;
 * {@link #messageWith} adds how the caller's user goes ahead anyway. The CLI exits 1.
 */
public class DatabaseInUseException extends BackupFailedException {
    private static final long serialVersionUID = 1L;

    private final transient Path target;
    private final String holder;

    /** @param holder who has it open, e.g. {@code "pid 1234 (java)"} */
    public DatabaseInUseException(Path target, String holder) {
        super(text(Objects.requireNonNull(target, "target"), Objects.requireNonNull(holder, "holder"), ""));
        this.target = target;
        this.holder = holder;
    }

    public Path target() {
        return target;
    }

    public String holder() {
        return holder;
    }

    /** The message, naming {@code goAheadAnyway} (e.g. "add --even-if-open") as the way to lose the writes. */
    public String messageWith(String goAheadAnyway) {
        return text(target, holder, " (or " + goAheadAnyway + " to lose them)");
    }

    private static String text(Path target, String holder, String goAheadAnyway) {
        return target + " is open in another process (" + holder + "): restoring over it would lose every write "
                + "that process makes afterwards; stop it first" + goAheadAnyway + ", nothing restored";
    }
}
