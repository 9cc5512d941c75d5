package dev.sqlitebackup.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupNameTest {

    @Test
    void theNameIsTheUtcTimeToTheSecond() {
        BackupName name = BackupName.at(Instant.parse("2026-08-18T03:04:05.987Z"));

        assertThat(name.value()).isEqualTo("backup-2026-08-18-030405.db");
        assertThat(name.instant()).isEqualTo(Instant.parse("2026-08-18T03:04:05Z"));
        assertThat(name.sidecarName()).isEqualTo("backup-2026-08-18-030405.db.sha256");
    }

    @Test
    void nextSecond_rollsOverMinutesDaysAndYears() {
        assertThat(BackupName.at(Instant.parse("2026-12-31T23:59:59Z")).nextSecond().value())
                .isEqualTo("backup-2027-01-01-000000.db");
    }

    @Test
    void onlyWholeNamesWithARealTimeParse() {
        assertThat(BackupName.parse("backup-2024-02-29-235959.db")).isPresent();
        assertThat(BackupName.parse("backup-2026-02-29-000000.db")).isEmpty();
        assertThat(BackupName.parse("backup-2026-08-18-030405.db.sha256")).isEmpty();
        assertThat(BackupName.parse("dir/backup-2026-08-18-030405.db")).isEmpty();
        assertThat(BackupName.parse("backup-2026-08-18-030460.db")).isEmpty();
        assertThat(BackupName.parse(" backup-2026-08-18-030405.db")).isEmpty();
        assertThat(BackupName.parse(null)).isEmpty();
        assertThatThrownBy(() -> new BackupName("backup-latest.db")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesSortByTime() {
        BackupName earlier = BackupName.at(Instant.parse("2025-12-31T23:59:59Z"));
        BackupName later = BackupName.at(Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(earlier).isLessThan(later);
    }
}
