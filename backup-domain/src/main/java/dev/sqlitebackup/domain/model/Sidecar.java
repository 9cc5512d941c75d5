package dev.sqlitebackup.domain.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a backup's {@code .sha256} sidecar says: there is none, it records the backup's SHA-256, or it exists but is
 * damaged (and why). A damaged sidecar is never taken for a missing one: a backup whose sidecar cannot be trusted
 * fails verification and is never restored.
 *
 * <p>A sidecar is read the way {@code sha256sum --check --strict} reads it in the backup folder, so the two never
 * disagree about a backup the tool passes: apart from blank lines and {@code #} comments it holds exactly one line,
 * {@code HASH  NAME} (text), {@code HASH *NAME} (binary), {@code HASH NAME}, or {@code SHA256 (NAME) = HASH}, with
 * 64 hex digits of either case, an optional CR before the line end and no line end needed at the end of the file;
 * and NAME is exactly the backup's file name.
 *
 * <p>A compressed backup's sidecar checks the stored file ({@code backup-….db.zst}) and keeps the SHA-256 of the
 * plain database on a comment line, {@code # sha256 of the database: HASH}, which {@code sha256sum} skips: exactly
 * one such line, needed for restore checks.
 */
public sealed interface Sidecar {

    /** No sidecar: a hand-copied backup. Reported, not failed. */
    Sidecar MISSING = new Missing();

    /** The comment line on which a compressed backup's sidecar keeps the SHA-256 of the plain database. */
    String DATABASE_SHA256_COMMENT = "# sha256 of the database: ";

    /** The SHA-256 of the stored file the sidecar records, when it records one. */
    default Optional<String> sha256() {
        return Optional.empty();
    }

    /** The SHA-256 of the plain database a compressed backup's sidecar records on its comment line. */
    default Optional<String> databaseSha256() {
        return Optional.empty();
    }

    /** There is no sidecar beside the backup. */
    record Missing() implements Sidecar {
    }

    /**
     * A well-formed sidecar for exactly this backup: the SHA-256 of the stored file it records and, for a compressed
     * backup, the SHA-256 of the plain database; kept in lower case.
     */
    record Recorded(String hex, Optional<String> databaseHex) implements Sidecar {
        private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

        public Recorded {
            if (hex == null || !HEX.matcher(hex).matches()) {
                throw new IllegalArgumentException("not a SHA-256: " + hex);
            }
            hex = hex.toLowerCase(Locale.ROOT);
            Objects.requireNonNull(databaseHex, "databaseHex");
            if (databaseHex.isPresent() && !HEX.matcher(databaseHex.get()).matches()) {
                throw new IllegalArgumentException("not a SHA-256: " + databaseHex.get());
            }
            databaseHex = databaseHex.map(h -> h.toLowerCase(Locale.ROOT));
        }

        /** A plain backup's sidecar: the stored file is the database. */
        public Recorded(String hex) {
            this(hex, Optional.empty());
        }

        @Override
        public Optional<String> sha256() {
            return Optional.of(hex);
        }

        @Override
        public Optional<String> databaseSha256() {
            return databaseHex;
        }
    }

    /** A sidecar that exists but cannot be trusted; {@code problem} says why, e.g. "is empty". */
    record Damaged(String problem) implements Sidecar {
        public Damaged {
            Objects.requireNonNull(problem, "problem");
        }
    }

    /**
     * A SHA-256 recorded somewhere else than a sidecar file (an off-site copy's tag, a backup just published):
     * missing when empty, damaged when it is not 64 hex digits.
     */
    static Sidecar of(Optional<String> sha256) {
        if (sha256.isEmpty()) {
            return MISSING;
        }
        return Recorded.HEX.matcher(sha256.get()).matches() ? new Recorded(sha256.get())
                : new Damaged("records \"" + printable(sha256.get()) + "\", not a SHA-256");
    }

    /**
     * The sidecar this tool writes for {@code backup} stored in {@code form}: the {@code sha256sum} line of the
     * stored file and, for a compressed backup, the SHA-256 of the plain database on its comment line.
     */
    static String written(BackupName backup, StoredForm form, String storedHex, String databaseHex) {
        String line = storedHex + "  " + form.fileName(backup) + "\n";
        return form.compressed() ? line + DATABASE_SHA256_COMMENT + databaseHex + "\n" : line;
    }

    /** What a plain backup's sidecar records, or why it is damaged: {@code content} is the whole sidecar file. */
    static Sidecar parse(BackupName backup, byte[] content) {
        return parse(backup, StoredForm.PLAIN, content);
    }

    /**
     * What the sidecar of {@code backup} stored in {@code form} records, or why it is damaged: {@code content} is the
     * whole sidecar file. Its checksum line names the stored file; a compressed backup's also has exactly one
     * {@link #DATABASE_SHA256_COMMENT} line.
     */
    static Sidecar parse(BackupName backup, StoredForm form, byte[] content) {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(form, "form");
        if (content.length == 0) {
            return new Damaged("is empty");
        }
        // One byte, one char: hex digits and backup names are ASCII, and nothing else can match them.
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<String> checksumLines = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        List<String> databaseHexes = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (form.compressed() && line.startsWith(DATABASE_SHA256_COMMENT)) {
                String hex = line.substring(DATABASE_SHA256_COMMENT.length());
                if (!Recorded.HEX.matcher(hex).matches()) {
                    return new Damaged("line " + (i + 1) + " is not a SHA-256 of the database");
                }
                databaseHexes.add(hex);
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue; // sha256sum skips blank lines and comments
            }
            checksumLines.add(line);
            lineNumbers.add(i + 1);
        }
        if (checksumLines.isEmpty()) {
            return new Damaged("has no checksum line");
        }
        List<SidecarLine> parsed = new ArrayList<>();
        for (int i = 0; i < checksumLines.size(); i++) {
            Optional<SidecarLine> line = SidecarLine.parse(checksumLines.get(i));
            if (line.isEmpty()) {
                return new Damaged("line " + lineNumbers.get(i) + " is not a sha256sum line");
            }
            parsed.add(line.get());
        }
        if (parsed.size() > 1) {
            return new Damaged("has " + parsed.size() + " checksum lines, not one");
        }
        SidecarLine line = parsed.get(0);
        if (!line.fileName().equals(form.fileName(backup))) {
            return new Damaged("names \"" + printable(line.fileName()) + "\", not this backup");
        }
        if (!form.compressed()) {
            return new Recorded(line.hex());
        }
        if (databaseHexes.size() != 1) {
            return new Damaged(databaseHexes.isEmpty() ? "has no \"" + DATABASE_SHA256_COMMENT.strip() + "\" line"
                    : "has " + databaseHexes.size() + " \"" + DATABASE_SHA256_COMMENT.strip() + "\" lines, not one");
        }
        return new Recorded(line.hex(), Optional.of(databaseHexes.get(0)));
    }

    /** The text with anything but printable ASCII as '?', cut at 80 characters: fit for a one-line message. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
            if (out.length() >= 80) {
                return out + "...";
            }
        }
        return out.toString();
    }
}
