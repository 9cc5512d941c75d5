package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/json.md read as the schema of the {@code --json} outputs: for each shape (a {@code ### `name`} heading) its
 * fields by path, type and presence. {@link #check} holds a document to it: no undocumented key, every field
 * documented as always present there, each value of its documented type.
 */
final class JsonDoc {

    static final Path DOC = Path.of(System.getProperty("sqlitebackup.docs", "../docs")).resolve("json.md");

    private final Map<String, Map<String, Field>> shapes;

    private JsonDoc(Map<String, Map<String, Field>> shapes) {
        this.shapes = shapes;
    }

    Set<String> shapes() {
        return shapes.keySet();
    }

    /** Asserts that {@code document} is of the documented {@code shape}. */
    void check(String shape, JsonElement document) {
        assertThat(shapes).as("shapes in " + DOC).containsKey(shape);
        check(shape, shapes.get(shape), "", document);
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
    static JsonDoc read() throws IOException {
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
        return new JsonDoc(shapes);
    }
}
