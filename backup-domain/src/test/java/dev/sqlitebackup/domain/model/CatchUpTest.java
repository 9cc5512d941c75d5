package dev.sqlitebackup.domain.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.domain.testing.InMemoryActivityLog;
import dev.sqlitebackup.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The catch-up rule for a daily 03:00 schedule in Europe/Berlin, with a clock fixed at the daemon's start. The app
 * computes the schedule's last fire time with Quartz; here a plain daily 03:00 stands in for it.
 */
class CatchUpTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalTime THREE_AM = LocalTime.of(3, 0);

    private final MutableClock clock = new MutableClock(Instant.EPOCH);
    private final InMemoryActivityLog log = new InMemoryActivityLog();

    /** The latest 03:00 (Berlin) at or before now. */
    private Optional<Instant> lastFire() {
        ZonedDateTime now = clock.instant().atZone(BERLIN);
        ZonedDateTime today = ZonedDateTime.of(now.toLocalDate(), THREE_AM, BERLIN);
        return Optional.of((today.isAfter(now) ? today.minusDays(1) : today).toInstant());
    }

    private static Instant berlin(String date, String time) {
        return ZonedDateTime.of(LocalDate.parse(date), LocalTime.parse(time), BERLIN).toInstant();
    }

    private void succeeded(Instant startedAt, Duration took) {
        log.put(RunRecord.started(0, RunTrigger.SCHEDULED, startedAt).ended(startedAt.plus(took),
                RunRecord.Outcome.SUCCESS, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private void failed(Instant startedAt) {
        log.put(RunRecord.started(0, RunTrigger.SCHEDULED, startedAt).ended(startedAt.plusSeconds(2),
                RunRecord.Outcome.FAILED, Optional.empty(), Optional.empty(), Optional.of("disk full")));
    }

    private CatchUp decideNow() {
        return CatchUp.decide(clock.instant(), lastFire(), log.lastSuccess().flatMap(RunRecord::endedAt));
    }

    @Test
    void startingBeforeThreeAm_afterYesterdaysGoodBackup_runsNothingExtra() {
        succeeded(berlin("2026-08-17", "03:00:00.004"), Duration.ofSeconds(40));
        clock.set(berlin("2026-08-18", "02:59:59"));

        assertThat(decideNow().due()).isFalse();
    }

    @Test
    void startingAfterThreeAm_whenTheMachineWasOffAtThree_catchesUp() {
        succeeded(berlin("2026-08-17", "03:00:00"), Duration.ofSeconds(40));
        clock.set(berlin("2026-08-18", "08:15:00"));

        CatchUp decision = decideNow();

        assertThat(decision.due()).isTrue();
        assertThat(decision.reason()).contains("older than the schedule's last fire time");
    }

    @Test
    void aRestartInTheMiddleOfTheDay_afterAGoodThreeAmBackup_runsNothingExtra() {
        succeeded(berlin("2026-08-18", "03:00:00"), Duration.ofMinutes(3));
        clock.set(berlin("2026-08-18", "13:30:00"));

        assertThat(decideNow().due()).isFalse();
    }

    @Test
    void aManualBackupAfterThreeAm_coversTheDay() {
        succeeded(berlin("2026-08-18", "09:00:00"), Duration.ofSeconds(10));
        clock.set(berlin("2026-08-18", "10:00:00"));

        assertThat(decideNow().due()).isFalse();
    }

    @Test
    void aBackupRunningAcrossThreeAm_coversIt_oneThatEndedBefore_doesNot() {
        clock.set(berlin("2026-08-18", "10:00:00"));
        succeeded(berlin("2026-08-18", "02:58:00"), Duration.ofMinutes(1));
        assertThat(decideNow().due()).as("ended 02:59").isTrue();

        succeeded(berlin("2026-08-18", "02:59:30"), Duration.ofMinutes(1));
        assertThat(decideNow().due()).as("ended 03:00:30").isFalse();
    }

    @Test
    void severalMissedDays_areOneCatchUp_notOnePerDay() {
        succeeded(berlin("2026-08-12", "03:00:00"), Duration.ofSeconds(30));
        clock.set(berlin("2026-08-18", "07:00:00"));

        CatchUp decision = decideNow();

        assertThat(decision.due()).isTrue();
        assertThat(decision.reason()).contains(berlin("2026-08-18", "03:00:00").toString());
    }

    @Test
    void aFailedThreeAmRun_isCaughtUp_evenThoughARunWasRecordedAfterThree() {
        succeeded(berlin("2026-08-17", "03:00:00"), Duration.ofSeconds(30));
        failed(berlin("2026-08-18", "03:00:00"));
        clock.set(berlin("2026-08-18", "09:00:00"));

        assertThat(decideNow().due()).isTrue();
    }

    @Test
    void noSuccessEver_catchesUp() {
        failed(berlin("2026-08-18", "03:00:00"));
        clock.set(berlin("2026-08-18", "09:00:00"));

        CatchUp decision = decideNow();

        assertThat(decision.due()).isTrue();
        assertThat(decision.reason()).contains("no successful backup");
    }

    @Test
    void aSuccessDatedInTheFuture_coversNothing_soTheMissedRunIsCaughtUp() {
        succeeded(berlin("2026-08-17", "03:00:00"), Duration.ofSeconds(40));
        succeeded(berlin("2099-01-01", "03:00:00"), Duration.ofSeconds(40)); // recorded by a clock far ahead
        clock.set(berlin("2026-08-18", "09:00:00"));

        CatchUp decision = decideNow();

        assertThat(decision.due()).isTrue();
        assertThat(decision.reason()).contains("in the future");
    }

    @Test
    void aSuccessLessThanAnHourAhead_stillCoversTheFireTime() {
        clock.set(berlin("2026-08-18", "09:00:00"));
        succeeded(clock.instant().plus(Duration.ofMinutes(30)), Duration.ofSeconds(40)); // a clock a little ahead

        assertThat(decideNow().due()).isFalse();
    }

    @Test
    void aScheduleThatNeverFiredYet_owesNothing() {
        assertThat(CatchUp.decide(clock.instant(), Optional.empty(), Optional.empty()).due()).isFalse();
    }

    @Test
    void springForward_threeAmComesAnHourEarlierInUtc_andStillCounts() {
        // 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST; 03:00 CEST is 01:00Z, not 02:00Z as the day before
        succeeded(berlin("2026-03-28", "03:00:00"), Duration.ofSeconds(30));
        clock.set(Instant.parse("2026-03-29T01:30:00Z"));

        assertThat(lastFire()).contains(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(decideNow().due()).as("03:30 CEST, the machine was off at 03:00").isTrue();

        succeeded(Instant.parse("2026-03-29T01:00:00Z"), Duration.ofSeconds(30));
        assertThat(decideNow().due()).isFalse();
    }

    @Test
    void fallBack_theLongDayStillHasOneThreeAm() {
        // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET; 03:00 CET is 02:00Z
        succeeded(berlin("2026-10-24", "03:00:00"), Duration.ofSeconds(30));
        clock.set(Instant.parse("2026-10-25T01:30:00Z")); // 02:30 CET, after the 02:30 CEST an hour earlier

        assertThat(decideNow().due()).as("03:00 has not come yet on the long day").isFalse();

        clock.set(Instant.parse("2026-10-25T02:30:00Z")); // 03:30 CET
        assertThat(decideNow().due()).isTrue();
    }
}
