package dev.sqlitebackup.adapters.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads age's key files (recipients for {@code -R}, identities for {@code -i}): numbered lines, comments out. */
final class KeyFiles {

    /** A line that holds a key, with its number in the file (from 1). */
    record Line(int number, String text) {
    }

    private KeyFiles() {
    }

    /**
     * The lines of {@code file} that are neither blank nor {@code #} comments, stripped of surrounding blanks (and
     * of a CR and a UTF-8 byte-order mark). Read as a stream, line by line.
     */
    static List<Line> keyLines(Path file) {
        List<Line> lines = new ArrayList<>();
        // malformed UTF-8 becomes U+FFFD: such a line is then not a key, and is reported by its number
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                String text = (number == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    lines.add(new Line(number, text));
                }
            }
        } catch (IOException e) {
            throw new UnusableKeyException(file + " cannot be read: " + cause(e));
        }
        return lines;
    }

    private static String cause(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }
}
