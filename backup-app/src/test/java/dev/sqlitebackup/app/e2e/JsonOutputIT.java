package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} through the jar: every command's output is one JSON document on stdout, and it has exactly the
 * fields docs/json.md documents for it (no undocumented key, every field documented as always present is there,
 * each of the documented type), so that adding or removing a field without updating the document fails here.
 * Failures, usage errors included, are the documented error object with the exit code.
 */
class JsonOutputIT {

    /**
     * Shapes this test cannot produce: a Google consent in a browser, a reachable ntfy server, Drive (DriveJarIT
     * checks {@code list --remote} and {@code run} with a Drive copy against the document).
     */
    private static final Set<String> NOT_RUN_HERE = Set.of("drive-auth", "notify-test", "list --remote");

    @TempDir
    Path home;

    private final Map<String, List<JsonElement>> seen = new LinkedHashMap<>();

    @Test
    void everyCommandsJson_isOneDocument_withExactlyTheDocumentedFields() throws IOException, InterruptedException {
        JsonDoc doc = JsonDoc.read();
        Path db = home.resolve("app.db");
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", db.toString());

        json("sample", 0, jar.run("sample", "--json", db.toString()));
        JsonObject run = json("run", 0, jar.run("run", "--json")).getAsJsonObject();
        assertThat(run.get("database").getAsString()).isEqualTo(db.toString());
        assertThat(Path.of(run.get("file").getAsString())).exists()
                .hasParent(home.resolve("backups/app.db")).hasFileName(run.get("backup").getAsString());
        JarProcess.awaitTheNextSecond();
        JarProcess.Result exec = jar.run("exec", "--", "true");
        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        json("list", 0, jar.run("list", "--json"));
        json("history", 0, jar.run("history", "--json"));
        json("status", 0, jar.run("status", "--json"));
        json("prune", 0, jar.run("prune", "--json", "--dry-run"));
        JsonObject drill = json("drill", 0, jar.run("drill", "--json")).getAsJsonObject();
        assertThat(drill.get("ok").getAsBoolean()).isTrue();
        JsonObject verify = json("verify", 0, jar.run("verify", "--json", "--all")).getAsJsonObject();
        assertThat(verify.get("checked").getAsInt()).isEqualTo(2);
        String pinned = seen.get("list").get(0).getAsJsonArray().get(0).getAsJsonObject().get("name").getAsString();
        json("unpin", 0, jar.run("unpin", "--json", pinned));
        json("restore", 0, jar.run("restore", "--json", "latest", "--to", home.resolve("restored.db").toString()));
        json("keygen", 0, jar.run("keygen", "--json", "--out", home.resolve("identity.txt").toString()));

        // failures: the error object, with the exit code, and the one line on stderr as without --json
        JarProcess.Result refused = jar.run("restore", "--json", "latest", "--to", db.toString());
        json("error", 2, refused);
        assertThat(refused.err()).startsWith("sqlite-backup: ");
        JarProcess.Result usage = jar.run("run", "--json", "--no-such-flag");
        JsonObject error = json("error", 2, usage).getAsJsonObject().getAsJsonObject("error");
        assertThat(error.get("message").getAsString()).contains("--no-such-flag");
        assertThat(usage.err()).contains("--no-such-flag");
        json("error", 2, jar.run("notify-test", "--json"));
        json("error", 2, jar.run("sample", "--json", "--log-format", "xml", home.resolve("x.db").toString()));

        // many databases, one of them unreadable
        Sqlite.createNotes(home.resolve("other.db"), 5);
        Path config = home.resolve("many.yml");
        Files.writeString(config, "databases:\n  - name: app\n    path: " + db + "\n  - name: other\n    path: "
                + home.resolve("other.db") + "\n", StandardCharsets.UTF_8);
        JarProcess many = new JarProcess(home).env("SQLITE_BACKUP_CONFIG", config.toString());
        json("run (many databases)", 0, many.run("run", "--json"));
        json("status (many databases)", 0, many.run("status", "--json"));
        json("prune (many databases)", 0, many.run("prune", "--json", "--dry-run"));
        json("verify (many databases)", 0, many.run("verify", "--json"));
        Files.writeString(home.resolve("other.db"), "garbage, not SQLite: its backup fails");
        json("run (many databases)", 1, many.run("run", "--json"));

        assertThat(doc.shapes()).as("every shape documented is run here, or said why not")
                .containsAll(seen.keySet()).containsAll(NOT_RUN_HERE);
        Set<String> unchecked = new TreeSet<>(doc.shapes());
        unchecked.removeAll(seen.keySet());
        assertThat(unchecked).as("documented shapes this test does not produce").isEqualTo(NOT_RUN_HERE);
        seen.forEach((shape, documents) -> documents.forEach(d -> doc.check(shape, d)));
    }

    /** {@code result}'s stdout parsed as one JSON document, its exit code checked, kept as an example of shape. */
    private JsonElement json(String shape, int exitCode, JarProcess.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        JsonElement document = JsonParser.parseString(result.out());
        assertThat(document.isJsonObject() || document.isJsonArray()).as(result.toString()).isTrue();
        if (exitCode != 0 && shape.equals("error")) {
            assertThat(document.getAsJsonObject().getAsJsonObject("error").get("exitCode").getAsInt())
                    .isEqualTo(exitCode);
        }
        seen.computeIfAbsent(shape, s -> new ArrayList<>()).add(document);
        return document;
    }
}
