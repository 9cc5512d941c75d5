package dev.sqlitebackup.domain.model;

import java.util.Optional;

/** One checksum line as {@code sha256sum -c} splits it: the hex digest and the file name it checks. */
record SidecarLine(String hex, String fileName) {
    private static final int HEX_DIGITS = 64;
    private static final String TAG = "SHA256";

    static Optional<SidecarLine> parse(String line) {
        int i = skipBlanks(line, 0);
        if (i < line.length() && line.charAt(i) == '\\') {
            // an escaped name (it had a backslash or a newline): it can never be a backup name, but is a line
            i++;
        }
        if (line.startsWith(TAG, i)) {
            int j = i + TAG.length();
            if (j < line.length() && line.charAt(j) == ' ') {
                j++;
            }
            return j < line.length() && line.charAt(j) == '(' ? tagged(line.substring(j + 1)) : Optional.empty();
        }
        if (line.length() - i < HEX_DIGITS + 2) {
            return Optional.empty();
        }
        String hex = line.substring(i, i + HEX_DIGITS);
        int after = i + HEX_DIGITS;
        if (!isHex(hex) || !isBlank(line.charAt(after))) {
            return Optional.empty();
        }
        int name = after + 1;
        // "HASH  NAME" or "HASH *NAME"; a lone "HASH NAME" is the reversed BSD form, the name right after
        if (line.length() - name > 1 && (line.charAt(name) == ' ' || line.charAt(name) == '*')) {
            name++;
        }
        return Optional.of(new SidecarLine(hex, line.substring(name)));
    }

    /** {@code NAME) = HASH}: the name runs to the last ')'. */
    private static Optional<SidecarLine> tagged(String rest) {
        int close = rest.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        int i = skipBlanks(rest, close + 1);
        if (i >= rest.length() || rest.charAt(i) != '=') {
            return Optional.empty();
        }
        String hex = rest.substring(skipBlanks(rest, i + 1));
        return hex.length() == HEX_DIGITS && isHex(hex)
                ? Optional.of(new SidecarLine(hex, rest.substring(0, close))) : Optional.empty();
    }

    private static int skipBlanks(String s, int from) {
        int i = from;
        while (i < s.length() && isBlank(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
