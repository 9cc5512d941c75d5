package dev.sqlitebackup.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

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
    void aDailyTimeInTheSpringGap_runsOnceThatDay_whenTheGapEnds_newYork() {
        BackupSchedule daily = BackupSchedule.parse("0 30 2 * * ?", NEW_YORK);

        // 2026-03-08: 02:00 EST is 03:00 EDT (07:00Z); 02:30 does not exist that day
        assertThat(daily.nextAfter(Instant.parse("2026-03-07T08:00:00Z")))
                .as("03:00 EDT, the first instant after the gap").contains(Instant.parse("2026-03-08T07:00:00Z"));
        assertThat(daily.nextAfter(Instant.parse("2026-03-08T07:00:00Z")))
                .as("once that day: next is 02:30 EDT the day after").contains(Instant.parse("2026-03-09T06:30:00Z"));
        assertThat(daily.lastAtOrBefore(Instant.parse("2026-03-08T12:00:00Z")))
                .as("the catch-up sees that day's run").contains(Instant.parse("2026-03-08T07:00:00Z"));
        assertThat(daily.lastAtOrBefore(Instant.parse("2026-03-08T06:59:59Z")))
                .contains(Instant.parse("2026-03-07T07:30:00Z"));
    }

    @Test
    void aDailyTimeInTheSpringGap_runsOnceThatDay_whenTheGapEnds_berlin() {
        BackupSchedule daily = BackupSchedule.parse("0 30 2 * * ?", BERLIN);

        // 2026-03-29: 02:00 CET is 03:00 CEST (01:00Z)
        assertThat(daily.nextAfter(Instant.parse("2026-03-28T02:00:00Z")))
                .contains(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(daily.nextAfter(Instant.parse("2026-03-29T01:00:00Z")))
                .contains(Instant.parse("2026-03-30T00:30:00Z"));
        assertThat(daily.lastAtOrBefore(Instant.parse("2026-03-29T10:00:00Z")))
                .contains(Instant.parse("2026-03-29T01:00:00Z"));
    }

    @Test
    void aScheduleThatFiresAnywaySoonAfterTheGap_getsNoExtraRun() {
        BackupSchedule hourly = BackupSchedule.parse("0 30 * * * ?", NEW_YORK);
        BackupSchedule quarterly = BackupSchedule.parse("0 */15 * * * ?", NEW_YORK);

        assertThat(hourly.nextAfter(Instant.parse("2026-03-08T06:30:00Z")))
                .as("01:30 EST, then 03:30 EDT: the hour has its run").contains(Instant.parse("2026-03-08T07:30:00Z"));
        assertThat(quarterly.nextAfter(Instant.parse("2026-03-08T06:45:00Z")))
                .contains(Instant.parse("2026-03-08T07:00:00Z"));
        assertThat(quarterly.nextAfter(Instant.parse("2026-03-08T07:00:00Z")))
                .contains(Instant.parse("2026-03-08T07:15:00Z"));
    }

    @Test
    void theFallBackDay_runsOnce() {
        BackupSchedule daily = BackupSchedule.parse("0 30 1 * * ?", NEW_YORK);

        // 2026-11-01: 01:30 happens twice (05:30Z EDT, 06:30Z EST)
        Instant first = daily.nextAfter(Instant.parse("2026-10-31T12:00:00Z")).orElseThrow();
        assertThat(daily.nextAfter(first)).contains(Instant.parse("2026-11-02T06:30:00Z"));
    }

    @Test
    void theNthWeekdayOfTheMonth_keepsItsCount() {
        assertThat(BackupSchedule.parse("0 3 * * 1#2", ZoneOffset.UTC).quartz()).isEqualTo("0 0 3 ? * 2#2");
        assertThat(BackupSchedule.parse("0 3 * * 0#1", ZoneOffset.UTC).quartz()).isEqualTo("0 0 3 ? * 1#1");
        assertThat(BackupSchedule.parse("0 3 * * 7#5", ZoneOffset.UTC).quartz()).isEqualTo("0 0 3 ? * 1#5");
        // August 2026 starts on a Saturday: its Mondays are the 3rd and the 10th
        assertThat(BackupSchedule.parse("0 3 * * 1#2", ZoneOffset.UTC).nextAfter(Instant.parse("2026-08-01T00:00:00Z")))
                .as("the second Monday").contains(Instant.parse("2026-08-10T03:00:00Z"));
        assertThatThrownBy(() -> BackupSchedule.parse("0 3 * * 1#6", ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 5");
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
