package dev.sqlitebackup.adapters.filesystem;

import java.nio.file.Path;

/** Run as a separate process by the tests: takes a backup folder's lock, says so, and holds it until killed. */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        new FilesystemBackupFolderLock(Path.of(args[0])).lock("backup of other.db");
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
