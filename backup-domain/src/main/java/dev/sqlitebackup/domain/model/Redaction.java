package dev.sqlitebackup.domain.model;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text that leaves the process or is stored: server error bodies that echo a bearer token or a
 * token request's form, URLs with {@code user:password@}, validation errors that repeat a value. Every message on
 * stdout, stderr, in the activity log and in notifications passes through {@link #redact}; what is masked becomes
 * {@code ***} and the rest of the message stays as it was, so it still says what went wrong.
 */
public final class Redaction {

    /** What a masked secret is shown as. */
    public static final String MASK = "***";

    private static final String SECRET_KEY =
            "[\\w.-]*(?:token|secret|password|passwd|assertion|code_verifier|api_?key)[\\w.-]*";

    private record Rule(Pattern pattern, String replacement) {
        String apply(String text) {
            return pattern.matcher(text).replaceAll(replacement);
        }
    }

    private static final List<Rule> RULES = List.of(
            // 'scheme://user:pass word@host' as a validation error quotes it: up to the last '@' in the quotes
            new Rule(Pattern.compile("(?i)'([a-z][a-z0-9+.-]*://[^'\\s/?#@:]*):[^']*@"),
                    "'$1:" + Matcher.quoteReplacement(MASK) + "@"),
            // scheme://user:password@host: keep the user, mask the password (the last '@' before the path ends it)
            new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^\\s/?#@:]*):[^\\s/?#]*@"),
                    "$1:" + Matcher.quoteReplacement(MASK) + "@"),
            // "access_token": "…" in JSON
            new Rule(Pattern.compile("(?i)(\"" + SECRET_KEY + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\""),
                    "$1\"" + Matcher.quoteReplacement(MASK) + "\""),
            // client_secret=… in a form or query string
            new Rule(Pattern.compile("(?i)\\b(" + SECRET_KEY + "\\s*=\\s*)[^&\\s\"',;)]+"),
                    "$1" + Matcher.quoteReplacement(MASK)),
            // Authorization: Bearer … / Basic …
            new Rule(Pattern.compile("\\b(?i:(Bearer|Basic))\\s+[A-Za-z0-9._~+/-]{8,}=*"),
                    "$1 " + Matcher.quoteReplacement(MASK)),
            // Google's own token forms, wherever they stand: access tokens, refresh tokens, client secrets
            new Rule(Pattern.compile("\\bya29\\.[\\w.-]+"), "ya29." + Matcher.quoteReplacement(MASK)),
            new Rule(Pattern.compile("(?<![\\w/])1//[\\w-]{8,}"), "1//" + Matcher.quoteReplacement(MASK)),
            new Rule(Pattern.compile("\\bGOCSPX-[\\w-]+"), "GOCSPX-" + Matcher.quoteReplacement(MASK)),
            // a signed JWT (a service account's assertion)
            new Rule(Pattern.compile("\\beyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+"), Matcher.quoteReplacement(MASK)));

    private Redaction() {
    }

    /** {@code text} with every secret it shows masked; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Rule rule : RULES) {
            result = rule.apply(result);
        }
        return result;
    }
}
