package dev.sqlitebackup.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A sidecar is read as {@code sha256sum -c --strict} reads it: one line for exactly this backup, or damaged with a
 * reason. (The adapter test runs the real {@code sha256sum} on the same forms.)
 */
class SidecarTest {

    private static final BackupName NAME = BackupName.at(Instant.parse("2026-08-18T03:00:00Z"));
    private static final String SHA = "ab".repeat(32);

    /** The CSV rows write line ends and tabs as \\n, \\r and \\t. */
    private static String unescape(String format) {
        return format.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t");
    }

    private static Sidecar parse(String content) {
        return Sidecar.parse(NAME, content.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "text mode               | '%s  %s\\n'",
        "binary mode             | '%s *%s\\n'",
        "no final newline        | '%s  %s'",
        "one space (BSD -r)      | '%s %s\\n'",
        "a tab                   | '%s\\t%s\\n'",
        "tab then text marker    | '%s\\t %s\\n'",
        "CRLF                    | '%s  %s\\r\\n'",
        "leading blanks          | '  %s  %s\\n'",
        "escaped-name marker     | '\\%s  %s\\n'",
        "blank lines, comments   | '# made by hand\\n\\n%s  %s\\n\\n'"})
    void formsSha256sumAccepts_recordTheSha(String form, String format) {
        assertThat(parse(String.format(unescape(format), SHA, NAME))).as(form).isEqualTo(new Sidecar.Recorded(SHA));
    }

    @Test
    void theTaggedForm_andUpperCaseHex_recordTheShaInLowerCase() {
        assertThat(parse("SHA256 (" + NAME + ") = " + SHA.toUpperCase() + "\n")).isEqualTo(new Sidecar.Recorded(SHA));
        assertThat(parse("SHA256(" + NAME + ")=" + SHA)).isEqualTo(new Sidecar.Recorded(SHA));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "empty                   | ''                                    | is empty",
        "only a newline          | '\\n'                                  | has no checksum line",
        "garbage                 | 'not a checksum\\n'                    | line 1 is not a sha256sum line",
        "hash only               | '%s\\n'                                | line 1 is not a sha256sum line",
        "hash one digit short    | '%.63s  %2$s\\n'                       | line 1 is not a sha256sum line",
        "another file            | '%s  backup-2020-01-01-000000.db\\n'   | names \"backup-2020-01-01-000000.db\"",
        "a path to the backup    | '%s  ./%s\\n'                          | names \"./backup-",
        "trailing space in name  | '%s  %s \\n'                           | .db \", not this backup",
        "two spaces then a tab   | '%s  \\t%s\\n'                          | names \"?backup-",
        "extra checksum line     | '%s  %s\\n%1$s  other.db\\n'            | has 2 checksum lines",
        "extra garbage line      | '%s  %s\\nnotes\\n'                     | line 2 is not a sha256sum line",
        "a blank line of spaces  | '%s  %s\\n  \\n'                        | line 2 is not a sha256sum line",
        "lower-case tag          | 'sha256 (%2$s) = %1$s\\n'              | line 1 is not a sha256sum line",
        "tag with a space after  | 'SHA256 (%2$s) = %1$s \\n'             | line 1 is not a sha256sum line",
        "tag naming another file | 'SHA256 (other.db) = %s\\n'            | names \"other.db\""})
    void anythingElse_isDamaged_andSaysWhy(String form, String format, String why) {
        Sidecar sidecar = parse(String.format(unescape(format), SHA, NAME));

        assertThat(sidecar).as(form).isInstanceOf(Sidecar.Damaged.class);
        assertThat(((Sidecar.Damaged) sidecar).problem()).as(form).contains(why);
        assertThat(sidecar.sha256()).isEmpty();
    }

    @Test
    void aShaRecordedElsewhere_isMissingWhenAbsent_andDamagedWhenNotASha() {
        assertThat(Sidecar.of(java.util.Optional.empty())).isEqualTo(Sidecar.MISSING);
        assertThat(Sidecar.of(java.util.Optional.of(SHA.toUpperCase()))).isEqualTo(new Sidecar.Recorded(SHA));
        assertThat(Sidecar.of(java.util.Optional.of("ab"))).isInstanceOf(Sidecar.Damaged.class);
    }

    private static final String DB_SHA = "cd".repeat(32);
    private static final String ZST = NAME + ".zst";

    private static Sidecar parseCompressed(String content) {
        return Sidecar.parse(NAME, StoredForm.ZSTD, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCompressedBackupsSidecar_checksTheStoredFile_andKeepsTheDatabasesShaOnItsCommentLine() {
        String written = Sidecar.written(NAME, StoredForm.ZSTD, SHA, DB_SHA);

        assertThat(written).isEqualTo(SHA + "  " + ZST + "\n# sha256 of the database: " + DB_SHA + "\n");
        assertThat(parseCompressed(written)).isEqualTo(new Sidecar.Recorded(SHA, java.util.Optional.of(DB_SHA)));
        assertThat(parseCompressed("# made by hand\n# sha256 of the database: " + DB_SHA.toUpperCase() + "\r\n\n"
                + SHA + " *" + ZST)).isEqualTo(new Sidecar.Recorded(SHA, java.util.Optional.of(DB_SHA)));
        assertThat(Sidecar.written(NAME, StoredForm.PLAIN, SHA, DB_SHA)).isEqualTo(SHA + "  " + NAME + "\n");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "no database line      | '%1$s  %2$s\n'                                                  | has no",
        "two database lines    | '%1$s  %2$s\n# sha256 of the database: %3$s\n# sha256 of the database: %3$s\n' | lines, not one",
        "a short database sha  | '%1$s  %2$s\n# sha256 of the database: abc\n'                   | line 2 is not a SHA-256 of the database",
        "names the plain file  | '%1$s  backup-2026-08-18-030000.db\n# sha256 of the database: %3$s\n' | not this backup",
        "no checksum line      | '# sha256 of the database: %3$s\n'                             | has no checksum line"})
    void aCompressedBackupsSidecar_isOtherwiseAsStrictAsAPlainOnes(String form, String format, String problem) {
        Sidecar sidecar = parseCompressed(String.format(unescape(format), SHA, ZST, DB_SHA));

        assertThat(sidecar).as(form).isInstanceOf(Sidecar.Damaged.class);
        assertThat(((Sidecar.Damaged) sidecar).problem()).as(form).contains(problem);
    }

    @Test
    void aPlainBackupsSidecar_takesTheDatabaseLineForAnyComment() {
        assertThat(parse("# sha256 of the database: " + DB_SHA + "\n" + SHA + "  " + NAME + "\n"))
                .isEqualTo(new Sidecar.Recorded(SHA));
    }
}
