package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * Debian's {@code sqlite3} in another process (so SQLite's locks are really another process's), fed a script one
 * piece at a time, the i-th piece from {@code piece}, until closed. Its errors go to {@code sqlite3.err} beside the
 * database, which must stay empty.
 */
final class FedSqlite3 implements AutoCloseable {
    private final Process process;
    private final Path errors;
    private final Thread feeder;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong statements = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Starts {@code sqlite3} on {@code db}, fed {@code preamble} and then the pieces 1, 2, ... */
    FedSqlite3(Path db, String preamble, LongFunction<String> piece) throws IOException {
        errors = db.resolveSibling("sqlite3.err");
        process = new ProcessBuilder("sqlite3", "-batch", db.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors.toFile()).start();
        feeder = new Thread(() -> feed(preamble, piece), "sqlite3-feeder");
        feeder.start();
    }

    private void feed(String preamble, LongFunction<String> piece) {
        try (Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            in.write(preamble);
            for (long i = 1; !stop.get(); i++) {
                in.write(piece.apply(i));
                in.flush();
                statements.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            if (!stop.get()) {
                failure.set(e);
            }
        }
    }

    void awaitStatements(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (statements.get() < n && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(5);
        }
        assertThat(statements.get()).as("sqlite3 runs the script").isGreaterThanOrEqualTo(n);
    }

    long statements() {
        return statements.get();
    }

    void assertNoErrors() throws IOException {
        assertThat(failure.get()).isNull();
        assertThat(process.isAlive()).as("sqlite3 still runs").isTrue();
        assertThat(Files.readString(errors)).as("sqlite3's errors").isEmpty();
    }

    @Override
    public void close() throws IOException {
        stop.set(true);
        try {
            feeder.join(20_000);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        assertThat(Files.readString(errors)).as("sqlite3's errors").isEmpty();
    }
}
