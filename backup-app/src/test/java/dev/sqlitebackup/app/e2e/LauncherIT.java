package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The launcher {@code bin/sqlite-backup} from the distribution archive, run as a user runs it: the start cache it
 * trains on the first start and reuses later, concurrent first starts, output byte for byte that of
 * {@code java -jar}, the UTF-8 locale under {@code env -i}, the JDK 25 AOT cache, and what it says without a Java 17.
 */
class LauncherIT {

    private static final Path DIST = Path.of(System.getProperty("sqlitebackup.dist",
            "target/sqlite-backup-0.1.0-SNAPSHOT.tar.gz")).toAbsolutePath();
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final Path JAVA = JAVA_HOME.resolve("bin/java");
    /** The JDK 25 the machine has for this test (Temurin, under /usr/lib/jvm), if any. */
    private static final Path JDK25_PARENT = Path.of("/usr/lib/jvm");

    /** Where the launcher keeps the sha256 of each jar path, with the jar's size, times and inode. */
    private static final String JAR_SHA256_MEMO = ".jar-sha256";

    @TempDir
    static Path unpacked;

    @TempDir
    Path dir;

    private static Path app;

    @BeforeAll
    static void unpackTheArchive() throws Exception {
        assertThat(DIST).as("the distribution archive (run 'mvn verify', not 'mvn test')").exists();
        Process tar = new ProcessBuilder("tar", "-xzf", DIST.toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(out).isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            app = top.findFirst().orElseThrow();
        }
        assertThat(app.getFileName().toString()).startsWith("sqlite-backup-");
        assertThat(app.resolve("sqlite-backup.jar")).isRegularFile();
        assertThat(app.resolve("docs/sqlite-backup.service")).isRegularFile();
        assertThat(Files.isExecutable(app.resolve("bin/sqlite-backup"))).isTrue();
    }

    @Test
    void firstStartTrainsTheCache_laterStartsUseIt_outputAsJavaJar_aChangedJarGetsItsOwn() throws Exception {
        Path db = dir.resolve("app.db");
        Path backups = dir.resolve("backups");
        Path cacheRoot = dir.resolve("cache");
        assertThat(javaJar("sample", db.toString()).exitCode()).isZero();
        assertThat(javaJar("run", "--database", db.toString(), "--backup-dir", backups.toString()).exitCode())
                .isZero();
        String[] list = {"list", "--json", "--backup-dir", backups.toString()};
        JarProcess.Result plain = javaJar(list);
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.out()).startsWith("[");

        // first start: trains, and prints exactly what java -jar prints, nothing on stderr
        JarProcess.Result first = launcher(app, cacheRoot, Map.of(), list);
        assertThat(first.out()).isEqualTo(plain.out());
        assertThat(first.err()).isEmpty();
        assertThat(first.exitCode()).isZero();
        Path cache = cacheRoot.resolve("sqlite-backup").resolve(sha256(app.resolve("sqlite-backup.jar")) + "-"
                + System.getProperty("java.version"));
        assertThat(entries(cacheRoot.resolve("sqlite-backup"))).as("one finished folder, no temporary or lock")
                .containsExactly(JAR_SHA256_MEMO, cache.getFileName().toString());
        assertThat(cache.resolve("app.jsa")).isNotEmptyFile();
        assertThat(entries(cache.resolve("native"))).singleElement().asString().startsWith("libsqlitejdbc");

