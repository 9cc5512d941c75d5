package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.Installation;
import dev.sqlitebackup.app.config.Settings;
import dev.sqlitebackup.domain.model.InvalidInputException;
import dev.sqlitebackup.domain.model.Pin;
import dev.sqlitebackup.domain.model.RunResult;
import dev.sqlitebackup.domain.model.SnapshotProgress;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code exec -- COMMAND ARGS...}: a verified backup first, then the command (a migration, typically), with its
 * input, output and exit code passed through; when it fails, the exact {@code restore} command that puts the
 * database back as it was before it ran. The backup is pinned for {@code DRIFT_PIN_DAYS}.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = "Take a verified backup, then run COMMAND (after --) with its input, output and exit code passed "
                + "through. When COMMAND fails, print the restore command that puts the database back as it was "
                + "before. The backup is pinned for DRIFT_PIN_DAYS (default 90). Exit: COMMAND's exit code; 1 when "
                + "the backup failed (COMMAND is then not run); 2 for bad settings or a COMMAND that cannot be found.")
public final class ExecCommand implements Callable<Integer> {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_/.,:=@%+-]+");

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments, after --.")
    List<String> command = new ArrayList<>();

    public ExecCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        Configuration config = common.configuration(context.env());
        String program = command.get(0);
        Path executable = executable(program).orElseThrow(() -> new InvalidInputException("exec: command '" + program
                + "' not found" + (program.contains("/") ? " or not executable" : " on PATH")
                + "; nothing was backed up"));
        Duration pinFor = Duration.ofDays(config.get(Settings.DRIFT_PIN_DAYS));
        String commandLine = String.join(" ", command.stream().map(ExecCommand::quoted).toList());

        RunResult result = context.useCases().runBackup(config).run(config.backupCommand(SnapshotProgress.NONE));
        Instant until = context.clock().instant().plus(pinFor);
        Pin pin = context.useCases().pinBackups(config).pin(result.backup().name(), until, "exec: " + oneLine(
                commandLine));
        context.err().printf("sqlite-backup: backed up %s to %s, pinned until %s; running %s%n",
                result.source().path(), result.file(), Formats.pinnedUntil(pin.until(), config.zone()), commandLine);
        context.err().flush();
        context.out().flush();

        List<String> argv = new ArrayList<>(command);
        argv.set(0, executable.toString());
        Process process;
        try {
            process = new ProcessBuilder(argv).inheritIO().start();
        } catch (IOException e) {
            context.err().printf("sqlite-backup: exec: %s could not be started: %s; the database was not changed: "
                    + "%s is the backup of it%n", commandLine, e.getMessage(), result.backup().name());
            context.err().flush();
            return ExitCodes.FAILED;
        }
        Thread stop = new Thread(() -> {
            // a stop of this process stops the command too, rather than leaving it running unwatched
            process.destroy();
            try {
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sqlite-backup-exec-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        int code;
        try {
            code = process.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException stopping) {
                // the hook is running: it stops the command
            }
        }
        if (code != 0) {
            context.err().printf("sqlite-backup: %s exited %d; to put the database back as it was before it ran:%n"
                    + "  %s%n", commandLine, code, restoreCommand(config, result));
        } else {
            context.err().printf("sqlite-backup: %s succeeded; %s stays pinned until %s (unpin %s releases it)%n",
                    commandLine, result.backup().name(), Formats.pinnedUntil(pin.until(), config.zone()),
                    result.backup().name());
        }
        context.err().flush();
        return code;
    }

    /** {@code program} as the shell would find it: a path as given, else the first executable on PATH. */
    private Optional<Path> executable(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program).toAbsolutePath();
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String path = context.env().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * The restore command, runnable as printed from any shell: this tool as it was started, the backup, and the
     * settings that find its folder (the config file and database name, or the database and folder themselves).
     */
    private String restoreCommand(Configuration config, RunResult result) {
        List<String> words = new ArrayList<>(self());
        words.add("restore");
        words.add(result.backup().name().value());
        Optional<String> file = Optional.ofNullable(common.configFile).map(Path::toString)
                .or(() -> Optional.ofNullable(context.env().get(Installation.CONFIG_ENV)).filter(s -> !s.isBlank()));
        if (file.isPresent() && config.databaseName().isPresent()) {
            words.addAll(List.of("--config", Path.of(file.get()).toAbsolutePath().toString(), "--db",
                    config.databaseName().get()));
        } else {
            words.addAll(List.of("--database", result.source().path().toAbsolutePath().toString(), "--backup-dir",
                    config.backupDir().toString()));
        }
        words.addAll(List.of("--to", result.source().path().toAbsolutePath().toString(), "--force"));
        return String.join(" ", words.stream().map(ExecCommand::quoted).toList());
    }

    /** How this tool was started: the launcher's path, or java -jar with this jar, or its name. */
    private static List<String> self() {
        String launcher = System.getProperty("sqlitebackup.command");
        if (launcher != null && !launcher.isBlank()) {
            return List.of(launcher);
        }
        try {
            Path jar = Path.of(ExecCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Optional<String> java = ProcessHandle.current().info().command();
            if (Files.isRegularFile(jar) && java.isPresent()) {
                return List.of(java.get(), "-jar", jar.toString());
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException unknown) {
            // fall through to the name users have on PATH
        }
        return List.of("sqlite-backup");
    }

    static String quoted(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s*\\R\\s*", " ");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
