package dev.sqlitebackup.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each way a secret has been seen to travel in server text, URLs and validation errors, masked. */
class RedactionTest {

    @Test
    void aDriveErrorBody_echoingTheBearerToken_keepsTheWordButNotTheToken() {
        String body = "Drive: listing failed: 401: Request had invalid credentials: Authorization: Bearer "
                + "ya29.a0AfB_byC-secret_token-123 was rejected";

        String redacted = Redaction.redact(body);

        assertThat(redacted).doesNotContain("a0AfB_byC-secret_token-123")
                .isEqualTo("Drive: listing failed: 401: Request had invalid credentials: Authorization: Bearer *** "
                        + "was rejected");
    }

    @Test
    void aBasicAuthorizationHeader_isMasked() {
        assertThat(Redaction.redact("sent Authorization: Basic YWxpY2U6aHVudGVyMg== to ntfy"))
                .isEqualTo("sent Authorization: Basic *** to ntfy");
    }

    @Test
    void aTokenEndpoint_echoingItsForm_losesTheClientSecretAndTokens() {
        String echoed = "getting an access token failed: 400 Bad Request: invalid_grant for grant_type=refresh_token"
                + "&client_id=abc.apps.googleusercontent.com&client_secret=GOCSPX-s3cr3t&refresh_token=1//0gAbc-def";

        String redacted = Redaction.redact(echoed);

        assertThat(redacted).doesNotContain("GOCSPX-s3cr3t").doesNotContain("0gAbc-def")
                .contains("client_id=abc.apps.googleusercontent.com").contains("grant_type=refresh_token")
                .contains("client_secret=***").contains("refresh_token=***");
    }

    @Test
    void jsonValues_ofSecretKeys_areMasked_otherKeysKept() {
        String json = "{\"error\": \"x\", \"access_token\": \"tok-1\", \"refresh_token\":\"tok-2\", "
                + "\"client_secret\" : \"tok-3\", \"password\": \"tok-4\", \"token\": \"tok-5\", \"name\": \"kept\"}";

        String redacted = Redaction.redact(json);

        assertThat(redacted).doesNotContain("tok-1", "tok-2", "tok-3", "tok-4", "tok-5")
                .contains("\"name\": \"kept\"").contains("\"error\": \"x\"").contains("\"access_token\": \"***\"");
    }

    @Test
    void theUserInfoOfAUrl_keepsTheUserButNotThePassword() {
        assertThat(Redaction.redact("NTFY_URL is not a URL: 'https://alice:p%zzss@ntfy.example/x'"))
                .doesNotContain("p%zzss").isEqualTo("NTFY_URL is not a URL: 'https://alice:***@ntfy.example/x'");
        assertThat(Redaction.redact("DATABASE_URL 'postgres://app:hunter2@db.example:5432/app' is not an SQLite "
                + "URL")).isEqualTo("DATABASE_URL 'postgres://app:***@db.example:5432/app' is not an SQLite URL");
        assertThat(Redaction.redact("NTFY_URL is not a URL: 'http://alice:pass word@ntfy.example'"))
                .isEqualTo("NTFY_URL is not a URL: 'http://alice:***@ntfy.example'");
        assertThat(Redaction.redact("jdbc:postgresql://app:pa@ss@db/app"))
                .isEqualTo("jdbc:postgresql://app:***@db/app");
    }

    @Test
    void aPasswordInAQueryString_isMasked() {
        assertThat(Redaction.redact("cannot reach https://ntfy.example/topic?auth=x&password=hunter2&x=1"))
                .isEqualTo("cannot reach https://ntfy.example/topic?auth=x&password=***&x=1");
    }

    @Test
    void googleTokens_standingAlone_areMasked() {
        assertThat(Redaction.redact("token ya29.c.b0AXv0zTN-secret_part expired; refresh 1//09abcDEF-ghi_jkl"))
                .isEqualTo("token ya29.*** expired; refresh 1//***");
        assertThat(Redaction.redact("assertion eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl refused"))
                .isEqualTo("assertion *** refused");
    }

    @Test
    void ordinaryMessages_areUnchanged() {
        for (String plain : new String[] {
            "backup of /srv/app/app.db failed: database disk image is malformed",
            "Drive: upload of backup-2026-08-18-030000.db failed after 5 retries: 503 backendError: Service "
                    + "Unavailable",
            "NTFY_TOKEN must be printable ASCII without spaces",
            "set either NTFY_TOKEN or NTFY_USER and NTFY_PASSWORD, not both",
            "another backup of /srv/b is running (pid 42)", "https://ntfy.sh/topic", "mail root@localhost",
            "Drive refused the credentials (401: invalid_grant: Token has been expired or revoked.)", ""}) {
            assertThat(Redaction.redact(plain)).isEqualTo(plain);
        }
        assertThat(Redaction.redact(null)).isNull();
    }
}
