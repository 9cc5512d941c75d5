package dev.sqlitebackup.app.daemon;

/** Architecture fixture: the daemon using an adapter and a service directly. Never production code. */
public class ViolatingDaemonClass {
    public Object adapter() {
        return dev.sqlitebackup.adapters.filesystem.FilesystemBackupRepository.class;
    }

    public Object service() {
        return dev.sqlitebackup.domain.service.RunBackupService.class;
    }
}
