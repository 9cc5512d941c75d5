package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.sqlitebackup.adapters.codec.AgeEncryptionKeys;
import dev.sqlitebackup.adapters.codec.AgeIdentity;
import dev.sqlitebackup.adapters.codec.CodecSettings;
import dev.sqlitebackup.adapters.codec.ZstdAgeBackupCodec;
import dev.sqlitebackup.adapters.drive.FakeDrive;
import dev.sqlitebackup.adapters.drive.FakeDrive.FakeFile;
import dev.sqlitebackup.domain.model.StoredForm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} killed with SIGKILL at random moments, through the shaded jar: whatever the moment, every file under a
 * backup name is a whole, verified backup with a matching sidecar, no backup seen before is lost, the next run
 * succeeds and leaves no scratch file; and a run killed while uploading to Drive never leaves a partial or duplicate
 * file on Drive. Some kills come at a random time within a measured full run after its start-up (from the moment
 * the scratch copy appears: a kill before that only hits the JVM starting), alternating the two ways of copying;
 * the others are aimed at a phase by watching the folder (the scratch copy growing, the scratch copy whole, the
 * scratch sidecar written, the backup named), so every phase is hit however fast or loaded the machine is: nothing
 * here assumes how long a run takes. The times come from a seeded {@link Random}: the seed is printed, and
 * {@code -Dcrash.seed=N} replays the same times (what the killed process had done by then still varies).
 *
 * <p>How many kills: {@code -Dcrash.kills=N} random ones (default {@value #DEFAULT_RANDOM_KILLS}),
 * {@code -Dcrash.aimed=N} rounds of aimed ones (default 1: each phase once and publishing twice, the way of copying
 * alternating; two rounds aim both ways at every phase),
 * {@code -Dcrash.driveKills=N} during Drive uploads (default {@value #DEFAULT_DRIVE_KILLS}). A build runs the
 * defaults; a longer run (say {@code -Dcrash.kills=40 -Dcrash.aimed=3 -Dcrash.driveKills=12}) tries more moments.
 * The environment variables {@code CRASH_KILLS}, {@code CRASH_AIMED} and {@code CRASH_DRIVEKILLS} do the same, so CI
 * can choose a longer run without changing the build command.
 */
class CrashSafetyIT {

    /** About 170 MB of 1-4 KiB random blobs: big enough that copying and checking each last a while. */
    private static final int ROWS = 48_000;
    private static final int DEFAULT_RANDOM_KILLS = 4;
    private static final int DEFAULT_DRIVE_KILLS = 4;
    /** Kills at a random time within a measured full run after start-up, alternating the two ways of copying. */
    private static final int RANDOM_KILLS = count("crash.kills", DEFAULT_RANDOM_KILLS);
    /** Rounds of {@link #AIMED_KILLS}; at least one, so every phase is aimed at in every build. */
    private static final int AIMED_ROUNDS = Math.max(1, count("crash.aimed", 1));
    /** Kills aimed at each phase per round; publishing takes milliseconds, so it gets more. */
    private static final Map<Aim, Integer> AIMED_KILLS = new EnumMap<>(Map.of(Aim.STARTING, 1, Aim.COPYING, 1,
            Aim.CHECKING, 1, Aim.PUBLISHING, 2, Aim.PUBLISHED, 1));
    /**
     * The phases some kill must hit, or the test fails. Publishing lasts a few milliseconds (two links and three
     * fsyncs) on a fast disk, less than the watching can aim at: it is aimed at, and reported, but not required.
     */
    private static final Set<Aim> MUST_HIT = EnumSet.of(Aim.STARTING, Aim.COPYING, Aim.CHECKING, Aim.PUBLISHED);
    /** Further aimed kills per phase when a phase was never hit (the run outpaced the watching, say). */
    private static final int EXTRA_AIMED_TRIES = 3;
    /** How long after the scratch sidecar appears a kill aimed at publishing comes, at most. */
    private static final int PUBLISH_WINDOW_MILLIS = 4;
    /** About 11 MB: eleven 1 MiB chunks, each made to take {@link #CHUNK_DELAY_MILLIS} on the fake Drive. */
    private static final int DRIVE_ROWS = 3_000;
    /** The form of the Drive copies here: the default compression, encrypted to the owner's key. */
    private static final StoredForm DRIVE_FORM = StoredForm.ZSTD_AGE;
    private static final long CHUNK_DELAY_MILLIS = 120;
    private static final int DRIVE_KILLS = count("crash.driveKills", DEFAULT_DRIVE_KILLS);
    /** All but one of the Drive kills must land before the upload finished. */
    private static final int AT_LEAST_MID_UPLOAD = DRIVE_KILLS - 1;
    private static final long MIB = 1024 * 1024;

    /** The system property {@code name}, else the environment variable of its name in capitals, else the default. */
    private static int count(String name, int byDefault) {
        String value = System.getProperty(name, System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_')));
        return value == null || value.isBlank() ? byDefault : Integer.parseInt(value.strip());
    }

    /** The two ways {@code run} copies, alternated between kills. */
    private enum Mode {
        ONLINE_BACKUP("--no-vacuum"), VACUUM_INTO();

        private final List<String> flags;

        Mode(String... flags) {
            this.flags = List.of(flags);
        }

        String[] run(Path database) {
            List<String> args = new ArrayList<>(List.of("run", "--database", database.toString()));
            args.addAll(flags);
            return args.toArray(String[]::new);
        }
    }

    /** Where a kill is aimed: a random time, or a phase seen in the folder. */
    private enum Aim {
        /** A random time within a measured full run. */
        RANDOM(),
        /** At once: the JVM starting, the database inspected, the folder locked; nothing written yet. */
        STARTING("starting"),
        /** The scratch copy exists and is still growing. */
        COPYING("copying"),
        /** The scratch copy is whole and has no sidecar yet: quick_check and hashing. */
        CHECKING("checking or hashing"),
        /** 0 to {@link #PUBLISH_WINDOW_MILLIS} ms after the scratch sidecar appeared. */
        PUBLISHING("publishing"),
        /** The backup has its name and the scratch files are gone: retention, then exit. */
        PUBLISHED("published");

        /** The phases (beginnings of {@link #phaseOf} answers) this aim is meant to hit. */
        private final List<String> phases;

        Aim(String... phases) {
            this.phases = List.of(phases);
        }
    }

    /** One kill: how the run copies and where the kill is aimed. */
    private record Kill(Mode mode, Aim aim) {
    }

    @TempDir
    static Path shared;
    private static Path bigDb;
    private static Path driveDb;
    /** The public key Drive copies are encrypted to, its private key's file, and a codec that reads them back. */
    private static String driveRecipient;
    private static Path driveIdentity;
    private static ZstdAgeBackupCodec driveReader;
    private static long seed;
    private static final Map<Mode, Duration> fullRun = new EnumMap<>(Mode.class);
    private static final Map<Mode, Long> backupSize = new EnumMap<>(Mode.class);
    /** From the start of a run to its first scratch file: the JVM starting, inspecting, locking. */
    private static final Map<Mode, Duration> startUp = new EnumMap<>(Mode.class);

    @BeforeAll
    static void makeTheDatabasesAndTimeAFullRun() throws IOException {
        seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashSafetyIT: seed " + seed + " (replay with -Dcrash.seed=" + seed + ")");
        long start = System.nanoTime();
        bigDb = shared.resolve("big.db");
        createBlobs(bigDb, ROWS);
        driveDb = shared.resolve("drive.db");
        createBlobs(driveDb, DRIVE_ROWS);
        // Drive copies in the most involved form, compressed and encrypted; the key is made as keygen makes it
        driveIdentity = shared.resolve("owner-identity.txt");
        driveRecipient = new AgeEncryptionKeys(java.time.Clock.systemUTC()).createIdentity(driveIdentity);
        driveReader = new ZstdAgeBackupCodec(new CodecSettings(false, CodecSettings.DEFAULT_LEVEL, List.of(),
                AgeIdentity.readFile(driveIdentity)));
        System.out.printf("CrashSafetyIT: made %s (%d MB) and %s (%d MB) in %d ms%n", bigDb.getFileName(),
                Files.size(bigDb) / 1_000_000, driveDb.getFileName(), Files.size(driveDb) / 1_000_000,
                (System.nanoTime() - start) / 1_000_000);
        BackupFolder measure = new BackupFolder(shared.resolve("measure"), "blobs", ROWS);
        for (Mode mode : Mode.values()) {
            for (int run = 0; run < 2; run++) { // the shorter of two: the first may pay for a cold cache
                Child child = Child.start(shared, Map.of("BACKUP_DIR", measure.dir().toString()),
                        mode.run(bigDb));
                assertThat(child.await(() -> !measure.scratch().isEmpty())).as("a scratch file appeared\n"
                        + child.output()).isTrue();
                Duration toScratch = child.sinceStart();
                Duration took = child.waitForEnd();
                assertThat(child.exitCode()).as(child.output()).isZero();
                fullRun.merge(mode, took, (a, b) -> a.compareTo(b) <= 0 ? a : b);
                startUp.merge(mode, toScratch, (a, b) -> a.compareTo(b) <= 0 ? a : b);
                String made = measure.check("timing run " + mode).newBackups().get(0);
                backupSize.put(mode, Files.size(measure.dir().resolve(made)));
                measure.remove(made);
            }
            System.out.println("CrashSafetyIT: a full run " + mode + " takes " + fullRun.get(mode).toMillis()
                    + " ms, its first scratch file appears after " + startUp.get(mode).toMillis() + " ms");
        }
    }

    @Test
    void sigkillAtAnyMoment_leavesOnlyWholeBackups_losesNoOldOne_andTheNextRunSucceeds(@TempDir Path home) {
        Random random = new Random(seed);
        BackupFolder folder = new BackupFolder(home.resolve("backups"), "blobs", ROWS);
        Map<String, Integer> phases = new LinkedHashMap<>();
        List<Kill> kills = plannedKills();
        long start = System.nanoTime();
        for (int i = 0; i < kills.size(); i++) {
            String phase = killOnce(home, folder, random, kills.get(i), "kill " + (i + 1) + " of " + kills.size());
            phases.merge(phase, 1, Integer::sum);
        }
        // A phase that matters and was never hit (the run outpaced the watching): aim at it again, a few times.
        int extra = 0;
        for (Aim aim : MUST_HIT) {
            for (int attempt = 0; attempt < EXTRA_AIMED_TRIES && !hit(phases, aim); attempt++) {
                Kill kill = new Kill(Mode.values()[attempt % Mode.values().length], aim);
                String phase = killOnce(home, folder, random, kill, "extra kill " + (++extra) + " aimed at " + aim);
                phases.merge(phase, 1, Integer::sum);
            }
        }
        System.out.println("CrashSafetyIT: " + (kills.size() + extra) + " kills (" + RANDOM_KILLS
                + " at random times, the rest aimed at a phase, " + extra + " extra; seed " + seed + ") in "
                + (System.nanoTime() - start) / 1_000_000 + " ms, by phase: " + phases
                + "; sidecars left without their backup: " + folder.check("at the end").loneSidecars());
        for (Aim aim : MUST_HIT) {
            assertThat(hit(phases, aim)).as("some kill landed while " + aim.phases.get(0) + ", seed " + seed
                    + "; phases hit: " + phases).isTrue();
        }
        assertThat(sha256sumCheck(folder)).as("sha256sum -c on the backups left").isEqualTo("ok");
    }

    /** Random kills and aimed ones, interleaved, each way of copying aimed at each phase. */
    private static List<Kill> plannedKills() {
        List<Kill> aimed = new ArrayList<>();
        // a round aims at each phase once (publishing as often as AIMED_KILLS says), the way of copying alternating
        // from one aimed kill to the next and starting one further each round: two rounds aim both ways at each phase
        int next = 0;
        for (int round = 0; round < AIMED_ROUNDS; round++) {
            next = round;
            for (Map.Entry<Aim, Integer> e : AIMED_KILLS.entrySet()) {
                for (int n = 0; n < e.getValue(); n++) {
                    aimed.add(new Kill(Mode.values()[next++ % Mode.values().length], e.getKey()));
                }
            }
        }
        List<Kill> kills = new ArrayList<>();
        for (int i = 0; i < Math.max(RANDOM_KILLS, aimed.size()); i++) {
            if (i < RANDOM_KILLS) {
                kills.add(new Kill(Mode.values()[i % Mode.values().length], Aim.RANDOM));
            }
            if (i < aimed.size()) {
                kills.add(aimed.get(i));
            }
        }
        return kills;
    }

    private static boolean hit(Map<String, Integer> phases, Aim aim) {
        return phases.keySet().stream().anyMatch(p -> aim.phases.stream().anyMatch(p::startsWith));
    }

    /**
     * Starts a run, kills it where {@code kill} aims, checks the folder, then checks that the next run succeeds and
     * leaves no scratch file. Returns the phase the kill landed in, as seen in the folder.
     */
    private static String killOnce(Path home, BackupFolder folder, Random random, Kill kill, String what) {
        Mode mode = kill.mode();
        long fullSize = backupSize.get(mode);
        long afterStartUp = Math.max(1, fullRun.get(mode).minus(startUp.get(mode)).toMillis());
        long delay = kill.aim() == Aim.RANDOM ? (long) (random.nextDouble() * afterStartUp)
                : kill.aim() == Aim.PUBLISHING ? random.nextInt(PUBLISH_WINDOW_MILLIS) : 0;
        String context = what + " (" + mode + ", " + kill.aim() + ", " + delay + " ms; seed " + seed + ")";
        Set<String> loneBefore = folder.check(context + ", before").loneSidecars();
        Set<String> known = Set.copyOf(folder.names());

        Child child = Child.start(home, local(folder), mode.run(bigDb));
        boolean killed = switch (kill.aim()) {
            // from the first scratch file on: the start-up before it is the same JVM starting every time
            case RANDOM -> child.await(() -> !folder.scratch().isEmpty()) && child.killAfterFromNow(delay);
            case STARTING -> child.killAfterFromNow(delay);
            case COPYING -> child.await(() -> scratchCopySize(folder).filter(s -> s > 0 && s < fullSize).isPresent())
                    && child.killAfterFromNow(delay);
            case CHECKING -> child.await(() -> scratchCopySize(folder).filter(s -> s >= fullSize).isPresent()
                    && !scratchSidecar(folder)) && child.killAfterFromNow(delay);
            case PUBLISHING -> child.await(() -> scratchSidecar(folder)) && child.killAfterFromNow(delay);
            case PUBLISHED -> child.await(() -> !Set.copyOf(backupNames(folder)).equals(known)
                    && folder.scratch().isEmpty()) && child.killAfterFromNow(delay);
        };
        if (!killed) {
            assertThat(child.exitCode()).as(context + ": finished before the kill\n" + child.output()).isZero();
        }

        BackupFolder.Look look = folder.check(context + ", after the kill");
        String phase = killed ? phaseOf(look, loneBefore, fullSize) : "finished before the kill";

        JarProcess.Result next = jar(home, local(folder)).run(mode.run(bigDb));
        assertThat(next.exitCode()).as(context + ", the next run\n" + next).isZero();
        assertThat(next.out()).as(context + ", the next run").contains("Backed up");
        assertThat(folder.scratch()).as(context + ", scratch files after the next run").isEmpty();
        assertThat(folder.check(context + ", after the next run").newBackups()).as(context + ": the next run's")
                .hasSize(1);
        keepFirstAndNewest(folder, 3);
        return phase;
    }

    /** The size of the scratch copy being written, if there is one. */
    private static Optional<Long> scratchCopySize(BackupFolder folder) {
        for (Path p : folder.scratch()) {
            if (p.toString().endsWith(".db")) {
                try {
                    return Optional.of(Files.size(p));
                } catch (IOException goneMeanwhile) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static boolean scratchSidecar(BackupFolder folder) {
        return folder.scratch().stream().anyMatch(p -> p.toString().endsWith(".sha256"));
    }

    /** Every name in the folder that is a backup's, without checking it (the run may be writing). */
    private static List<String> backupNames(BackupFolder folder) {
        try (Stream<Path> entries = Files.list(folder.dir())) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> BackupFolder.BACKUP.matcher(n).matches())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Test
    void sigkillDuringTheDriveUpload_neverLeavesAPartialOrDuplicateFileOnDrive_andTheNextRunUploads(
            @TempDir Path home) throws IOException, InterruptedException {
        Random random = new Random(seed + 1);
        BackupFolder folder = new BackupFolder(home.resolve("backups"), "blobs", DRIVE_ROWS);
        long chunks = (Files.size(driveDb) + MIB - 1) / MIB;
        long uploadMillis = chunks * CHUNK_DELAY_MILLIS;
        int midUpload = 0;
        long start = System.nanoTime();
        try (FakeDrive fake = new FakeDrive()) {
            fake.chunkDelayMillis = CHUNK_DELAY_MILLIS;
            Path credentials = credentials(home, fake);
            for (int i = 1; i <= DRIVE_KILLS; i++) {
                Mode mode = i % 2 == 1 ? Mode.ONLINE_BACKUP : Mode.VACUUM_INTO;
                // kill before the last chunk could have arrived: the chunks' delays alone take uploadMillis
                long delay = (long) (random.nextDouble() * uploadMillis * 0.9);
                String context = "Drive kill " + i + " of " + DRIVE_KILLS + " (" + mode + ", " + delay
                        + " ms into the upload; seed " + seed + ")";
                long uploadsBefore = fake.count("POST /upload/drive/v3/files");

                Child child = Child.start(home, drive(folder, fake, credentials), mode.run(driveDb));
                assertThat(child.await(() -> fake.count("POST /upload/drive/v3/files") > uploadsBefore))
                        .as(context + ": the upload began\n" + child.output()).isTrue();
                assertThat(child.killAfterFromNow(delay)).as(context + ": still uploading\n" + child.output())
                        .isTrue();

                // a last chunk already in the socket when the client died is still stored: wait for the server
                assertThat(fake.awaitIdle(Duration.ofSeconds(30))).as(context + ": Drive answered all").isTrue();
                List<String> published = folder.check(context + ", after the kill").newBackups();
                assertThat(published).as(context + ": the local backup is published before the upload")
                        .hasSize(1);
                checkDrive(fake, folder, context + ", after the kill");
                if (fake.named(published.get(0) + DRIVE_FORM.suffix()).isEmpty()) {
                    midUpload++;
                }

                JarProcess.Result next = jar(home, drive(folder, fake, credentials)).run(mode.run(driveDb));
                assertThat(next.exitCode()).as(context + ", the next run\n" + next).isZero();
                assertThat(folder.scratch()).as(context + ", scratch files after the next run").isEmpty();
                List<String> uploaded = folder.check(context + ", after the next run").newBackups();
                assertThat(uploaded).hasSize(1);
                assertThat(fake.named(uploaded.get(0) + DRIVE_FORM.suffix()))
                        .as(context + ": the next run's backup is on Drive")
                        .hasSize(1);
                checkDrive(fake, folder, context + ", after the next run");
            }

            JarProcess.Result list = jar(home, drive(folder, fake, credentials)).run("list", "--remote", "--json");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            Set<String> listed = new TreeSet<>();
            for (JsonElement e : JsonParser.parseString(list.out()).getAsJsonArray()) {
                listed.add(e.getAsJsonObject().get("name").getAsString());
            }
            assertThat(listed).as("list --remote shows exactly the tool's files on Drive")
                    .isEqualTo(toolFiles(fake.files()).stream()
                            .map(f -> StoredForm.backupOf(f.name).orElseThrow().value())
                            .collect(Collectors.toCollection(TreeSet::new)));
            JarProcess.Result verify = jar(home, drive(folder, fake, credentials))
                    .env("AGE_IDENTITY_FILE", driveIdentity.toString()).run("verify", "--remote", "--all");
            assertThat(verify.exitCode()).as("verify --remote --all\n" + verify).isZero();
        }
        System.out.println("CrashSafetyIT: " + DRIVE_KILLS + " kills during Drive uploads (seed " + seed + ") in "
                + (System.nanoTime() - start) / 1_000_000 + " ms, " + midUpload + " with the upload unfinished");
        assertThat(midUpload).as("kills that landed mid-upload, seed " + seed).isGreaterThanOrEqualTo(
                AT_LEAST_MID_UPLOAD);
    }

    /** Where the run was when it died, from what it left. */
    private static String phaseOf(BackupFolder.Look look, Set<String> loneBefore, long fullSize) {
        Set<String> lone = new TreeSet<>(look.loneSidecars());
        lone.removeAll(loneBefore);
        boolean scratchSidecar = look.scratch().stream().anyMatch(p -> p.toString().endsWith(".sha256"));
        List<Path> scratchCopies = look.scratch().stream().filter(p -> p.toString().endsWith(".db")).toList();
        if (!look.newBackups().isEmpty()) {
            return look.scratch().isEmpty() ? "published (retention or exit)"
                    : "publishing (both names linked, scratch not yet removed)";
        }
        if (!lone.isEmpty()) {
            return "publishing (sidecar named, backup not yet)";
        }
        if (scratchSidecar) {
            return "publishing (scratch sidecar written)";
        }
        if (!scratchCopies.isEmpty()) {
            long size;
            try {
                size = Files.size(scratchCopies.get(0));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return size < fullSize ? "copying (scratch copy growing)" : "checking or hashing (scratch copy whole)";
        }
        return look.scratch().isEmpty() ? "starting (JVM, inspect, lock)" : "starting (scratch probe)";
    }

    /** Bounds disk use: the test removes all but the very first and the newest backups it has checked. */
    private static void keepFirstAndNewest(BackupFolder folder, int newest) {
        List<String> names = folder.names();
        for (int i = 1; i < names.size() - newest; i++) {
            folder.remove(names.get(i));
        }
    }

    /** Every file on Drive is one of the tool's, whole: the bytes of the local backup of its name, once. */
    private static void checkDrive(FakeDrive fake, BackupFolder folder, String context) {
        assertThat(fake.files()).as(context + ": one folder on Drive, found again by every run")
                .filteredOn(FakeFile::isFolder).hasSize(1);
        List<FakeFile> all = fake.files(); // one look: what is checked below is what was there
        List<FakeFile> files = all.stream().filter(f -> !f.isFolder()).toList();
        assertThat(files).as(context + ": one file per backup name on Drive").extracting(f -> f.name)
                .doesNotHaveDuplicates();
        for (FakeFile f : files) {
            String what = context + ": " + f.name + " (" + f.id + ") on Drive";
            assertThat(f.appProperties).as(what).containsEntry("sqlite-backup", "1")
                    .containsEntry("form", DRIVE_FORM.label());
            assertThat(f.name).as(what).endsWith(".db" + DRIVE_FORM.suffix());
            Path local = folder.dir().resolve(StoredForm.backupOf(f.name).orElseThrow().value());
            assertThat(local).as(what + ": its local backup").isRegularFile();
            byte[] bytes;
            byte[] decoded;
            try (InputStream in = driveReader.decoding(new ByteArrayInputStream(f.content), DRIVE_FORM, f.name)) {
                bytes = Files.readAllBytes(local);
                decoded = in.readAllBytes();
            } catch (IOException e) {
                throw new AssertionError(what + ": does not decode", e);
            }
            assertThat(decoded.length).as(what + ": size").isEqualTo(bytes.length);
            assertThat(decoded).as(what + ": bytes, decrypted and decompressed").isEqualTo(bytes);
            assertThat(f.md5()).as(what + ": md5 of the stored bytes").isEqualTo(FakeDrive.hex("MD5", f.content));
            assertThat(f.appProperties.get("sha256")).as(what + ": SHA-256 tag")
                    .isEqualTo(FakeDrive.hex("SHA-256", bytes));
        }
        assertThat(toolFiles(all)).as(context + ": the tool's files").hasSameSizeAs(files);
    }

    private static List<FakeFile> toolFiles(List<FakeFile> files) {
        return files.stream().filter(f -> !f.isFolder())
                .filter(f -> "1".equals(f.appProperties.get("sqlite-backup"))).toList();
    }

    private static String sha256sumCheck(BackupFolder folder) {
        List<String> command = new ArrayList<>(List.of("sha256sum", "-c", "--strict"));
        folder.names().forEach(n -> command.add(n + ".sha256"));
        try {
            Process p = new ProcessBuilder(command).directory(folder.dir().toFile()).redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? "ok" : output;
        } catch (IOException e) {
            return "ok"; // no sha256sum here: the Java check of every sidecar stands
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The environment of a run into {@code folder}. */
    private static Map<String, String> local(BackupFolder folder) {
        // the default policy keeps everything of one day anyway; this makes sure retention deletes nothing
        return Map.of("BACKUP_DIR", folder.dir().toString(), "BACKUP_KEEP_LAST", "1000");
    }

    /** The same with Drive on: the fake's API root, its credentials, 1 MiB chunks. */
    private static Map<String, String> drive(BackupFolder folder, FakeDrive fake, Path credentials) {
        Map<String, String> env = new LinkedHashMap<>(local(folder));
        env.put("GOOGLE_DRIVE_CREDENTIALS", credentials.toString());
        env.put("DRIVE_ROOT_URL", fake.rootUrl().toString());
        env.put("DRIVE_CHUNK_MB", "1");
        env.put("AGE_RECIPIENTS", driveRecipient);
        return env;
    }

    private static JarProcess jar(Path home, Map<String, String> env) {
        JarProcess jar = new JarProcess(home);
        env.forEach(jar::env);
        return jar;
    }

    /** What drive-auth writes, owner-only, pointing at the fake's token endpoint. */
    private static Path credentials(Path home, FakeDrive fake) throws IOException {
        return fake.writeUserCredentials(home.resolve("drive-credentials.json"));
    }

    /** A WAL database of random blobs of 1 to 4 KiB, made in one statement. */
    private static void createBlobs(Path db, int rows) {
        Sqlite.exec(db, "PRAGMA journal_mode=WAL", "PRAGMA synchronous=OFF",
                "CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ") "
                        + "INSERT INTO blobs (body) SELECT randomblob(1024 + abs(random() % 3073)) FROM n");
    }

    /** The jar started in the background, as a scheduler starts it, so that it can be killed. */
    private static final class Child {
        private final Process process;
        private final long startedNanos;
        private final Path out;
        private final Path err;

        private Child(Process process, long startedNanos, Path out, Path err) {
            this.process = process;
            this.startedNanos = startedNanos;
            this.out = out;
            this.err = err;
        }

        /**
         * Starts the jar the way {@link JarProcess} does, with {@code env} added to a clean environment, but with the
         * JVM's default options, as users run it: the phases the kills aim at take their real share of the run.
         */
        static Child start(Path workDir, Map<String, String> env, String... args) {
            ProcessBuilder pb = JarProcess.builder(workDir, List.of(), List.of(), env, args);
            try {
                Path out = Files.createTempFile(workDir, "killed-run-out", ".txt");
                Path err = Files.createTempFile(workDir, "killed-run-err", ".txt");
                pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.PIPE);
                long started = System.nanoTime();
                Process p = pb.start();
                p.getOutputStream().close();
                return new Child(p, started, out, err);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        Duration sinceStart() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }

        /** Waits (up to ten minutes) for the run to end by itself; returns how long it ran. */
        Duration waitForEnd() {
            try {
                if (!process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("the run did not end in ten minutes\n" + output());
                }
                return sinceStart();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** SIGKILL {@code millis} from now, unless it ended before; true when it was killed. */
        boolean killAfterFromNow(long millis) {
            return killAt(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
        }

        private boolean killAt(long deadlineNanos) {
            try {
                long wait = deadlineNanos - System.nanoTime();
                if (wait > 0 && process.waitFor(wait, TimeUnit.NANOSECONDS)) {
                    return false;
                }
                if (!process.isAlive()) {
                    return false;
                }
                process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed run is gone").isTrue();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Waits (up to a minute) until {@code condition} holds; false when the run ended first. */
        boolean await(BooleanSupplier condition) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!condition.getAsBoolean()) {
                if (!process.isAlive()) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("the awaited moment never came in a minute\n" + output());
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return true;
        }

        int exitCode() {
            return process.exitValue();
        }

        String output() {
            try {
                return "--- stdout\n" + Files.readString(out, StandardCharsets.UTF_8) + "--- stderr\n"
                        + Files.readString(err, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
