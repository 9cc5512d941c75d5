package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the distribution archive ships besides the jar and the launcher, checked with the tools that use it: the
 * completion script loads in bash (and zsh) and completes commands and options, every command has a man page that
 * man's formatter reads without a warning, and the systemd units pass {@code systemd-analyze verify}.
 */
class DistributionIT {

    private static final Path DIST = Path.of(System.getProperty("sqlitebackup.dist",
            "target/sqlite-backup-0.1.0-SNAPSHOT.tar.gz")).toAbsolutePath();
    private static final List<String> COMMANDS = List.of("run", "daemon", "history", "status", "list", "prune", "unpin", "exec", "drill",
            "verify", "restore", "notify-test", "drive-auth", "keygen", "sample");

    @TempDir
    Path unpacked;

    private Path app;

    @BeforeEach
    void unpack() throws Exception {
        assertThat(DIST).as("the distribution archive (run 'mvn verify', not 'mvn test')").exists();
        Result tar = run(unpacked, "tar", "-xzf", DIST.toString(), "-C", unpacked.toString());
        assertThat(tar.code()).as(tar.toString()).isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            app = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Path out = Files.createTempFile("dist-out", ".txt");
        Path err = Files.createTempFile("dist-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            int code = p.waitFor();
            return new Result(code, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theArchiveHoldsTheJar_theLauncher_theUnits_theCompletionScript_andAManPagePerCommand() {
        assertThat(app.resolve("sqlite-backup.jar")).isRegularFile();
        assertThat(app.resolve("bin/sqlite-backup")).isExecutable();
        assertThat(app.resolve("docs/sqlite-backup.service")).isRegularFile();
        assertThat(app.resolve("docs/sqlite-backup-run.service")).isRegularFile();
        assertThat(app.resolve("docs/sqlite-backup.timer")).isRegularFile();
        assertThat(app.resolve("completion/sqlite-backup.bash")).isRegularFile();
        assertThat(app.resolve("man/man1/sqlite-backup.1")).isRegularFile();
        for (String command : COMMANDS) {
            assertThat(app.resolve("man/man1/sqlite-backup-" + command + ".1")).isRegularFile();
        }
    }

    @Test
    void theCompletionScript_loadsInBashWithoutError_andCompletesCommandsAndOptions() throws Exception {
        Path script = app.resolve("completion/sqlite-backup.bash");

        Result loaded = run(app, "bash", "-c", "source '" + script + "' && complete -p sqlite-backup");
        assertThat(loaded.code()).as(loaded.toString()).isZero();
        assertThat(loaded.err()).as(loaded.toString()).isEmpty();
        assertThat(loaded.out()).contains("sqlite-backup");

        assertThat(complete(script, "sqlite-backup", "")).containsAll(COMMANDS);
        assertThat(complete(script, "sqlite-backup", "pr")).containsExactly("prune");
        assertThat(complete(script, "sqlite-backup run", "--no")).contains("--no-vacuum", "--no-drive");
    }

    /** What bash offers for {@code word} after {@code line}, as it would at a Tab. */
    private List<String> complete(Path script, String line, String word) throws Exception {
        String words = line + " " + word;
        String shell = "source '" + script + "'\n"
                + "COMP_LINE='" + words + "'; COMP_POINT=${#COMP_LINE}\n"
                + "read -r -a COMP_WORDS <<< \"$COMP_LINE\"\n"
                + (word.isEmpty() ? "COMP_WORDS+=('')\n" : "")
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "compopt() { :; }\n" // only callable inside a real completion; the offers are what matters
                + "_complete_sqlite-backup sqlite-backup '" + word + "' \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Result r = run(app, "bash", "-c", shell);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        return r.out().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void theCompletionScript_loadsInZsh() throws Exception {
        assertThat(onPath("zsh")).as("zsh (.ci/run installs it)").isTrue();
        Result loaded = run(app, "zsh", "-c", "autoload -U compinit && compinit -u && source '"
                + app.resolve("completion/sqlite-backup.bash") + "' && print -r -- ${_comps[sqlite-backup]}");
        assertThat(loaded.code()).as(loaded.toString()).isZero();
        assertThat(loaded.err()).as(loaded.toString()).isEmpty();
        assertThat(loaded.out()).as(loaded.toString()).isNotBlank();
    }

    @Test
    void everyManPage_isReadByTheFormatterWithoutWarnings_andNamesItsCommand() throws Exception {
        List<Path> pages = new ArrayList<>();
        try (Stream<Path> files = Files.list(app.resolve("man/man1"))) {
            files.sorted().forEach(pages::add);
        }
        assertThat(pages).hasSize(COMMANDS.size() + 1);
        for (Path page : pages) {
            Result formatted = run(app, "groff", "-man", "-Tutf8", "-ww", page.toString());
            assertThat(formatted.code()).as(page + ": " + formatted.err()).isZero();
            assertThat(formatted.err()).as(page.toString()).isEmpty();
            String name = page.getFileName().toString().replace(".1", "");
            assertThat(formatted.out().replaceAll(".\b", "")).as(page.toString()).contains("NAME")
                    .contains(name + " - ").contains("SYNOPSIS");
        }
    }

    @Test
    void theSystemdUnits_passSystemdAnalyzeVerify() throws Exception {
        // A root holding the system's own units (the targets the units depend on by default), the units, and the
        // launcher where they expect it: verify checks that ExecStart's program exists.
        Path root = unpacked.resolve("root");
        Path systemUnits = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        Path hostUnits = Path.of("/usr/lib/systemd/system");
        assertThat(hostUnits).as("systemd's units (.ci/run installs systemd)").isDirectory();
        try (Stream<Path> units = Files.list(hostUnits)) {
            for (Path unit : units.filter(Files::isRegularFile).toList()) {
                Files.copy(unit, systemUnits.resolve(unit.getFileName()));
            }
        }
        Path etc = Files.createDirectories(root.resolve("etc/systemd/system"));
        List<String> ours = List.of("sqlite-backup.service", "sqlite-backup-run.service", "sqlite-backup.timer");
        for (String unit : ours) {
            Files.copy(app.resolve("docs").resolve(unit), etc.resolve(unit));
        }
        Path bin = Files.createDirectories(root.resolve("opt/sqlite-backup/bin"));
        Files.copy(app.resolve("bin/sqlite-backup"), bin.resolve("sqlite-backup"),
                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);

        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--root=" + root));
        command.addAll(ours);
        Result verified = run(app, command.toArray(String[]::new));

        assertThat(verified.code()).as(verified.toString()).isZero();
        assertThat(verified.out() + verified.err()).as("no warning either").isEmpty();
    }

    /**
     * The project's own classes build strings with StringBuilder, not through {@code StringConcatFactory}: on Java 17
     * every new shape of concatenation links a method handle at its first use, which cost a tiny run 30-40 ms of its
     * 0.4 s (docs/benchmarks.md; the build compiles with {@code -XDstringConcat=inline}). So do picocli's, which the
     * build compiles from its sources for the class archive.
     */
    @Test
    void theJarsOwnClassesAndPicocli_linkNoStringConcatenationAtRunTime() throws Exception {
        List<String> linking = new ArrayList<>();
        int classes = 0;
        int picocli = 0;
        try (ZipFile jar = new ZipFile(app.resolve("sqlite-backup.jar").toFile())) {
            for (ZipEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                boolean ours = name.startsWith("dev/sqlitebackup/");
                if (!(ours || name.startsWith("picocli/")) || !name.endsWith(".class")) {
                    continue;
                }
                if (ours) {
                    classes++;
                } else {
                    picocli++;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (constants.contains("makeConcatWithConstants")) {
                        linking.add(name);
                    }
                }
            }
        }

        assertThat(classes).as("the project's classes in the jar").isGreaterThan(100);
        assertThat(picocli).as("picocli's classes in the jar").isGreaterThan(100);
        assertThat(linking).isEmpty();
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
