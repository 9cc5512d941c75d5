package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.RunRecord;
import dev.sqlitebackup.domain.model.RunTrigger;
import dev.sqlitebackup.domain.testing.InMemoryActivityLog;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import dev.sqlitebackup.domain.testing.MutableClock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordRefusedRunServiceTest {

    private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
    private final InMemoryActivityLog log = new InMemoryActivityLog();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-18T03:00:00Z"));
    private final RecordRefusedRunService service = new RecordRefusedRunService(repository, log, clock);

    @Test
    void inAnExistingFolder_aRefusedRun_isAFailedRunWithItsReason_secretsMasked() {
        repository.put(BackupName.at(Instant.parse("2026-08-17T03:00:00Z")), new byte[] {1}, true);

        boolean recorded = service.record(RunTrigger.MANUAL,
                "NTFY_URL is not a URL: 'https://bot:hunter2 x@ntfy.example'");

        assertThat(recorded).isTrue();
        assertThat(log.all()).singleElement().satisfies(r -> {
            assertThat(r.trigger()).isEqualTo(RunTrigger.MANUAL);
            assertThat(r.outcome()).contains(RunRecord.Outcome.FAILED);
            assertThat(r.startedAt()).isEqualTo(clock.instant());
            assertThat(r.endedAt()).contains(clock.instant());
            assertThat(r.error()).isEqualTo(Optional.of("NTFY_URL is not a URL: 'https://bot:***@ntfy.example'"));
        });
    }

    @Test
    void withoutAFolder_nothingIsRecorded_andNothingCreated() {
        assertThat(service.record(RunTrigger.MANUAL, "BACKUP_KEEP_DAILY must not be negative, got -1")).isFalse();

        assertThat(log.all()).isEmpty();
        assertThat(repository.exists()).isFalse();
    }
}
