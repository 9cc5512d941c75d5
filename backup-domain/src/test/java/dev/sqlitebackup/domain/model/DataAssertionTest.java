package dev.sqlitebackup.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DataAssertionTest {

    private static DataAssertion assertion(String sql) {
        return new DataAssertion("check", sql, DataAssertion.Expectation.parse(">= 1"));
    }

    @Test
    void readOnlyQueries_areAccepted() {
        assertThat(DataAssertion.readOnlyProblem("SELECT count(*) FROM users")).isEmpty();
        assertThat(DataAssertion.readOnlyProblem("  select count(*) from users;  -- trailing comment\n")).isEmpty();
        assertThat(DataAssertion.readOnlyProblem("SELECT strftime('%s','now') - max(created_at) FROM messages"))
                .isEmpty();
        assertThat(DataAssertion.readOnlyProblem("/* how many */ SELECT count(*) FROM \"odd;table\" WHERE x = ';'"))
                .isEmpty();
        assertThat(DataAssertion.readOnlyProblem("WITH recent(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM recent "
                + "WHERE n < 3) SELECT count(*) FROM recent")).isEmpty();
        assertThat(DataAssertion.readOnlyProblem("VALUES (1)")).isEmpty();
        assertThat(DataAssertion.readOnlyProblem("SELECT count(*) FROM pragma_table_info('users')")).isEmpty();
    }

    @Test
    void writes_attach_pragmas_andSecondStatements_areRefused_beforeAnythingRuns() {
        assertThat(DataAssertion.readOnlyProblem("DELETE FROM users")).hasValue(
                "sql must be a read-only query (SELECT, VALUES or WITH ... SELECT), got DELETE");
        assertThat(DataAssertion.readOnlyProblem("UPDATE users SET name = 'x'")).get().asString()
                .endsWith("got UPDATE");
        assertThat(DataAssertion.readOnlyProblem("ATTACH DATABASE '/tmp/x.db' AS x")).get().asString()
                .endsWith("got ATTACH");
        assertThat(DataAssertion.readOnlyProblem("PRAGMA writable_schema=1")).get().asString().endsWith("got PRAGMA");
        assertThat(DataAssertion.readOnlyProblem("SELECT 1; DELETE FROM users")).hasValue(
                "sql must be a single statement, got more than one");
        assertThat(DataAssertion.readOnlyProblem("SELECT 1;; SELECT 2")).hasValue(
                "sql must be a single statement, got more than one");
        assertThat(DataAssertion.readOnlyProblem("WITH gone AS (SELECT id FROM users) DELETE FROM users WHERE id IN "
                + "gone")).get().asString().endsWith("got WITH ... DELETE");
        assertThat(DataAssertion.readOnlyProblem("  ;  ")).hasValue("sql is empty");
        assertThat(DataAssertion.readOnlyProblem("SELECT 'unterminated")).get().asString()
                .contains("unterminated");
        assertThatThrownBy(() -> assertion("VACUUM")).isInstanceOf(InvalidInputException.class)
                .hasMessage("assertion 'check': sql must be a read-only query (SELECT, VALUES or WITH ... SELECT), "
                        + "got VACUUM");
    }

    @Test
    void expectations_readTheUsualComparisons_andJudgeNumbers() {
        assertThat(DataAssertion.Expectation.parse(">= 1").holdsFor(BigDecimal.ONE)).isTrue();
        assertThat(DataAssertion.Expectation.parse(">= 1").holdsFor(BigDecimal.ZERO)).isFalse();
        assertThat(DataAssertion.Expectation.parse("< 172800").holdsFor(new BigDecimal("172799.5"))).isTrue();
        assertThat(DataAssertion.Expectation.parse("=0").toString()).isEqualTo("== 0");
        assertThat(DataAssertion.Expectation.parse("<> 0").holdsFor(new BigDecimal("0.0"))).isFalse();
        assertThat(DataAssertion.Expectation.parse("> -2.5e1").holdsFor(new BigDecimal("-20"))).isTrue();
        assertThatThrownBy(() -> DataAssertion.Expectation.parse("at least 1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("expect must be a comparison with a number (>= 1, < 172800, == 0, != 0), got 'at least 1'");
    }

    @Test
    void aResult_describesItselfInOneLine() {
        DataAssertion users = assertion("SELECT count(*) FROM users");
        assertThat(AssertionResult.of(users, BigDecimal.ZERO).describe()).isEqualTo("check: 0, expected >= 1");
        assertThat(AssertionResult.of(users, BigDecimal.TEN).describe()).isEqualTo("check: 10 (ok, expected >= 1)");
        assertThat(AssertionResult.failed(users, "no such table: users").describe())
                .isEqualTo("check: no such table: users");
    }
}
