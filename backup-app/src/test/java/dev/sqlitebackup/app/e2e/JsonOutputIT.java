package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} through the jar: every command's output is one JSON document on stdout, and it has exactly the
 * fields docs/json.md documents for it (no undocumented key, every field documented as always present is there,
 * each of the documented type), so that adding or removing a field without updating the document fails here.
 * Failures, usage errors included, are the documented error object with the exit code.
 */
class JsonOutputIT {

    private static final Path DOC = Path.of(System.getProperty("sqlitebackup.docs", "../docs")).resolve("json.md");

    /** Shapes this test cannot produce here: a Google consent in a browser, a reachable ntfy server, Drive. */
    private static final Set<String> NOT_RUN_HERE = Set.of("drive-auth", "notify-test", "list --remote");

    @TempDir
    Path home;

    private final Map<String, List<JsonElement>> seen = new LinkedHashMap<>();

    @Test
    void everyCommandsJson_isOneDocument_withExactlyTheDocumentedFields() throws IOException, InterruptedException {
        Map<String, Map<String, Field>> doc = documented();
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

        assertThat(doc.keySet()).as("every shape documented is run here, or said why not")
                .containsAll(seen.keySet()).containsAll(NOT_RUN_HERE);
        Set<String> unchecked = new TreeSet<>(doc.keySet());
        unchecked.removeAll(seen.keySet());
        assertThat(unchecked).as("documented shapes this test does not produce").isEqualTo(NOT_RUN_HERE);
        seen.forEach((shape, documents) -> documents.forEach(d -> check(shape, doc.get(shape), "", d)));
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

    private void check(String shape, Map<String, Field> fields, String path, JsonElement value) {
        String where = shape + ": " + (path.isEmpty() ? "(document)" : path);
        if (value.isJsonArray()) {
            for (JsonElement each : (JsonArray) value) {
                check(shape, fields, path + "[]", each);
            }
        } else if (value.isJsonObject()) {
            JsonObject o = value.getAsJsonObject();
            boolean byName = fields.keySet().stream().anyMatch(f -> f.startsWith(prefix(path) + "*"));
            if (byName) {
                o.entrySet().forEach(e -> check(shape, fields, prefix(path) + "*", e.getValue()));
                return;
            }
            Map<String, Field> children = new LinkedHashMap<>();
            fields.forEach((name, field) -> {
                String rest = name.startsWith(prefix(path)) ? name.substring(prefix(path).length()) : null;
                if (rest != null && !rest.isEmpty() && rest.matches("[A-Za-z0-9]+")) {
                    children.put(rest, field);
                }
            });
            assertThat(o.keySet()).as(where + ": every key is documented in docs/json.md")
                    .isSubsetOf(children.keySet());
            children.forEach((key, field) -> {
                if (field.always() || field.notOnError() && !o.has("error")) {
                    assertThat(o.has(key)).as(where + ": documented as always present: " + key).isTrue();
                }
            });
            o.entrySet().forEach(e -> {
                Field field = children.get(e.getKey());
                String child = prefix(path) + e.getKey();
                assertThat(field.admits(e.getValue())).as(child + " is documented as " + field.type() + ", got "
                        + e.getValue()).isTrue();
                check(shape, fields, child, e.getValue());
            });
        }
    }

    private static String prefix(String path) {
        return path.isEmpty() ? path : path + ".";
    }

    /** A documented field: its type ({@code string}, {@code number}, ..., {@code or null}) and when it is there. */
    record Field(String type, String present) {
        boolean always() {
            return present.equals("always");
        }

        /** An object of a database that failed has only its name, ok and error, when documented so. */
        boolean notOnError() {
            return present.equals("always, except on error");
        }

        boolean admits(JsonElement value) {
            if (value.isJsonNull()) {
                return type.endsWith("or null");
            }
            String base = type.replace(" or null", "");
            return switch (base) {
                case "string" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
                case "number" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber();
                case "boolean" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean();
                case "object" -> value.isJsonObject();
                case "array" -> value.isJsonArray();
                default -> false;
            };
        }
    }

    private static final Pattern SHAPE = Pattern.compile("^### `([^`]+)`");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([a-z ]+) \\| ([^|]+) \\|");

    /** docs/json.md's tables: for each shape (a {@code ### `name`} heading), its fields by path. */
    private static Map<String, Map<String, Field>> documented() throws IOException {
        Map<String, Map<String, Field>> shapes = new LinkedHashMap<>();
        Map<String, Field> current = null;
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            Matcher heading = SHAPE.matcher(line);
            Matcher row = ROW.matcher(line);
            if (heading.find()) {
                current = new LinkedHashMap<>();
                shapes.put(heading.group(1), current);
            } else if (line.startsWith("#")) {
                current = null;
            } else if (current != null && row.find()) {
                current.put(row.group(1), new Field(row.group(2).strip(), row.group(3).strip()));
            }
        }
        assertThat(shapes).as("shapes in " + DOC).isNotEmpty();
        return shapes;
    }
}
