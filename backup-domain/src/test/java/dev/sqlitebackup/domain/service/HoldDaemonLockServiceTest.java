package dev.sqlitebackup.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.model.BackupInProgressException;
import dev.sqlitebackup.domain.port.in.HoldDaemonLockUseCase;
import dev.sqlitebackup.domain.testing.InMemoryBackupRepository;
import org.junit.jupiter.api.Test;

class HoldDaemonLockServiceTest {

    private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
    private final HoldDaemonLockService service = new HoldDaemonLockService(repository);

    @Test
    void holding_preparesTheFolder_andASecondDaemonIsRefusedWithWhoHoldsIt() {
        HoldDaemonLockUseCase.DaemonLock held = service.hold();
        try {
            assertThat(repository.exists()).isTrue();
            assertThatThrownBy(() -> new HoldDaemonLockService(repository).hold())
                    .isInstanceOf(BackupInProgressException.class)
                    .hasMessageContaining("sqlite-backup daemon for " + repository.describe());
        } finally {
            held.close();
        }
    }

    @Test
    void closingTheLock_letsTheNextDaemonHoldIt() {
        service.hold().close();

        try (HoldDaemonLockUseCase.DaemonLock next = new HoldDaemonLockService(repository).hold()) {
            assertThat(next).isNotNull();
        }
    }
}
