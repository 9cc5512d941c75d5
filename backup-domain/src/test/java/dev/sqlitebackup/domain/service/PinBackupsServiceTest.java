package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.Pin;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PinBackupsServiceTest {

    private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");

    private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
    private final PinBackupsService service = new PinBackupsService(repository);

    @Test
    void unpin_releasesThePin_andSaysWhatItWas() {
        repository.prepare();
        BackupName name = BackupName.at(T0);
        repository.put(name, new byte[] {1}, true);
        Pin pin = new Pin(name, T0.plusSeconds(60), "exec: ./migrate.sh");
        repository.pin(pin);

        assertThat(service.pins()).containsExactly(pin);
        assertThat(service.unpin(name.value() + ".zst")).as("a stored name names its backup").isEqualTo(pin);
        assertThat(service.pins()).isEmpty();
    }

    @Test
    void unpinningABackupThatIsNotPinned_isBadInput_namingIt() {
        String name = BackupName.at(T0).value();
        assertThatThrownBy(() -> service.unpin(name)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("backup " + name + " is not pinned in ");
        repository.prepare();
        assertThatThrownBy(() -> service.unpin(name)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> service.unpin("holiday.db")).isInstanceOf(InvalidInputException.class)
                .hasMessage("'holiday.db' is not a backup name (backup-YYYY-MM-DD-HHMMSS.db)");
    }
}
