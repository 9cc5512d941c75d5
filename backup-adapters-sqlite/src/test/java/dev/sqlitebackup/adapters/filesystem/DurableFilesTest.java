package dev.sqlitebackup.adapters.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flush started on another thread is waited for as if it were the caller's own fsync: its failure included. */
class DurableFilesTest {

    @TempDir
    Path temp;

    @Test
    void aFlushMeanwhile_isDurableWhenAwaited_andItsFailureIsTheFsyncsOwn() throws Exception {
        Path file = Files.writeString(temp.resolve("copy.db"), "bytes");
        DurableFiles.Flushing flushing = DurableFiles.fsyncMeanwhile(file);
        flushing.awaitDurable();
        assertThat(flushing.done()).isCompleted();

        Path gone = temp.resolve("gone.db");
        DurableFiles.Flushing failed = DurableFiles.fsyncMeanwhile(gone);
        assertThatThrownBy(failed::awaitDurable).isInstanceOf(NoSuchFileException.class).hasMessageContaining(
                gone.toString());
        failed.awaitEnd(); // ended, however: never throws
    }
}
