package dev.sqlitebackup.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.DataAssertion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssertionsFileTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("assertions.yml"), text, StandardCharsets.UTF_8);
    }

    @Test
    void theIssuesExample_reads_fromAWindowsEditorToo() throws IOException {
        Path f = file("\uFEFFassertions:\r\n  - name: users\r\n    sql: SELECT count(*) FROM users\r\n    expect: \">= 1\""
                + "\r\n  - name: fresh\r\n    sql: SELECT strftime('%s','now') - max(created_at) FROM messages\r\n"
                + "    expect: \"< 172800\"\r\n");

        List<DataAssertion> read = AssertionsFile.read(f);

        assertThat(read).extracting(DataAssertion::name).containsExactly("users", "fresh");
        assertThat(read.get(1).expect()).hasToString("< 172800");
    }

    @Test
    void everyProblem_isOneLineWithFileLineAndKey() throws IOException {
        assertThatThrownBy(() -> AssertionsFile.read(dir.resolve("missing.yml")))
                .hasMessage("assertions file " + dir.resolve("missing.yml") + " does not exist");
        Path f = file("assertions:\n  - name: users\n    sql: SELECT 1\n    expect: '>= 1'\n    limit: 3\n");
        assertThatThrownBy(() -> AssertionsFile.read(f)).isInstanceOf(ConfigurationException.class)
                .hasMessage("assertions file " + f + " line 5, key assertions[0].limit: unknown key (an assertion has "
                        + "name, sql and expect)");
        file("assertions:\n  - name: users\n    sql: SELECT 1\n");
        assertThatThrownBy(() -> AssertionsFile.read(f)).hasMessage("assertions file " + f + " line 2, key "
                + "assertions[0]: an assertion needs expect (name, sql and expect)");
        file("assertions:\n  - {name: a, sql: SELECT 1, expect: '== 1'}\n  - {name: a, sql: SELECT 2, expect: '== 2'}\n");
        assertThatThrownBy(() -> AssertionsFile.read(f)).hasMessage("assertions file " + f + " line 3, key "
                + "assertions[1].name: 'a' names an assertion already (line 2)");
        file("assertions:\n  - {name: a, sql: SELECT 1, expect: 'about 1'}\n");
        assertThatThrownBy(() -> AssertionsFile.read(f)).hasMessageStartingWith("assertions file " + f + " line 2, "
                + "key assertions[0]: expect must be a comparison with a number");
        file("checks:\n  - {name: a, sql: SELECT 1, expect: '== 1'}\n");
        assertThatThrownBy(() -> AssertionsFile.read(f)).hasMessage("assertions file " + f + " line 1: unknown key "
                + "'checks' (the file holds only assertions:)");
        file("assertions: [unclosed\n");
        assertThatThrownBy(() -> AssertionsFile.read(f)).hasMessageStartingWith("assertions file " + f + " line ")
                .hasMessageContaining("is not valid YAML");
    }
}
