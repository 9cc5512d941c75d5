package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Runs the shaded jar as a separate process, the way a user does, and captures what it prints. */
final class JarProcess {

    /**
     * Waits until the wall clock's second has changed since the call: a run started after that gets a backup name
     * of its own, later than that of any run that ended before the call (names have whole seconds).
     */
    static void awaitTheNextSecond() throws InterruptedException {
        long second = System.currentTimeMillis() / 1000;
        long now;
        while ((now = System.currentTimeMillis()) / 1000 == second) {
            Thread.sleep(1000 - now % 1000);
        }
    }

    static final Path JAR = Path.of(System.getProperty("sqlitebackup.jar", "target/sqlite-backup.jar"))
            .toAbsolutePath();

    /** What one invocation did. */
    record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    /** A command that starts java for us, e.g. setpriv dropping root's privileges; none by default. */
    private final List<String> launcher = new ArrayList<>();
    private final List<String> unset = new ArrayList<>();

    JarProcess(Path workDir) {
        this.workDir = workDir;
        assertThat(JAR).as("the shaded jar (run 'mvn verify', not 'mvn test')").exists();
    }

    JarProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Runs java without the locale variables, as cron or {@code env -i} do: its file-name encoding is then ASCII. */
    JarProcess withoutLocale() {
        unset.addAll(List.of("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE"));
        return this;
    }

    /** Starts java through {@code command} (e.g. {@code setpriv --reuid=65534 ...}) rather than directly. */
    JarProcess launchedBy(List<String> command) {
        launcher.addAll(command);
        return this;
    }

    /**
     * The jar as a process in {@code workDir} with a clean environment (nothing from the developer's shell leaks
     * into the run), UTC, and {@code env} added; {@code launcher} goes before {@code java} (e.g. setpriv).
     */
    static ProcessBuilder builder(Path workDir, List<String> launcher, Map<String, String> env, String... args) {
        return builder(workDir, launcher, QUICK_START, env, args);
    }

    /**
     * JVM options for the ~150 short runs of the jar on small databases here: the serial collector, no perf data
     * file and C1 alone start it with about a third less CPU on this 2-core machine (behaviour is the same), and a
     * class-data archive of the jar's classes (see {@link #madeOncePerJar}) another ~0.1 s of CPU per start. Not for
     * big copies: C1 has no SHA-256 intrinsic, so hashing a large backup becomes several times slower.
     */
    /** Retention that keeps only the newest backup: what a prune or run needs to show what else it would delete. */
    static final String[] KEEP_ONE = {"--keep-last", "1", "--keep-daily", "0", "--keep-weekly", "0",
        "--keep-monthly", "0"};

    /** {@code command} followed by {@link #KEEP_ONE}. */
    static String[] keepingOne(String... command) {
        String[] all = java.util.Arrays.copyOf(command, command.length + KEEP_ONE.length);
        System.arraycopy(KEEP_ONE, 0, all, command.length, KEEP_ONE.length);
        return all;
    }

    static final List<String> QUICK_START = quickStart();

    private static List<String> quickStart() {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-XX:TieredStopAtLevel=1"));
        // the jar's classes as a dynamic class-data archive, made by a first run of a sample database as the
        // launcher trains one for users; a JVM that cannot map it runs without it, silently
        List<String> training = List.copyOf(options);
        madeOncePerJar("classes", "class-data archive", dir -> train(training, dir.resolve(CLASS_ARCHIVE)))
                .ifPresent(dir -> options.addAll(List.of("-XX:SharedArchiveFile=" + dir.resolve(CLASS_ARCHIVE),
                        "-Xshare:auto", "-Xlog:cds=off,cds+dynamic=off")));
        // sqlite-jdbc's library loaded from one copy, as the launcher does: otherwise every start writes a copy to
        // /tmp and sweeps the copies earlier JVMs left there, and two sweeping at once, or one as nobody finding
        // root's, print an error on stderr that tests of exact output would see
        madeOncePerJar("sqlite", "extracted SQLite library", JarProcess::extractSqliteLibrary)
                .ifPresent(dir -> options.addAll(List.of("-Dorg.sqlite.lib.path=" + dir,
                        "-Dorg.sqlite.lib.name=" + SQLITE_LIBRARY, "-Dorg.sqlite.tmpdir=" + dir)));
        return List.copyOf(options);
    }

    private static final String CLASS_ARCHIVE = "classes.jsa";
    private static final String SQLITE_LIBRARY = "libsqlitejdbc.so";

    /** Fills a fresh folder; false when there is nothing to put there on this machine. */
    @FunctionalInterface
    private interface Maker {
        boolean make(Path dir) throws IOException, InterruptedException;
    }

