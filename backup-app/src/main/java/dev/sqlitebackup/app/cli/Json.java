package dev.sqlitebackup.app.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.List;

/** The one JSON writer of the CLI's {@code --json} outputs (docs/json.md holds their schema). */
final class Json {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private Json() {
    }

    /** Prints {@code document} as the one JSON document of the invocation. */
    static void print(PrintWriter out, JsonElement document) {
        out.println(GSON.toJson(document));
        out.flush();
    }

    /** {@code {"error": {"exitCode": code, "message": message}}}: what a failure prints under {@code --json}. */
    static JsonObject error(int exitCode, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("exitCode", exitCode);
        error.addProperty("message", message);
        JsonObject o = new JsonObject();
        o.add("error", error);
        return o;
    }

    /**
     * Whether the command line asks for JSON: {@code --json} among the arguments before a {@code --} (what follows
     * it belongs to exec's command). Read from the words themselves, so that a command line picocli refuses still
     * gets its error as JSON.
     */
    static boolean wanted(List<String> args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--json")) {
                return true;
            }
        }
        return false;
    }
}
