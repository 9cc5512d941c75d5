package dev.sqlitebackup.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void theDefault_isDailyAtThree_inTheZone() {
        BackupSchedule daily = BackupSchedule.parse(BackupSchedule.DEFAULT, BERLIN);

        assertThat(daily.nextAfter(Instant.parse("2026-08-18T00:00:00Z")))
                .contains(Instant.parse("2026-08-18T01:00:00Z"));
        assertThat(daily.lastAtOrBefore(Instant.parse("2026-08-18T00:59:59Z")))
                .contains(Instant.parse("2026-08-17T01:00:00Z"));
        assertThat(daily.lastAtOrBefore(Instant.parse("2026-08-18T01:00:00Z")))
                .as("a fire at exactly now counts").contains(Instant.parse("2026-08-18T01:00:00Z"));
    }

    @Test
    void dstDays_keepThreeAmLocal() {
        BackupSchedule daily = BackupSchedule.parse(BackupSchedule.DEFAULT, BERLIN);

        assertThat(daily.lastAtOrBefore(Instant.parse("2026-03-29T05:00:00Z")))
                .as("spring forward: 03:00 CEST").contains(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(daily.lastAtOrBefore(Instant.parse("2026-10-25T05:00:00Z")))
                .as("fall back: 03:00 CET").contains(Instant.parse("2026-10-25T02:00:00Z"));
        assertThat(daily.lastAtOrBefore(Instant.parse("2026-10-25T01:30:00Z")))
                .as("02:30 CET on the long day: still the day before").contains(Instant.parse("2026-10-24T01:00:00Z"));
    }

    @Test
    void aStandardFiveFieldLine_isReadAsQuartz() {
        assertThat(BackupSchedule.parse("0 3 * * *", BERLIN).quartz()).isEqualTo("0 0 3 * * ?");
        assertThat(BackupSchedule.parse("30 2 1 * *", BERLIN).quartz()).isEqualTo("0 30 2 1 * ?");
        assertThat(BackupSchedule.parse("*/15 * * * 1-5", BERLIN).quartz()).isEqualTo("0 */15 * ? * 2-6");
        assertThat(BackupSchedule.parse("0 4 * * 0", BERLIN).quartz()).isEqualTo("0 0 4 ? * 1");
        assertThat(BackupSchedule.parse("0 4 * * 7", BERLIN).quartz()).isEqualTo("0 0 4 ? * 1");
        assertThat(BackupSchedule.parse("0 4 * * 5-7", BERLIN).quartz()).isEqualTo("0 0 4 ? * 6-7,1");
        assertThat(BackupSchedule.parse("0 4 * * MON-FRI", BERLIN).quartz()).isEqualTo("0 0 4 ? * MON-FRI");
    }

    @Test
    void aSundayFiveFieldLine_firesOnSunday() {
        BackupSchedule sundays = BackupSchedule.parse("0 4 * * 0", ZoneOffset.UTC);

        // 2026-08-18 is a Tuesday; the next Sunday is the 23rd
        assertThat(sundays.nextAfter(Instant.parse("2026-08-18T00:00:00Z")))
                .contains(Instant.parse("2026-08-23T04:00:00Z"));
    }

    @Test
    void aFastSchedule_hasItsLastFireWithinSeconds() {
        BackupSchedule fast = BackupSchedule.parse("*/2 * * * * ?", ZoneOffset.UTC);

        assertThat(fast.lastAtOrBefore(Instant.parse("2026-08-18T10:00:03.500Z")))
                .contains(Instant.parse("2026-08-18T10:00:02Z"));
    }

    @Test
    void unusableExpressions_sayWhy() {
        assertThatThrownBy(() -> BackupSchedule.parse("every day", BERLIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 fields");
        assertThatThrownBy(() -> BackupSchedule.parse("0 0 25 * * ?", BERLIN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackupSchedule.parse("0 3 1 * 1", BERLIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> BackupSchedule.parse("0 0 3 30 2 ? 2027", BERLIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never fires");
    }
}
