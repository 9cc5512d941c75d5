package dev.sqlitebackup.adapters.drive;

import java.io.IOException;

/** Reading the local backup failed while sending it: no retry of the network helps with that. */
final class LocalFileException extends IOException {
    private static final long serialVersionUID = 1L;

    LocalFileException(String message, IOException cause) {
        super(message, cause);
    }
}
