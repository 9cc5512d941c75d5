package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqlitebackup.domain.port.out.DatabaseSnapshotter;
import dev.sqlitebackup.domain.testing.InMemoryRemoteBackupStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SHA-256 taken part by part as a copy is written is the copy's whole SHA-256, or a failure, never a guess. */
class LandedSha256Test {

    @TempDir
    Path temp;

    @Test
    void partsHandedInAsTheyAreWritten_giveTheSha256OfTheWholeCopy() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 123];
        new Random(7).nextBytes(content);
        Path copy = Files.createFile(temp.resolve("copy.db"));
        LandedSha256 landed = LandedSha256.of(copy);
        for (int at = 0; at < content.length; ) {
            int end = Math.min(at + 1_000_000, content.length);
            Files.write(copy, Arrays.copyOfRange(content, at, end), StandardOpenOption.APPEND);
            landed.landed(at, end);
            at = end;
        }

        assertThat(landed.finish().join())
                .isEqualTo(new DatabaseSnapshotter.CopyChecksum(InMemoryRemoteBackupStore.sha256(content), content.length));
    }

    /** A copy of {@code bytes} zeros named {@code name}, its bytes up to {@code to} handed in as one part. */
    private LandedSha256 handedIn(String name, int bytes, long to) throws IOException {
        LandedSha256 landed = LandedSha256.of(Files.write(temp.resolve(name), new byte[bytes]));
        landed.landed(0, to);
        return landed;
    }

    @Test
    void aPartOutOfOrder_isRefusedAtOnce() throws Exception {
        Path copy = Files.write(temp.resolve("copy.db"), new byte[100]);
        try (LandedSha256 landed = LandedSha256.of(copy)) {
            landed.landed(0, 50);

            assertThatThrownBy(() -> landed.landed(60, 100)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("out of order");
        }
    }

    @Test
    void aPartTheCopyDoesNotHave_orACopyThatGrewAfterwards_failsTheDigest() throws Exception {
        LandedSha256 past = handedIn("short.db", 100, 200);
        assertThatThrownBy(() -> past.finish().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IOException.class).hasMessageContaining("the copy ended at 100 bytes");

        LandedSha256 before = handedIn("grown.db", 100, 100);
        Files.write(temp.resolve("grown.db"), new byte[10], StandardOpenOption.APPEND);
        assertThatThrownBy(() -> before.finish().join()).isInstanceOf(CompletionException.class)
                .hasMessageContaining("the copy has 110 bytes, 100 were hashed");
    }

    @Test
    void closed_givesNoDigest_andTwoCopiesHashedAtOnceEachGetTheirOwn() throws Exception {
        LandedSha256 closed = handedIn("stopped.db", 100, 100);
        closed.close();
        assertThatThrownBy(() -> closed.finish().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);

        // the hashing threads are shared between copies: parts of two copies interleaved stay apart
        byte[] one = new byte[2_000_000];
        byte[] two = new byte[2_000_000];
        new Random(1).nextBytes(one);
        new Random(2).nextBytes(two);
        Path first = Files.createFile(temp.resolve("one.db"));
        Path second = Files.createFile(temp.resolve("two.db"));
        LandedSha256 a = LandedSha256.of(first);
        LandedSha256 b = LandedSha256.of(second);
        for (int at = 0; at < one.length; at += 250_000) {
            Files.write(first, Arrays.copyOfRange(one, at, at + 250_000), StandardOpenOption.APPEND);
            a.landed(at, at + 250_000);
            Files.write(second, Arrays.copyOfRange(two, at, at + 250_000), StandardOpenOption.APPEND);
            b.landed(at, at + 250_000);
        }
        assertThat(b.finish().join().sha256()).isEqualTo(InMemoryRemoteBackupStore.sha256(two));
        assertThat(a.finish().join().sha256()).isEqualTo(InMemoryRemoteBackupStore.sha256(one));
    }
}
