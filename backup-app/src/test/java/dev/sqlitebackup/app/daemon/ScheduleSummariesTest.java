package dev.sqlitebackup.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleSummariesTest {

    private static final Instant T = Instant.parse("2026-11-26T03:00:00Z");
    private final List<List<ScheduleSummaries.Outcome>> sent = new ArrayList<>();
    private final ScheduleSummaries summaries = new ScheduleSummaries((outcomes, at, took) -> sent.add(outcomes),
            Clock.fixed(T.plusSeconds(90), ZoneOffset.UTC));
    private final BackupSchedule nightly = BackupSchedule.parse("0 0 3 * * ?", ZoneOffset.UTC);
    private final BackupSchedule hourly = BackupSchedule.parse("0 0 * * * ?", ZoneOffset.UTC);

    @Test
    void theDatabasesOfOneSchedule_areSummarisedOnceTheLastOfThemEnds_eachScheduleOnItsOwn() {
        summaries.member("t1", nightly);
        summaries.member("t2", nightly);
        summaries.member("app", hourly);

        summaries.scheduledRunEnded("t1", nightly, T, true, 10);
        summaries.scheduledRunEnded("app", hourly, T, true, 5);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).extracting(ScheduleSummaries.Outcome::name).containsExactly("app");
        summaries.scheduledRunEnded("t2", nightly, T, false, 0);

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).extracting(ScheduleSummaries.Outcome::name).containsExactly("t1", "t2");
    }

    @Test
    void aRunThatNeverEnded_isSummarisedWhenTheNextRunOfItsScheduleEnds_orAtStop() {
        summaries.member("t1", nightly);
        summaries.member("t2", nightly);

        summaries.scheduledRunEnded("t1", nightly, T, true, 10);
        summaries.scheduledRunEnded("t1", nightly, T.plusSeconds(86_400), true, 10);

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).extracting(ScheduleSummaries.Outcome::name).containsExactly("t1");
        summaries.flush();
        assertThat(sent).hasSize(2);
    }
}
