package dev.sqlitebackup.app.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content of a {@code KEY_FILE} setting's file: a secret kept out of the environment (a container secret, a
 * systemd credential in {@code $CREDENTIALS_DIRECTORY}). Surrounding blanks and the line end are removed; the secret
 * itself never appears in a message.
 */
final class SecretFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);
    private static final long MAX_BYTES = 64 * 1024;
    /** Files warned about once per process, however often the setting is read. */
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private SecretFiles() {
    }

    static String read(Path file, String key, SettingSource source) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidSettingException(key, source, "names " + file + ", which is larger than 64 KiB: not a secret's file");
            }
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new InvalidSettingException(key, source, "names " + file + ", which does not exist");
        } catch (MalformedInputException e) {
            throw new InvalidSettingException(key, source, "names " + file + ", which is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidSettingException(key, source, "names " + file + ", which cannot be read: " + FileProblems.cause(e));
        }
        if (text.isEmpty()) {
            throw new InvalidSettingException(key, source, "names " + file + ", which is empty");
        }
        if (text.contains("\n") || text.contains("\r")) {
            throw new InvalidSettingException(key, source, "names " + file + ", which holds more than one line; a secret is one line");
        }
        warnIfShared(file, key);
        return text;
    }

    private static void warnIfShared(Path file, String key) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            boolean shared = mode.contains(PosixFilePermission.GROUP_READ)
                    || mode.contains(PosixFilePermission.OTHERS_READ);
            if (shared && WARNED.add(file.toAbsolutePath())) {
                LOG.warn("{} {} is readable by group or others; it holds a secret: chmod 600 it", key, file);
            }
        } catch (IOException | UnsupportedOperationException unknown) {
            // no permissions to look at: nothing to warn about
        }
    }
}
