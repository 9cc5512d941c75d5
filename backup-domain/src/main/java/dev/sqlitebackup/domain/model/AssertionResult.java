package dev.sqlitebackup.domain.model;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link DataAssertion} found on a copy: the number its query returned, or why it returned none (a query
 * error, no row, NULL, not a number).
 */
public record AssertionResult(DataAssertion assertion, Optional<BigDecimal> value, Optional<String> error) {

    public AssertionResult {
        Objects.requireNonNull(assertion, "assertion");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(error, "error");
        if (value.isPresent() == error.isPresent()) {
            throw new IllegalArgumentException("an assertion result has either a value or an error");
        }
    }

    public static AssertionResult of(DataAssertion assertion, BigDecimal value) {
        return new AssertionResult(assertion, Optional.of(value), Optional.empty());
    }

    public static AssertionResult failed(DataAssertion assertion, String error) {
        return new AssertionResult(assertion, Optional.empty(), Optional.of(error));
    }

    /** Whether the query returned a number that meets the condition. */
    public boolean passed() {
        return value.map(assertion::holdsFor).orElse(false);
    }

    /** One line: {@code users: 0, expected >= 1}, or {@code users: no such table: users}. */
    public String describe() {
        return assertion.name() + ": " + value.map(v -> v.toPlainString() + (passed() ? " (ok, " : ", ")
                + "expected " + assertion.expect() + (passed() ? ")" : "")).orElseGet(error::orElseThrow);
    }
}
