package dev.sqlitebackup.app.bench;

import dev.sqlitebackup.adapters.codec.AgeRecipient;
import dev.sqlitebackup.adapters.codec.CodecSettings;
import dev.sqlitebackup.adapters.codec.ZstdAgeBackupCodec;
import dev.sqlitebackup.adapters.drive.DriveRemoteBackupStore;
import dev.sqlitebackup.adapters.drive.DriveSettings;
import dev.sqlitebackup.adapters.drive.FakeDrive;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.RemoteBackup;
import dev.sqlitebackup.domain.model.RetentionPlan;
import dev.sqlitebackup.domain.model.RetentionPolicy;
import dev.sqlitebackup.domain.model.StoredForm;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measurements for docs/benchmark.sh that need the code rather than the jar; test sources, so it never ships.
 * <pre>
 *   plan                          time RetentionPolicy.DEFAULT.plan over 100,000 hourly backups (best of 5, warm)
 *   fake-drive INFO               serve a FakeDrive on loopback, write its address and secrets to INFO, until stdin ends
 *   upload FILE INFO [CHUNK_MB]   upload FILE through the real DriveRemoteBackupStore to that fake; print MB/s
 *   offsite FILE INFO RECIPIENT LEVEL
 *                                 the off-site copy of FILE: zstd at LEVEL and age to RECIPIENT (age1...), digested
 *                                 and uploaded to that fake in one pass; print seconds, plain MB/s and stored bytes,
 *                                 then delete the copy from the fake (untimed)
 *   offsite-parts FILE RECIPIENT LEVEL
 *                                 the off-site copy's parts alone, each a pass over FILE in this JVM (after a warm-up
 *                                 pass): zstd as the codec runs it and as zstd -T1 does, zstd + age, SHA-256, MD5
 *   writer DB LOG                 commit "insert a row, count it" in a loop on DB until stdin ends; per commit, write
 *                                 "end-epoch-micros duration-micros" to LOG
 *   load DIR                      ten backups back to back in-process while a writer commits, in WAL and in DELETE
 *                                 journal mode, in DIR; each must hold a committed state; prints the writer's waits
 * </pre>
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "plan" -> plan();
            case "fake-drive" -> fakeDrive(Path.of(arg(args, 1)));
            case "upload" -> upload(Path.of(arg(args, 1)), Path.of(arg(args, 2)),
                    args.length > 3 ? Integer.parseInt(args[3]) : DriveSettings.DEFAULT_CHUNK_MB);
            case "offsite" -> offsite(Path.of(arg(args, 1)), Path.of(arg(args, 2)), arg(args, 3),
                    Integer.parseInt(arg(args, 4)));
            case "offsite-parts" -> offsiteParts(Path.of(arg(args, 1)), arg(args, 2), Integer.parseInt(arg(args, 3)));
            case "writer" -> writer(Path.of(arg(args, 1)), Path.of(arg(args, 2)));
            case "load" -> load(Path.of(arg(args, 1)));
            default -> usage();
        }
    }

    private static String arg(String[] args, int i) {
        if (args.length <= i) {
            usage();
        }
        return args[i];
    }

    private static void usage() {
        System.err.println("usage: Benchmarks plan | fake-drive INFO | upload FILE INFO [CHUNK_MB]"
                + " | offsite FILE INFO RECIPIENT LEVEL | offsite-parts FILE RECIPIENT LEVEL | writer DB LOG"
                + " | load DIR");
        System.exit(2);
    }

    // ---- retention plan

    private static void plan() {
        int count = 100_000;
        Instant first = Instant.parse("2015-01-01T00:00:00Z");
        List<BackupName> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(BackupName.at(first.plus(i, ChronoUnit.HOURS)));
        }
        ZoneId zone = ZoneId.of("Europe/Berlin");
        Instant now = names.get(count - 1).instant();
        RetentionPlan plan = null;
        for (int i = 0; i < 3; i++) { // warm-up: class loading, JIT
            plan = RetentionPolicy.DEFAULT.plan(names, zone, now);
        }
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            plan = RetentionPolicy.DEFAULT.plan(names, zone, now);
            runs.add(System.nanoTime() - t0);
        }
        long best = runs.stream().min(Long::compare).orElseThrow();
        System.out.printf("plan_ms %.1f%n", best / 1e6);
        System.out.printf("plan over %d hourly backups (%s .. %s, zone %s): best of 5 after 3 warm-up runs %.1f ms; "
                + "runs %s ms; kept %d, deleted %d%n", count, names.get(0), names.get(count - 1), zone, best / 1e6,
                runs.stream().map(n -> String.format("%.1f", n / 1e6)).toList(), plan.kept().size(),
                plan.deleted().size());
    }

    // ---- Drive upload

    private static void fakeDrive(Path info) throws Exception {
        try (FakeDrive fake = new FakeDrive()) {
            // the fake's copy of an upload goes to a RAM disk where there is one: a real Drive's disks do not share
            // this machine's CPUs, and an ext4 page cache write can cost more CPU than the whole upload client
            Path shm = Path.of("/dev/shm");
            if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                fake.storageDirectory = shm;
            }
            System.out.println("fake-drive: uploads over " + FakeDrive.IN_MEMORY_LIMIT / (1 << 20) + " MiB kept in "
                    + (fake.storageDirectory == null ? System.getProperty("java.io.tmpdir") : fake.storageDirectory));
            Properties p = new Properties();
            p.setProperty("rootUrl", fake.rootUrl().toString());
            p.setProperty("tokenUri", fake.tokenUri().toString());
            p.setProperty("clientId", FakeDrive.CLIENT_ID);
            p.setProperty("clientSecret", fake.clientSecret);
            p.setProperty("refreshToken", fake.refreshToken);
            Path tmp = info.resolveSibling(info.getFileName() + ".tmp");
            try (var out = Files.newBufferedWriter(tmp)) {
                p.store(out, "FakeDrive");
            }
            Files.move(tmp, info); // appears whole
            System.in.transferTo(OutputStreamSink.INSTANCE); // serve until stdin ends
        }
    }

    /** Settings that reach the fake described by {@code info}, with its credentials written to {@code credentials}. */
    private static DriveSettings fakeDriveSettings(Path info, Path credentials, int chunkMb) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(info)) {
            p.load(in);
        }
        Files.writeString(credentials, """
                {"type": "authorized_user", "client_id": "%s", "client_secret": "%s", "refresh_token": "%s",
                 "token_uri": "%s"}
                """.formatted(p.getProperty("clientId"), p.getProperty("clientSecret"),
                p.getProperty("refreshToken"), p.getProperty("tokenUri")));
        return new DriveSettings(credentials, DriveSettings.DEFAULT_FOLDER, Optional.empty(),
                Optional.of(URI.create(p.getProperty("rootUrl"))), chunkMb * 1024 * 1024,
                DriveSettings.DEFAULT_RETRY_ATTEMPTS, DriveSettings.DEFAULT_INITIAL_BACKOFF,
                DriveSettings.DEFAULT_CONNECT_TIMEOUT, DriveSettings.DEFAULT_READ_TIMEOUT);
    }

    private static void upload(Path file, Path info, int chunkMb) throws Exception {
        Path credentials = Files.createTempFile("bench-drive-credentials", ".json");
        try {
            DriveSettings settings = fakeDriveSettings(info, credentials, chunkMb);
            long size = Files.size(file);
            Optional<String> sha = sidecar(file);
            double mb = size / 1e6;

            // a warm-up upload of a small file: connection, token, folder, class loading
            Path small = Files.createTempFile("bench-warm", ".db");
            Files.write(small, new byte[1 << 20]);
            DriveRemoteBackupStore store = new DriveRemoteBackupStore(settings,
                    new ZstdAgeBackupCodec(CodecSettings.plain()));
            store.upload(new Backup(BackupName.at(Instant.parse("2020-01-01T00:00:00Z")), 1 << 20, Optional.empty()),
                    small);
            Files.delete(small);

            Backup backup = new Backup(BackupName.at(Instant.now().truncatedTo(ChronoUnit.SECONDS)), size, sha);
            long t0 = System.nanoTime();
            RemoteBackup remote = store.upload(backup, file);
            long nanos = System.nanoTime() - t0;
            if (remote.sizeBytes() != size) {
                throw new IllegalStateException("uploaded " + remote.sizeBytes() + " bytes of " + size);
            }
            double seconds = nanos / 1e9;
            System.out.printf("upload_mb_s %.0f%n", mb / seconds);
            // the store digests (MD5, SHA-256) the bytes as it reads them for sending: no separate pass to subtract
            System.out.printf("uploaded %s (%.0f MB, %d MiB chunks, %s) in %.2f s: %.0f MB/s end to end, local "
                    + "digests and the SHA-256 check against the sidecar included%n", file.getFileName(), mb, chunkMb,
                    sha.isPresent() ? "SHA-256 from the sidecar" : "no sidecar: digested before sending", seconds,
                    mb / seconds);
        } finally {
            Files.deleteIfExists(credentials);
        }
    }

    /**
     * The off-site copy as the tool makes it: the local file read once, SHA-256 beside it, zstd, age, MD5 of the
     * stored bytes and the upload in one pass. The SHA-256 comes from the sidecar, as the tool has it recorded at
     * publish; without one the store would digest the whole file first, which the tool never does.
     */
    private static void offsite(Path file, Path info, String recipient, int level) throws Exception {
        Path credentials = Files.createTempFile("bench-drive-credentials", ".json");
        try {
            DriveSettings settings = fakeDriveSettings(info, credentials, DriveSettings.DEFAULT_CHUNK_MB);
            long size = Files.size(file);
            Optional<String> sha = sidecar(file);
            if (sha.isEmpty()) {
                throw new IllegalStateException("no sidecar " + file + BackupName.SIDECAR_SUFFIX + " with its SHA-256");
            }
            DriveRemoteBackupStore store = new DriveRemoteBackupStore(settings, new ZstdAgeBackupCodec(
                    new CodecSettings(true, level, List.of(AgeRecipient.parse(recipient)), List.of())));

            // a warm-up copy of a small file through the same codec: connection, token, folder, classes, zstd's
            // native library; then deleted, so the fake holds nothing else
            Path small = Files.createTempFile("bench-warm", ".db");
            Files.write(small, new byte[1 << 20]);
            store.delete(store.upload(new Backup(BackupName.at(Instant.parse("2020-01-01T00:00:00Z")), 1 << 20,
                    Optional.empty()), small));
            Files.delete(small);

            Backup backup = new Backup(BackupName.at(Instant.now().truncatedTo(ChronoUnit.SECONDS)), size, sha);
            long t0 = System.nanoTime();
            RemoteBackup remote = store.upload(backup, file);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (remote.form() != StoredForm.ZSTD_AGE || !remote.sha256().equals(sha)) {
                throw new IllegalStateException("uploaded " + remote + ", not a zstd+age copy of " + file);
            }
            store.delete(remote);
            System.out.printf("offsite_s %.3f%n", seconds);
            System.out.printf("offsite_mb_s %.1f%n", size / 1e6 / seconds);
            System.out.printf("stored_bytes %d%n", remote.sizeBytes());
            System.out.printf("off-site copy of %s (%d bytes, zstd -%d, age to 1 recipient, %d MiB chunks) in %.2f s:"
                    + " %.1f MB/s of database, %d bytes stored (%.2f %% of the database)%n", file.getFileName(), size,
                    level, DriveSettings.DEFAULT_CHUNK_MB, seconds, size / 1e6 / seconds, remote.sizeBytes(),
                    100.0 * remote.sizeBytes() / size);
        } finally {
            Files.deleteIfExists(credentials);
        }
    }

    /** Where the off-site copy's time goes: each part alone, one pass over the file each, in MB/s of database. */
    private static void offsiteParts(Path file, String recipient, int level) throws Exception {
        long size = Files.size(file);
        CodecSettings zstdOnly = new CodecSettings(true, level, List.of(), List.of());
        CodecSettings zstdAge = new CodecSettings(true, level, List.of(AgeRecipient.parse(recipient)), List.of());
        CodecSettings ageOnly = new CodecSettings(false, level, List.of(AgeRecipient.parse(recipient)), List.of());
        java.util.Map<String, ThrowingSink> parts = new java.util.LinkedHashMap<>();
        parts.put("codec zstd (2 workers, 4 MiB jobs)", out -> new ZstdAgeBackupCodec(zstdOnly).encoding(out));
        parts.put("zstd-jni, no worker (as zstd -T1)", out -> new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(
                out, level).setChecksum(true));
        parts.put("codec zstd+age", out -> new ZstdAgeBackupCodec(zstdAge).encoding(out));
        parts.put("codec age alone (no zstd)", out -> new ZstdAgeBackupCodec(ageOnly).encoding(out));
        parts.put("SHA-256", out -> new java.security.DigestOutputStream(out,
                java.security.MessageDigest.getInstance("SHA-256")));
        parts.put("MD5", out -> new java.security.DigestOutputStream(out, java.security.MessageDigest.getInstance("MD5")));
        for (var part : parts.entrySet()) {
            long[] stored = new long[1];
            double best = Double.MAX_VALUE;
            for (int run = 0; run < 2; run++) { // the first pass warms up
                CountingSink sink = new CountingSink();
                long t0 = System.nanoTime();
                try (var in = Files.newInputStream(file); var out = part.getValue().open(sink)) {
                    byte[] block = new byte[64 * 1024];
                    for (int n; (n = in.read(block)) > 0; ) {
                        out.write(block, 0, n);
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                best = Math.min(best, seconds);
                stored[0] = sink.count;
            }
            System.out.printf("part %-40s %6.2f s %7.1f MB/s -> %d bytes%n", part.getKey(), best, size / 1e6 / best,
                    stored[0]);
        }
    }

    private interface ThrowingSink {
        java.io.OutputStream open(java.io.OutputStream out) throws Exception;
    }

    /** Counts and discards. */
    private static final class CountingSink extends java.io.OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static Optional<String> sidecar(Path file) throws IOException {
        Path sidecar = file.resolveSibling(file.getFileName() + BackupName.SIDECAR_SUFFIX);
        if (!Files.exists(sidecar)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(sidecar).strip().split("\\s+")[0]);
    }

    // ---- load: backups back to back while a writer commits

    private static void load(Path dir) throws Exception {
        for (String journalMode : List.of("wal", "delete")) {
            Path temp = Files.createDirectories(dir.resolve(journalMode));
            ConcurrentWriterLoad.tenBackupsWhileAWriterCommits(journalMode, temp);
        }
        System.out.println("load_ok");
    }

    // ---- a writer's commit latency

    private static void writer(Path db, Path log) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try {
                System.in.transferTo(OutputStreamSink.INSTANCE);
            } catch (IOException e) {
                // stdin gone: stop as well
            }
            stop.set(true);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
        long commits = 0;
        long longest = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.US_ASCII)) {
            // what a typical WAL application runs with
            s.execute("PRAGMA busy_timeout=60000");
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("CREATE TABLE IF NOT EXISTS bench_writes(id INTEGER PRIMARY KEY, at INTEGER, payload BLOB)");
            s.execute("CREATE TABLE IF NOT EXISTS bench_counter(n INTEGER NOT NULL)");
            s.execute("INSERT INTO bench_counter SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM bench_counter)");
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO bench_writes(at, payload) VALUES (?, randomblob(200))")) {
                System.out.println("writer: committing");
                System.out.flush();
                while (!stop.get()) {
                    long start = System.nanoTime();
                    s.execute("BEGIN IMMEDIATE");
                    insert.setLong(1, System.currentTimeMillis());
                    insert.executeUpdate();
                    s.execute("UPDATE bench_counter SET n = n + 1");
                    s.execute("COMMIT");
                    long end = System.nanoTime();
                    Instant now = Instant.now();
                    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                    out.write(micros + " " + (end - start) / 1_000 + "\n");
                    commits++;
                    longest = Math.max(longest, end - start);
                    // a service commits now and then, not in a hot loop: leave the CPU to the backup
                    Thread.sleep(0, 200_000);
                }
            }
        }
        System.out.printf("writer: %d commits, longest %.1f ms%n", commits, longest / 1e6);
    }

    /** Discards what it is given. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