        // second start: the classes come from the archive, and the output is still the same
        Path classLog = dir.resolve("class-load.log");
        JarProcess.Result second = launcher(app, cacheRoot,
                Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), list);
        assertThat(second.out()).isEqualTo(plain.out());
        assertThat(second.err()).isEmpty();
        // picocli's too (the jar carries them compiled for Java 17: its own Java 5 class files cannot be archived)
        assertThat(Files.readString(classLog)).contains("dev.sqlitebackup.app.Main source: shared objects file (top)",
                "picocli.CommandLine source: shared objects file (top)");

        // the native library comes from the cache: java -jar cannot open SQLite when it cannot extract it to tmp
        Path notADir = Files.writeString(dir.resolve("not-a-tmp-dir"), "x");
        Map<String, String> noTmp = Map.of("JAVA_OPTS", "-Djava.io.tmpdir=" + notADir);
        assertThat(run(List.of(JAVA.toString(), "-Djava.io.tmpdir=" + notADir, "-jar",
                app.resolve("sqlite-backup.jar").toString(), "sample", dir.resolve("a.db").toString()), Map.of())
                .exitCode()).isNotZero();
        JarProcess.Result cachedLibrary = launcher(app, cacheRoot, noTmp, "sample", dir.resolve("b.db").toString());
        assertThat(cachedLibrary.exitCode()).as(cachedLibrary.toString()).isZero();
        assertThat(dir.resolve("b.db")).isNotEmptyFile();

        // ... and sqlite-jdbc does not sweep java.io.tmpdir for libraries earlier JVMs left there (java -jar does)
        Path tmp = Files.createDirectories(dir.resolve("tmp-with-a-left-library"));
        Path leftOver = Files.writeString(tmp.resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + "-x-libsqlitejdbc.so"),
                "left by a killed JVM");
        JarProcess.Result noSweep = launcher(app, cacheRoot, Map.of("JAVA_OPTS", "-Djava.io.tmpdir=" + tmp), "sample",
                dir.resolve("d.db").toString());
        assertThat(noSweep.exitCode()).as(noSweep.toString()).isZero();
        assertThat(noSweep.err()).isEmpty();
        assertThat(leftOver).exists();
        assertThat(run(List.of(JAVA.toString(), "-Djava.io.tmpdir=" + tmp, "-jar",
                app.resolve("sqlite-backup.jar").toString(), "sample", dir.resolve("e.db").toString()), Map.of())
                .exitCode()).isZero();
        assertThat(leftOver).doesNotExist();

        // a copy of the same jar elsewhere shares the folder (its native library) rather than rebuilding it in turn
        Path otherApp = dir.resolve("other");
        Path otherJar = installedAt(otherApp);
        JarProcess.Result copy = launcher(otherApp, cacheRoot, noTmp,
                "sample", dir.resolve("c.db").toString());
        assertThat(copy.exitCode()).as(copy.toString()).isZero();
        assertThat(entries(cacheRoot.resolve("sqlite-backup")))
                .containsExactly(JAR_SHA256_MEMO, cache.getFileName().toString());
        assertThat(Files.readString(cache.resolve("ready"))).contains(app.resolve("sqlite-backup.jar").toString());

        // a changed jar (another sha256) gets a folder of its own, also when it is put in place of the old one with
        // the old one's time, as a reinstall from an archive of fixed file times does: the sha256 is not taken
        // from the launcher's memo of the old jar; the old folder stays for the old jar
        FileTime time = Files.getLastModifiedTime(otherJar);
        Path replacement = copyWithComment(app.resolve("sqlite-backup.jar"), dir.resolve("next.jar"), "another build");
        Files.setLastModifiedTime(replacement, time);
        Files.move(replacement, otherJar, StandardCopyOption.REPLACE_EXISTING);
        JarProcess.Result other = launcher(otherApp, cacheRoot, Map.of(), list);
        assertThat(other.out()).isEqualTo(plain.out());
        assertThat(other.err()).isEmpty();
        String otherKey = sha256(otherJar) + "-" + System.getProperty("java.version");
        assertThat(otherKey).isNotEqualTo(cache.getFileName().toString());
        assertThat(entries(cacheRoot.resolve("sqlite-backup")))
                .containsExactlyInAnyOrder(JAR_SHA256_MEMO, cache.getFileName().toString(), otherKey);
        assertThat(cacheRoot.resolve("sqlite-backup").resolve(otherKey).resolve("app.jsa")).isNotEmptyFile();

        // a folder that lost its archive is rebuilt, not used half
        Files.delete(cache.resolve("app.jsa"));
        JarProcess.Result rebuilt = launcher(app, cacheRoot, Map.of(), list);
        assertThat(rebuilt.out()).isEqualTo(plain.out());
        assertThat(rebuilt.err()).isEmpty();
        assertThat(cache.resolve("app.jsa")).isNotEmptyFile();
        assertThat(entries(cacheRoot.resolve("sqlite-backup")))
                .containsExactlyInAnyOrder(JAR_SHA256_MEMO, cache.getFileName().toString(), otherKey);
    }

    /**
     * Unpacked in one place, tried, then moved where it stays (as from a download folder to /opt): the cache made at
     * the first place names a jar that is gone, so the moved installation trains its own class archive instead of
     * running without one for as long as it is installed.
     */
    @Test
    void aMovedInstallation_trainsTheArchiveAgainForItsNewPath() throws Exception {
        Path cacheRoot = dir.resolve("cache");
        Path first = dir.resolve("downloads/sqlite-backup");
        installedAt(first);
        JarProcess.Result tried = launcher(first, cacheRoot, Map.of(), "sample", dir.resolve("a.db").toString());
        assertThat(tried.exitCode()).as(tried.toString()).isZero();
        Path cache = cacheRoot.resolve("sqlite-backup").resolve(sha256(app.resolve("sqlite-backup.jar")) + "-"
                + System.getProperty("java.version"));
        assertThat(cache.resolve("app.jsa")).isNotEmptyFile();

        Path moved = Files.createDirectories(dir.resolve("opt")).resolve("sqlite-backup");
        Files.move(first, moved);
        Path classLog = dir.resolve("class-load.log");
        JarProcess.Result installed = launcher(moved, cacheRoot,
                Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "sample", dir.resolve("b.db").toString());

        assertThat(installed.exitCode()).as(installed.toString()).isZero();
        assertThat(installed.err()).isEmpty();
        assertThat(Files.readString(classLog)).contains("dev.sqlitebackup.app.Main source: shared objects file (top)");
        assertThat(Files.readString(cache.resolve("ready"))).contains(moved.resolve("sqlite-backup.jar").toString());
        assertThat(entries(cacheRoot.resolve("sqlite-backup"))).as("the folder was replaced, not added to")
                .containsExactly(JAR_SHA256_MEMO, cache.getFileName().toString());
    }

    @Test
    void twoFirstStartsAtOnce_bothSucceed_oneWholeCacheFolder() throws Exception {
        Path cacheRoot = dir.resolve("cache");
        List<Process> starts = new ArrayList<>();
        for (String name : List.of("one.db", "two.db")) {
            starts.add(launcherBuilder(app, cacheRoot, privateTmp(), "sample", dir.resolve(name).toString())
                    .redirectErrorStream(true).start());
        }
        for (Process p : starts) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).startsWith("Created sample database");
        }
        assertThat(dir.resolve("one.db")).isNotEmptyFile();
        assertThat(dir.resolve("two.db")).isNotEmptyFile();
        List<String> folders = cacheFolders(cacheRoot.resolve("sqlite-backup"));
        assertThat(folders).as("one finished folder, no temporary or lock").singleElement().asString()
                .endsWith("-" + System.getProperty("java.version"));
        Path cache = cacheRoot.resolve("sqlite-backup").resolve(folders.get(0));
        assertThat(entries(cache)).containsExactlyInAnyOrder("app.jsa", "native", "ready");
    }

    @Test
    void nonAsciiPathWorksUnderEnvI_cacheInHome() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        Path folder = Files.createDirectory(dir.resolve("Sicherungen für Ärzte 日本"));
        Path db = folder.resolve("daten-ü.db");
        String path = JAVA_HOME.resolve("bin") + ":/usr/bin:/bin";
        // java alone, as cron starts it: the path arrives garbled (exit 2)
        JarProcess.Result bare = run(List.of("env", "-i", "PATH=" + path, "HOME=" + home, JAVA.toString(), "-jar",
                app.resolve("sqlite-backup.jar").toString(), "sample", db.toString()), Map.of());
        assertThat(bare.exitCode()).as(bare.toString()).isEqualTo(2);
        assertThat(db).doesNotExist();

        JarProcess.Result launched = run(List.of("env", "-i", "PATH=" + path, "HOME=" + home,
                app.resolve("bin/sqlite-backup").toString(), "sample", db.toString()), Map.of());
        assertThat(launched.exitCode()).as(launched.toString()).isZero();
        assertThat(launched.err()).isEmpty();
        assertThat(db).isNotEmptyFile();
        assertThat(cacheFolders(home.resolve(".cache/sqlite-backup"))).singleElement().asString()
                .endsWith("-" + System.getProperty("java.version"));
    }

    @Test
    void javaHomeOfJdk25_trainsAndUsesTheAotCache() throws Exception {
        Path jdk25 = jdk25();
        Path cacheRoot = dir.resolve("cache");
        Map<String, String> env = Map.of("JAVA_HOME", jdk25.toString());
        Path db = dir.resolve("app.db");
        JarProcess.Result first = launcher(app, cacheRoot, env, "sample", db.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo("Created sample database " + db + "\n");
        assertThat(first.err()).as("no CDS/AOT or native-access warnings").isEmpty();
        List<String> folders = cacheFolders(cacheRoot.resolve("sqlite-backup"));
        assertThat(folders).singleElement().asString().startsWith(sha256(app.resolve("sqlite-backup.jar")) + "-25");
        Path cache = cacheRoot.resolve("sqlite-backup").resolve(folders.get(0));
        assertThat(cache.resolve("app.aot")).isNotEmptyFile();

        Path classLog = dir.resolve("class-load.log");
        JarProcess.Result second = launcher(app, cacheRoot,
                Map.of("JAVA_HOME", jdk25.toString(), "JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog),
                "sample", dir.resolve("second.db").toString());
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).isEqualTo("Created sample database " + dir.resolve("second.db") + "\n");
        assertThat(second.err()).isEmpty();
        assertThat(Files.readString(classLog)).contains("dev.sqlitebackup.app.Main source: shared objects file",
                "picocli.CommandLine source: shared objects file");
    }

    @Test
    void withoutJava17_oneLineAndExit2_nothingCached() throws Exception {
        Path cacheRoot = dir.resolve("cache");
        JarProcess.Result missing = launcher(app, cacheRoot, Map.of("JAVA_HOME", dir.resolve("no-jdk").toString()),
                "--version");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.errLines()).singleElement().asString()
                .startsWith("sqlite-backup: JAVA_HOME=" + dir.resolve("no-jdk") + " has no bin/java");

        Path old = Files.createDirectories(dir.resolve("jdk11/bin"));
        Path fakeJava = Files.writeString(old.resolve("java"),
                "#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\nexit 0\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        JarProcess.Result tooOld = launcher(app, cacheRoot, Map.of("JAVA_HOME", old.getParent().toString()),
                "--version");
        assertThat(tooOld.exitCode()).isEqualTo(2);
        assertThat(tooOld.out()).isEmpty();
        assertThat(tooOld.errLines()).singleElement().asString().isEqualTo("sqlite-backup: " + fakeJava
                + " is Java 11.0.22: sqlite-backup needs Java 17 or newer (set JAVA_HOME)");
        assertThat(cacheRoot).doesNotExist();
    }

    @Test
    void aTrainingThatFails_theCommandStillRuns_andLaterStartsDoNotTrainAgain() throws Exception {
        // a java that cannot write a class archive (as a JDK without CDS), and logs how it is called
        Path jdk = Files.createDirectories(dir.resolve("jdk-without-cds/bin")).getParent();
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + System.getProperty("java.version") + "\"\n");
        Path calls = dir.resolve("java-calls.txt");
        Path java = Files.writeString(jdk.resolve("bin/java"), "#!/bin/sh\n"
                + "printf '%s\\n' \"$*\" >> '" + calls + "'\n"
                + "case \"$*\" in *ArchiveClassesAtExit*) echo 'no CDS here' >&2; exit 1 ;; esac\n"
                + "exec '" + JAVA + "' \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Path cacheRoot = dir.resolve("cache");
        for (String name : List.of("one.db", "two.db")) {
            JarProcess.Result result = launcher(app, cacheRoot,
                    Map.of("JAVA_HOME", jdk.toString(), "JAVA_OPTS", privateTmp().get("JAVA_OPTS")), "sample",
                    dir.resolve(name).toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo("Created sample database " + dir.resolve(name) + "\n");
            assertThat(result.err()).isEmpty();
        }
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines.stream().filter(l -> l.contains("ArchiveClassesAtExit"))).as(String.join("\n", lines))
                .hasSize(1);
        assertThat(lines.stream().filter(l -> l.endsWith("sample " + dir.resolve("two.db")))).singleElement()
                .asString().doesNotContain("SharedArchiveFile");
        assertThat(entries(cacheRoot.resolve("sqlite-backup"))).as("no folder, no temporary or lock left")
                .containsExactly(".failed-" + sha256(app.resolve("sqlite-backup.jar")) + "-"
                        + System.getProperty("java.version"), JAR_SHA256_MEMO);
    }

    @Test
    void anUnusableCacheFolder_theCommandRunsWithoutIt() throws Exception {
        Path notADir = Files.writeString(dir.resolve("cache-is-a-file"), "x");
        JarProcess.Result result = launcher(app, notADir, privateTmp(), "sample", dir.resolve("app.db").toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(dir.resolve("app.db")).isNotEmptyFile();
        assertThat(Files.readString(notADir)).isEqualTo("x");
    }

    @Test
    void javaOptsComeLast_oneChoosingACollectorReplacesSerialGc() throws Exception {
        Path noCache = Files.writeString(dir.resolve("cache-is-a-file"), "x");
        Path gcLog = dir.resolve("gc.log");
        JarProcess.Result result = launcher(app, noCache,
                Map.of("JAVA_OPTS", "-XX:+UseParallelGC -Xlog:gc:file=" + gcLog), "--version");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("sqlite-backup ");
        assertThat(result.err()).isEmpty();
        assertThat(Files.readString(gcLog)).contains("Using Parallel");
    }

    @Test
    void c2OnlyForCodeCalledOftenNotForWarmCode_javaOptsCanSetItBack() throws Exception {
        Path noCache = Files.writeString(dir.resolve("cache-is-a-file"), "x");
        JarProcess.Result tuned = launcher(app, noCache, Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), "--version");
        assertThat(tuned.exitCode()).as(tuned.toString()).isZero();
        assertThat(flag(tuned.out(), "Tier4InvocationThreshold")).isEqualTo("100000");
        assertThat(flag(tuned.out(), "Tier4MinInvocationThreshold")).isEqualTo("30000");
        assertThat(flag(tuned.out(), "Tier4CompileThreshold")).isEqualTo("200000");
        assertThat(flag(tuned.out(), "TieredStopAtLevel")).isEqualTo("4"); // C2 stays: the SHA-256 intrinsic

        JarProcess.Result back = launcher(app, noCache,
                Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal -XX:Tier4InvocationThreshold=5000"), "--version");
        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(flag(back.out(), "Tier4InvocationThreshold")).isEqualTo("5000");
    }

    /** The value of {@code name} in -XX:+PrintFlagsFinal's table ("intx Tier4InvocationThreshold = 5000 {...}"). */
    private static String flag(String printed, String name) {
        return printed.lines().map(String::trim).map(l -> l.split("\\s+"))
                .filter(f -> f.length >= 4 && f[1].equals(name) && f[2].equals("="))
                .map(f -> f[3]).findFirst().orElseThrow(() -> new AssertionError(name + " not in " + printed));
    }

    private JarProcess.Result javaJar(String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar",
                app.resolve("sqlite-backup.jar").toString()));
        command.addAll(List.of(args));
        return run(command, Map.of());
    }

    /**
     * For starts that run without the cache: sqlite-jdbc then extracts its library to java.io.tmpdir and, at every
     * start, deletes the ones earlier JVMs left there; two JVMs deleting the same file log an error with a stack
     * trace on stderr, a race with whatever else runs on the machine that has nothing to do with the launcher.
     */
    private Map<String, String> privateTmp() throws IOException {
        return Map.of("JAVA_OPTS", "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
    }

    private JarProcess.Result launcher(Path appHome, Path cacheRoot, Map<String, String> env, String... args) {
        return run(launcherBuilder(appHome, cacheRoot, env, args));
    }

    /** The launcher with the test's java as JAVA_HOME, the cache under {@code cacheRoot}, and {@code env} added. */
    private ProcessBuilder launcherBuilder(Path appHome, Path cacheRoot, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(appHome.resolve("bin/sqlite-backup").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = builder(command);
        pb.environment().put("JAVA_HOME", JAVA_HOME.toString());
        pb.environment().put("XDG_CACHE_HOME", cacheRoot.toString());
        pb.environment().putAll(env);
        return pb;
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BACKUP_") || k.startsWith("DATABASE_")
                || k.startsWith("DRIVE_") || k.startsWith("NTFY_") || k.startsWith("GOOGLE_")
                || k.equals("JAVA_OPTS") || k.equals("XDG_CACHE_HOME") || k.startsWith("SQLITE_BACKUP_"));
        pb.environment().put("TZ", "UTC");
        return pb;
    }

    private JarProcess.Result run(List<String> command, Map<String, String> env) {
        ProcessBuilder pb = builder(command);
        pb.environment().putAll(env);
        return run(pb);
    }

    private JarProcess.Result run(ProcessBuilder pb) {
        return JarProcess.capture(pb, dir);
    }

    /** A copy of the jar that differs only in its zip comment: it runs the same, its sha256 does not. */
    /** A second installation of the distribution at {@code home} (its launcher and jar); returns its jar. */
    private static Path installedAt(Path home) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.copy(app.resolve("bin/sqlite-backup"), home.resolve("bin/sqlite-backup"),
                StandardCopyOption.COPY_ATTRIBUTES);
        return Files.copy(app.resolve("sqlite-backup.jar"), home.resolve("sqlite-backup.jar"),
                StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static Path copyWithComment(Path from, Path to, String text) throws IOException {
        Path jar = Files.copy(from, to);
        byte[] comment = text.getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile file = new RandomAccessFile(jar.toFile(), "rw")) {
            long end = file.length() - 22; // the end-of-central-directory record, when the zip has no comment
            file.seek(end);
            assertThat(Integer.reverseBytes(file.readInt())).as("EOCD signature").isEqualTo(0x06054b50);
            file.seek(end + 20);
            assertThat(file.readShort()).as("no zip comment yet").isZero();
            file.seek(end + 20);
            file.writeShort(Short.reverseBytes((short) comment.length));
            file.write(comment);
        }
        return jar;
    }

    private static Path jdk25() throws IOException {
        if (Files.isDirectory(JDK25_PARENT)) {
            try (Stream<Path> jdks = Files.list(JDK25_PARENT)) {
                for (Path jdk : jdks.sorted().toList()) {
                    Path release = jdk.resolve("release");
                    if (Files.isExecutable(jdk.resolve("bin/java")) && Files.isRegularFile(release)
                            && Files.readString(release).contains("JAVA_VERSION=\"25")) {
                        return jdk;
                    }
                }
            }
        }
        Assumptions.abort("no JDK 25 under " + JDK25_PARENT + ": the AOT cache is not tested here");
        throw new AssertionError("unreachable");
    }

    /** The cache folders under {@code base}: every entry but the launcher's memo of jar hashes. */
    private static List<String> cacheFolders(Path base) throws IOException {
        List<String> all = entries(base);
        assertThat(all).contains(JAR_SHA256_MEMO);
        return all.stream().filter(name -> !name.equals(JAR_SHA256_MEMO)).toList();
    }

    private static List<String> entries(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
