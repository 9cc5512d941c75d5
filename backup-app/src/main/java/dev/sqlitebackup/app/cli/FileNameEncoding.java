package dev.sqlitebackup.app.cli;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JVM's encoding of file names, arguments and environment values ({@code sun.jnu.encoding}), which it takes from
 * the locale when it starts. Under cron, {@code env -i} or a service without {@code LANG} that is ASCII: a non-ASCII
 * argument arrives as replacement characters and no non-ASCII path can be used. Setting the property on the command
 * line does not help (the launcher has decoded the arguments by then); only the locale does.
 */
public final class FileNameEncoding {

    private static final char REPLACEMENT = '\uFFFD';
    private static final String[] OUR_PREFIXES = {"BACKUP_", "DATABASE_", "DRIVE_", "NTFY_", "GOOGLE_"};

    private FileNameEncoding() {
    }

    /** The encoding this JVM uses for file names. */
    static Charset current() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    /** Why non-ASCII names fail here, and what to set, when the encoding is not UTF-8. */
    public static Optional<String> problem() {
        Charset charset = current();
        if (charset.equals(StandardCharsets.UTF_8)) {
            return Optional.empty();
        }
        return Optional.of("the locale is not UTF-8 (LANG, LC_ALL and LC_CTYPE are unset or C, as under cron, "
                + "env -i or a service without LANG), so java decodes file names as " + charset.name() + " and cannot use "
                + "non-ASCII ones: set LANG=C.UTF-8 (or LC_ALL=C.UTF-8) in the environment that starts java");
    }

    /**
     * The error to print when an argument or one of this tool's settings in the environment was garbled on the
     * way in (it holds replacement characters because the encoding is not UTF-8); empty when all arrived intact.
     */
    public static Optional<String> garbled(String[] args, Map<String, String> env) {
        Optional<String> problem = problem();
        if (problem.isEmpty()) {
            return Optional.empty();
        }
        Stream<String> settings = env.entrySet().stream()
                .filter(e -> Arrays.stream(OUR_PREFIXES).anyMatch(e.getKey()::startsWith))
                .map(e -> e.getKey() + "=" + e.getValue());
        return Stream.concat(Arrays.stream(args), settings)
                .filter(text -> text.indexOf(REPLACEMENT) >= 0)
                .findFirst()
                .map(text -> "'" + text.replace(REPLACEMENT, '?') + "' arrived garbled: " + problem.get());
    }

    /** A message that names a non-ASCII path, with the locale named as the cause when it is. */
    static String explain(String message) {
        Optional<String> problem = problem();
        boolean nonAscii = message.chars().anyMatch(c -> c > 0x7F);
        return problem.isPresent() && nonAscii ? message + " (" + problem.get() + ")" : message;
    }
}
