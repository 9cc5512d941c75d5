package dev.sqlitebackup.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config file ({@code --config}): one {@code KEY=value} per line, blank lines and lines starting with {@code #} or
 * {@code !} ignored, the value taken literally up to the end of the line (no escapes, so Windows paths stay as
 * written) with surrounding blanks removed. A UTF-8 byte-order mark and Windows line ends are accepted. A line that
 * is not {@code KEY=value}, or a key this version does not read, is an error naming file, line and key.
 */
final class ConfigFile {

    private ConfigFile() {
    }

    /** The values by key, in the file's order. */
    static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigurationException("config file " + file + " cannot be read: " + FileProblems.cause(e));
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // Notepad's byte-order mark: not part of the first key
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                continue;
            }
            String where = "config file " + file + " line " + (i + 1);
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                // the line itself is not repeated: it may be a password on a line of its own
                throw new ConfigurationException(where + " is not KEY=value");
            }
            String key = trimmed.substring(0, eq).strip();
            if (!Settings.KNOWN_KEYS.contains(key)) {
                throw new ConfigurationException(where + ": unknown setting '" + key + "' (did you mean "
                        + Settings.nearestKnownKey(key) + "?)");
            }
            map.put(key, trimmed.substring(eq + 1).strip());
        }
        return map;
    }
}
