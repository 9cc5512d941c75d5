package dev.sqlitebackup.domain.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named check of a copy's data: one read-only query that returns one number, and the condition the number must
 * meet ({@code users: SELECT count(*) FROM users, expect >= 1}). Run on every new copy before it is published and on
 * every drill; an intact copy that is empty, or stale, fails it. Only a single SELECT (or VALUES, or WITH ...
 * SELECT) is accepted, checked here before anything runs: no write, no ATTACH, no PRAGMA, no second statement. The
 * copy is also opened read-only to run it, so nothing could write even if a check here were wrong.
 */
public record DataAssertion(String name, String sql, Expectation expect) {

    public DataAssertion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(expect, "expect");
        if (name.isBlank() || name.contains("\n") || name.contains("\r")) {
            throw new InvalidInputException("an assertion's name is one line of text, got '" + name + "'");
        }
        Optional<String> problem = readOnlyProblem(sql);
        if (problem.isPresent()) {
            throw new InvalidInputException("assertion '" + name + "': " + problem.get());
        }
    }

    /** Whether {@code value} meets the condition. */
    public boolean holdsFor(BigDecimal value) {
        return expect.holdsFor(value);
    }

    /** The condition on the query's number: a comparison with a constant, e.g. {@code >= 1}. */
    public record Expectation(String operator, BigDecimal value) {

        private static final Pattern FORM = Pattern.compile("\\s*(>=|<=|==|!=|<>|=|>|<)\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)"
                + "(?:[eE][-+]?\\d+)?)\\s*");
        private static final Set<String> OPERATORS = Set.of(">=", "<=", "==", "!=", ">", "<");

        public Expectation {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
            if (!OPERATORS.contains(operator)) {
                throw new IllegalArgumentException("unknown operator " + operator);
            }
        }

        /**
         * Reads {@code >= 1}, {@code < 172800}, {@code == 0} ({@code =} too), {@code != 0} ({@code <>} too).
         *
         * @throws InvalidInputException naming what is wrong
         */
        public static Expectation parse(String text) {
            Matcher m = FORM.matcher(text == null ? "" : text);
            if (!m.matches()) {
                throw new InvalidInputException("expect must be a comparison with a number (>= 1, < 172800, == 0, "
                        + "!= 0), got '" + text + "'");
            }
            String op = switch (m.group(1)) {
                case "=" -> "==";
                case "<>" -> "!=";
                default -> m.group(1);
            };
            return new Expectation(op, new BigDecimal(m.group(2)));
        }

        boolean holdsFor(BigDecimal actual) {
            int c = actual.compareTo(value);
            return switch (operator) {
                case ">=" -> c >= 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                case "==" -> c == 0;
                default -> c != 0;
            };
        }

        @Override
        public String toString() {
            return operator + " " + value.toPlainString();
        }
    }

    /**
     * Why {@code sql} is not a single read-only query, if it is not: it must be one statement (a trailing {@code ;}
     * and comments allowed) starting with SELECT, VALUES, or WITH whose main statement is a SELECT or VALUES.
     */
    public static Optional<String> readOnlyProblem(String sql) {
        List<String> tokens;
        try {
            tokens = tokens(sql);
        } catch (IllegalArgumentException unterminated) {
            return Optional.of(unterminated.getMessage());
        }
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).equals(";")) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty()) {
            return Optional.of("sql is empty");
        }
        if (tokens.contains(";")) {
            return Optional.of("sql must be a single statement, got more than one");
        }
        String first = tokens.get(0).toUpperCase(Locale.ROOT);
        if (first.equals("SELECT") || first.equals("VALUES")) {
            return Optional.empty();
        }
        if (!first.equals("WITH")) {
            return Optional.of("sql must be a read-only query (SELECT, VALUES or WITH ... SELECT), got " + first);
        }
        // WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] (query) [, ...] then the main statement: the
        // first word at depth 0 after the common table expressions is what runs
        int depth = 0;
        for (int i = 1; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("(")) {
                depth++;
            } else if (t.equals(")")) {
                depth--;
            } else if (depth == 0) {
                String word = t.toUpperCase(Locale.ROOT);
                if (word.equals("SELECT") || word.equals("VALUES")) {
                    return Optional.empty();
                } else if (Set.of("INSERT", "UPDATE", "DELETE", "REPLACE").contains(word)) {
                    return Optional.of("sql must be a read-only query (SELECT, VALUES or WITH ... SELECT), got "
                            + "WITH ... " + word);
                }
            }
        }
        return Optional.of("sql must be a read-only query (SELECT, VALUES or WITH ... SELECT): no SELECT after WITH");
    }

    /**
     * SQLite's tokens, as far as the checks above need them: words, {@code ;}, {@code (} and {@code )}; string
     * literals, quoted identifiers and comments are skipped whole, so a {@code ;} inside them splits nothing.
     */
    private static List<String> tokens(String sql) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("sql has an unterminated /* comment");
                }
                i = end + 2;
            } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        throw new IllegalArgumentException("sql has an unterminated " + c + "quoted part");
                    }
                    if (sql.charAt(j) == close) {
                        if (close != ']' && j + 1 < n && sql.charAt(j + 1) == close) {
                            j += 2; // a doubled quote stands for itself
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                tokens.add("'"); // a literal or quoted name: never a keyword
                i = j + 1;
            } else if (c == ';' || c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                        || sql.charAt(j) == '$')) {
                    j++;
                }
                tokens.add(sql.substring(i, j));
                i = j;
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }
}