    /**
     * A folder of {@code kind} made once per jar: named after the jar's size and time, so a rebuilt jar gets a new
     * one (those of earlier jars are removed); made in a scratch folder and moved into place under a lock, so the two
     * failsafe JVMs make it once; readable by all (the runs as nobody use it). None when it cannot be made: the
     * tests run without it, only slower.
     */
    private static Optional<Path> madeOncePerJar(String kind, String what, Maker maker) {
        if (!Files.isRegularFile(JAR)) {
            return Optional.empty();
        }
        try {
            Path dir = JAR.resolveSibling("it-" + kind + "-" + Files.size(JAR) + "-"
                    + Files.getLastModifiedTime(JAR).toMillis());
            try (FileChannel lock = FileChannel.open(JAR.resolveSibling("it-made-once.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                lock.lock(); // released when the channel closes
                if (!Files.isDirectory(dir)) {
                    Path scratch = Files.createTempDirectory(JAR.getParent(), "scratch-it-" + kind);
                    try {
                        if (!maker.make(scratch)) {
                            return Optional.empty();
                        }
                        try (var made = Files.walk(scratch)) {
                            for (Path p : made.toList()) {
                                p.toFile().setReadable(true, false);
                                if (Files.isDirectory(p)) {
                                    p.toFile().setExecutable(true, false);
                                }
                            }
                        }
                        Files.move(scratch, dir, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        deleteTree(scratch);
                    }
                    try (var stale = Files.newDirectoryStream(JAR.getParent(), "it-" + kind + "-*")) {
                        for (Path old : stale) {
                            if (!old.equals(dir)) {
                                deleteTree(old); // made for a jar built before this one
                            }
                        }
                    }
                }
            }
            return Optional.of(dir);
        } catch (IOException e) {
            System.err.println("JarProcess: no " + what + " (" + e.getMessage() + "); starting without one");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Makes the class-data archive {@code archive} by a run of a sample database in a folder of its own. */
    private static boolean train(List<String> options, Path archive) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(JAR.getParent(), "scratch-it-training");
        try {
            Path db = dir.resolve("sample.db");
            List<String> dump = new ArrayList<>(options);
            dump.add("-XX:ArchiveClassesAtExit=" + archive);
            dump.add("-Xlog:cds=off,cds+dynamic=off");
            if (start(dir, List.of(), "sample", db.toString()) != 0
                    || start(dir, dump, "run", "--database", db.toString()) != 0 || !Files.isRegularFile(archive)) {
                throw new IOException("the training run failed");
            }
            return true;
        } finally {
            deleteTree(dir);
        }
    }

    /** The jar's sqlite-jdbc library for this Linux machine, copied into {@code dir}. */
    private static boolean extractSqliteLibrary(Path dir) throws IOException {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> "";
        };
        if (arch.isEmpty() || !System.getProperty("os.name").equals("Linux")) {
            return false;
        }
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            ZipEntry entry = jar.getEntry("org/sqlite/native/Linux/" + arch + "/" + SQLITE_LIBRARY);
            if (entry == null) {
                return false;
            }
            try (var in = jar.getInputStream(entry)) {
                Files.copy(in, dir.resolve(SQLITE_LIBRARY));
            }
            return true;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int start(Path dir, List<String> options, String... args) throws IOException, InterruptedException {
        Process p = builder(dir, List.of(), options, Map.of("BACKUP_DIR", dir.resolve("backups").toString()), args)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** Like {@link #builder(Path, List, Map, String...)}, with {@code jvmOptions} (none: the JVM's defaults). */
    static ProcessBuilder builder(Path workDir, List<String> launcher, List<String> jvmOptions,
            Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BACKUP_") || k.startsWith("DATABASE_")
                || k.startsWith("DRIVE_") || k.startsWith("NTFY_") || k.startsWith("GOOGLE_"));
        pb.environment().put("TZ", "UTC");
        pb.environment().putAll(env);
        return pb;
    }

    Result run(String... args) {
        ProcessBuilder pb = builder(workDir, launcher, env, args);
        pb.environment().keySet().removeAll(unset);
        return capture(pb, null);
    }

    /**
     * Runs {@code pb} to its end (at most 120 s) with nothing on its stdin, and returns its exit code and what it
     * printed, kept in temp files in {@code tempDir} (null: the default temp folder) meanwhile.
     */
    static Result capture(ProcessBuilder pb, Path tempDir) {
        try {
            Path out = tempDir == null ? Files.createTempFile("jar-out", ".txt")
                    : Files.createTempFile(tempDir, "out", ".txt");
            Path err = tempDir == null ? Files.createTempFile("jar-err", ".txt")
                    : Files.createTempFile(tempDir, "err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", pb.command()) + " did not finish in 120 s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
