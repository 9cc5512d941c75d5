package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.BackupFailedException;
import dev.sqlitebackup.domain.model.RestoreTargetExistsException;
import dev.sqlitebackup.domain.port.out.RestoreDestination;
import java.nio.file.Path;

/** In-memory {@link RestoreDestination}: restores into the shared {@link InMemoryFiles}. */
public final class InMemoryRestoreDestination implements RestoreDestination {

    private final InMemoryFiles files;

    public InMemoryRestoreDestination(InMemoryFiles files) {
        this.files = files;
    }

    @Override
    public boolean exists(Path target) {
        return files.exists(target);
    }

    @Override
    public void install(Path verifiedCopy, String expectedSha256, Path target, boolean replace) {
        byte[] content = files.read(verifiedCopy)
                .orElseThrow(() -> new BackupFailedException(verifiedCopy + " does not exist"));
        if (files.exists(target) && !replace) {
            throw new RestoreTargetExistsException(target);
        }
        String actual = InMemoryBackupRepository.sha256(content);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new BackupFailedException("copy of " + verifiedCopy + " to " + target
                    + " does not match its checksum (" + actual + " != " + expectedSha256 + "); nothing restored");
        }
        if (replace) {
            for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
                files.delete(Path.of(target + suffix));
            }
        }
        files.write(target, content);
    }
}
