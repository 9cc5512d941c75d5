package dev.sqlitebackup.app.docs;

import dev.sqlitebackup.app.cli.CliContext;
import dev.sqlitebackup.app.cli.SqliteBackupCli;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Run at build time (exec-maven-plugin, before the distribution archive is packed): writes what the archive ships
 * besides the jar, all made from the commands' own annotations so that it never drifts from them: the bash/zsh
 * completion script and the man pages' AsciiDoc (one page per command, turned into troff by asciidoctor).
 */
public final class DistributionDocs {

    private DistributionDocs() {
    }

    /** @param args the output folder: {@code completion/} and {@code man-adoc/} are written under it */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: DistributionDocs OUTPUT_FOLDER");
        }
        Path out = Path.of(args[0]);
        CommandLine cli = commandLine();
        Path completion = Files.createDirectories(out.resolve("completion"));
        Files.writeString(completion.resolve("sqlite-backup.bash"), AutoComplete.bash("sqlite-backup", cli),
                StandardCharsets.UTF_8);
        Path adoc = Files.createDirectories(out.resolve("man-adoc"));
        int code = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true,
                cli.getCommandSpec());
        if (code != 0) {
            throw new IllegalStateException("the man page generator exited " + code);
        }
    }

    /** Every command, as users get them; nothing runs, so the context is never used. */
    static CommandLine commandLine() {
        StringWriter sink = new StringWriter();
        CliContext context = new CliContext(null, Map.of(), new PrintWriter(sink), new PrintWriter(sink),
                new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8), false,
                Clock.systemUTC());
        return SqliteBackupCli.commandLine(context);
    }
}
