package dev.sqlitebackup.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    /** A time after every backup of these tests, so that none of them is from the future. */
    private static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    private static BackupName at(String instant) {
        return BackupName.at(Instant.parse(instant));
    }

    private static List<BackupName> dailyAt0300(LocalDate last, int days) {
        return IntStream.range(0, days)
                .mapToObj(i -> BackupName.at(last.minusDays(i).atTime(3, 0).toInstant(ZoneOffset.UTC)))
                .toList();
    }

    private static List<String> keptDays(RetentionPlan plan) {
        return plan.kept().stream().map(k -> k.name().value().substring(7, 17)).toList();
    }

    @Test
    void sixHundredDailyBackups_keepsTwenty_oldestAtEndOfSeptember() {
        List<BackupName> backups = dailyAt0300(LocalDate.of(2026, 8, 18), 600);

        RetentionPlan plan = RetentionPolicy.DEFAULT.plan(backups, UTC, LATER);

        assertThat(plan.kept()).hasSize(20);
        assertThat(plan.deleted()).hasSize(580);
        assertThat(plan.kept().get(plan.kept().size() - 1).name()).isEqualTo(at("2025-09-30T03:00:00Z"));
        assertThat(keptDays(plan)).containsExactly(
                "2026-08-18", "2026-08-17", "2026-08-16", "2026-08-15", "2026-08-14", "2026-08-13", "2026-08-12",
                "2026-08-09", "2026-08-02", "2026-07-31", "2026-06-30", "2026-05-31", "2026-04-30", "2026-03-31",
                "2026-02-28", "2026-01-31", "2025-12-31", "2025-11-30", "2025-10-31", "2025-09-30");
    }

    @Test
    void thePlanExplainsItself_withEveryReason() {
        List<BackupName> backups = dailyAt0300(LocalDate.of(2026, 8, 18), 600);

        RetentionPlan plan = RetentionPolicy.DEFAULT.plan(backups, UTC, LATER);

        assertThat(plan.kept().get(0).reasons())
                .containsExactly("daily", "weekly 2026-W34", "monthly 2026-08", "last");
        assertThat(plan.kept()).filteredOn(k -> k.name().equals(at("2026-08-16T03:00:00Z")))
                .singleElement().extracting(RetentionPlan.Keep::reasons)
                .isEqualTo(List.of("daily", "weekly 2026-W33", "last"));
        assertThat(plan.kept()).filteredOn(k -> k.name().equals(at("2026-07-31T03:00:00Z")))
                .singleElement().extracting(RetentionPlan.Keep::reasons)
                .isEqualTo(List.of("monthly 2026-07"));
        assertThat(plan.decisions()).hasSize(600);
        assertThat(plan.decisions().get(0).name()).isEqualTo(at("2026-08-18T03:00:00Z"));
        assertThat(plan.decisions()).last().isInstanceOf(RetentionPlan.Delete.class);
    }

    @Test
    void severalBackupsADay_dailyKeepsAllOfTheRecentDays_periodsKeepOnlyTheNewest() {
        List<BackupName> backups = new ArrayList<>();
        for (int day = 1; day <= 20; day++) {
            for (int hour : new int[] {1, 9, 17}) {
                backups.add(at(String.format("2026-03-%02dT%02d:00:00Z", day, hour)));
            }
        }
        RetentionPlan plan = new RetentionPolicy(2, 2, 1, 0).plan(backups, UTC, LATER);

        // days 20 and 19 in full (6), plus the newest of ISO week 2026-W11 (Sun 15 Mar, 17:00)
        assertThat(plan.kept()).extracting(k -> k.name().value()).containsExactly(
                "backup-2026-03-20-170000.db", "backup-2026-03-20-090000.db", "backup-2026-03-20-010000.db",
                "backup-2026-03-19-170000.db", "backup-2026-03-19-090000.db", "backup-2026-03-19-010000.db",
                "backup-2026-03-15-170000.db");
        assertThat(plan.kept().get(0).reasons()).containsExactly("daily", "weekly 2026-W12", "monthly 2026-03");
    }

    @Test
    void monthsOfDowntime_neverCostHistory_becausePeriodsCountOnlyWhenTheyHoldABackup() {
        // a machine that was off from February to October: 3 January backups, then 3 in November
        List<BackupName> backups = List.of(
                at("2026-01-10T03:00:00Z"), at("2026-01-20T03:00:00Z"), at("2026-01-30T03:00:00Z"),
                at("2026-11-01T03:00:00Z"), at("2026-11-02T03:00:00Z"), at("2026-11-03T03:00:00Z"));

        RetentionPlan plan = new RetentionPolicy(2, 0, 0, 0).plan(backups, UTC, LATER);
        assertThat(keptDays(plan)).containsExactly("2026-11-03", "2026-11-02");

        RetentionPlan defaults = RetentionPolicy.DEFAULT.plan(backups, UTC, LATER);
        assertThat(defaults.deleted()).isEmpty();

        RetentionPlan monthly = new RetentionPolicy(0, 0, 2, 0).plan(backups, UTC, LATER);
        assertThat(keptDays(monthly)).containsExactly("2026-11-03", "2026-01-30");
    }

    @Test
    void aZoneWestOfUtc_putsA0300UtcBackupOnThePreviousLocalDay() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 03:00 UTC on 1 August is 23:00 on 31 July in New York: it belongs to July there
        List<BackupName> backups = List.of(
                at("2026-08-01T03:00:00Z"), at("2026-07-31T03:00:00Z"), at("2026-07-30T03:00:00Z"));

        RetentionPlan local = new RetentionPolicy(0, 0, 1, 0).plan(backups, newYork, LATER);
        assertThat(local.kept()).singleElement().satisfies(k -> {
            assertThat(k.name()).isEqualTo(at("2026-08-01T03:00:00Z"));
            assertThat(k.reasons()).containsExactly("monthly 2026-07");
        });

        RetentionPlan daily = new RetentionPolicy(1, 0, 0, 0).plan(backups, newYork, LATER);
        assertThat(daily.kept()).extracting(RetentionPlan.Keep::name)
                .containsExactly(at("2026-08-01T03:00:00Z"));

        RetentionPlan utc = new RetentionPolicy(0, 0, 2, 0).plan(backups, UTC, LATER);
        assertThat(utc.kept()).extracting(k -> k.reasons().get(0))
                .containsExactly("monthly 2026-08", "monthly 2026-07");
    }

    @Test
    void dstChanges_dayBoundariesFollowTheLocalClock() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2026-03-29: clocks go 02:00 -> 03:00 (UTC+1 -> UTC+2). 22:30 UTC on 28 March is 23:30 local (28th);
        // 22:30 UTC on 29 March is 00:30 local on the 30th.
        List<BackupName> backups = List.of(
                at("2026-03-29T22:30:00Z"), at("2026-03-29T21:30:00Z"), at("2026-03-28T22:30:00Z"),
                at("2026-03-28T21:30:00Z"));

        RetentionPlan plan = new RetentionPolicy(2, 0, 0, 0).plan(backups, berlin, LATER);

        // local days: 30th (00:30), 29th (23:30), 28th (23:30 and 22:30): the two most recent days are 30th and 29th
        assertThat(plan.kept()).extracting(RetentionPlan.Keep::name)
                .containsExactly(at("2026-03-29T22:30:00Z"), at("2026-03-29T21:30:00Z"));

        // autumn: 2026-10-25 has 25 hours in Berlin; both 00:30 and 23:30 local are the same day
        List<BackupName> autumn = List.of(at("2026-10-25T21:30:00Z"), at("2026-10-24T22:30:00Z"),
                at("2026-10-24T21:30:00Z"));
        RetentionPlan oneDay = new RetentionPolicy(1, 0, 0, 0).plan(autumn, berlin, LATER);
        assertThat(oneDay.kept()).extracting(RetentionPlan.Keep::name)
                .containsExactly(at("2026-10-25T21:30:00Z"), at("2026-10-24T22:30:00Z"));
    }

    @Test
    void isoWeek53_isAWeekOfItsOwn_spanningTheNewYear() {
        // 2026 has 53 ISO weeks: Mon 28 Dec 2026 .. Sun 3 Jan 2027 is 2026-W53
        List<BackupName> backups = List.of(
                at("2027-01-04T03:00:00Z"), at("2027-01-03T03:00:00Z"), at("2026-12-28T03:00:00Z"),
                at("2026-12-27T03:00:00Z"));

        RetentionPlan plan = new RetentionPolicy(0, 3, 0, 0).plan(backups, UTC, LATER);

        assertThat(plan.kept()).extracting(k -> k.reasons().get(0))
                .containsExactly("weekly 2027-W01", "weekly 2026-W53", "weekly 2026-W52");
        assertThat(plan.deleted()).containsExactly(at("2026-12-28T03:00:00Z"));
    }

    @Test
    void keepLast_keepsTheNewestWhateverTheirDates() {
        List<BackupName> backups = dailyAt0300(LocalDate.of(2026, 8, 18), 30);

        RetentionPlan plan = new RetentionPolicy(0, 0, 0, 3).plan(backups, UTC, LATER);

        assertThat(keptDays(plan)).containsExactly("2026-08-18", "2026-08-17", "2026-08-16");
        assertThat(plan.kept()).allSatisfy(k -> assertThat(k.reasons()).containsExactly("last"));
    }

    @Test
    void theNewestBackupIsKept_byEveryValidPolicy() {
        List<BackupName> backups = dailyAt0300(LocalDate.of(2026, 8, 18), 100);
        for (RetentionPolicy policy : List.of(new RetentionPolicy(1, 0, 0, 0), new RetentionPolicy(0, 1, 0, 0),
                new RetentionPolicy(0, 0, 1, 0), new RetentionPolicy(0, 0, 0, 1))) {
            assertThat(policy.plan(backups, UTC, LATER).kept().get(0).name()).isEqualTo(backups.get(0));
        }
    }

    @Test
    void noBackups_andTheOrderTheyComeIn_doNotMatter() {
        assertThat(RetentionPolicy.DEFAULT.plan(List.of(), UTC, LATER).decisions()).isEmpty();

        List<BackupName> backups = new ArrayList<>(dailyAt0300(LocalDate.of(2026, 8, 18), 200));
        RetentionPlan sorted = RetentionPolicy.DEFAULT.plan(backups, UTC, LATER);
        Collections.shuffle(backups, new java.util.Random(42));
        assertThat(RetentionPolicy.DEFAULT.plan(backups, UTC, LATER)).isEqualTo(sorted);
    }

    @Test
    void aFolderOfOnlyForeignFiles_givesNoBackupsToPlan() {
        List<String> files = List.of("notes.txt", "backup-2026-13-01-030000.db", "backup-2026-08-18-030000.db.sha256",
                "backup-2026-08-18-030000.db.bak", "xbackup-2026-08-18-030000.db", "backup-2026-08-18-03000.db",
                "backup-2026-02-30-030000.db", "BACKUP-2026-08-18-030000.DB", "backup-2026-08-18-246000.db");

        List<BackupName> names = files.stream().flatMap(f -> BackupName.parse(f).stream()).toList();

        assertThat(names).isEmpty();
        assertThat(RetentionPolicy.DEFAULT.plan(names, UTC, LATER).deleted()).isEmpty();
    }

    @Test
    void planningAHundredThousandBackups_isCorrect() {
        // An hourly backup for over eleven years; speed is shown in the benchmark, not asserted here.
        List<BackupName> backups = IntStream.range(0, 100_000)
                .mapToObj(i -> BackupName.at(Instant.parse("2026-08-18T03:00:00Z").minusSeconds(3600L * i)))
                .toList();

        RetentionPlan plan = RetentionPolicy.DEFAULT.plan(backups, UTC, LATER);

        // 18 Aug holds 4 (00:00-03:00) + 6 whole days of 24, the newest of weeks 32 and 31 (33 and 34 are among
        // the days), and the newest of 11 earlier months
        assertThat(plan.kept()).hasSize(4 + 6 * 24 + 2 + 11);
    }

    @Test
    void invalidPolicies_cannotExist() {
        assertThatThrownBy(() -> new RetentionPolicy(0, 0, 0, 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("keeps nothing");
        assertThatThrownBy(() -> new RetentionPolicy(-1, 4, 12, 7))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("daily").hasMessageContaining("-1");
        assertThatThrownBy(() -> new RetentionPolicy(7, 4, 12, -7))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("last");
    }

    @Test
    void aPinnedBackup_isKeptForTheReasonPinned_untilItsPinExpires_andTakesNoRulesPlace() {
        List<BackupName> backups = dailyAt0300(LocalDate.of(2026, 8, 18), 600);
        BackupName old = backups.get(300);
        Instant now = Instant.parse("2026-08-18T12:00:00Z");
        RetentionPlan unpinned = RetentionPolicy.DEFAULT.plan(backups, UTC, now);
        assertThat(unpinned.deleted()).contains(old);

        Pin pin = new Pin(old, now.plusSeconds(3600), "table messages: 120,433 -> 12 rows");
        RetentionPlan pinned = RetentionPolicy.DEFAULT.plan(backups, UTC, now, List.of(pin,
                new Pin(at("2020-01-01T03:00:00Z"), now.plusSeconds(3600), "a backup no longer there")));

        assertThat(pinned.deleted()).doesNotContain(old).hasSize(unpinned.deleted().size() - 1);
        assertThat(pinned.kept()).filteredOn(k -> k.name().equals(old)).singleElement()
                .satisfies(k -> assertThat(k.reasons()).containsExactly(RetentionPolicy.PINNED));
        assertThat(pinned.kept().stream().filter(k -> !k.name().equals(old)).toList())
                .as("every other decision as without the pin").isEqualTo(unpinned.kept());

        RetentionPlan expired = RetentionPolicy.DEFAULT.plan(backups, UTC, now.plusSeconds(3600), List.of(pin));
        assertThat(expired.deleted()).as("a pin holds until its time, not at it").contains(old);
    }
}
