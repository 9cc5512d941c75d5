package dev.sqlitebackup.app.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one JSON writer of the CLI's {@code --json} outputs. */
final class Json {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private Json() {
    }
}
