package dev.sqlitebackup.domain.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A restore would replace an existing file and was not asked to: nothing was touched. The message says what is
 * wrong; the caller knows how its user asks for a replacement, and adds that. The CLI exits 2.
 */
public class RestoreTargetExistsException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final transient Path target;

    public RestoreTargetExistsException(Path target) {
        super(Objects.requireNonNull(target, "target") + " exists; restore will not overwrite it");
        this.target = target;
    }

    public Path target() {
        return target;
    }
}
