package dev.sqlitebackup.adapters.sqlite;

/** Architecture fixture: an adapter that reaches into the app and into another adapter. Never production code. */
public class ViolatingSqliteClass {
    public Object app() {
        return new dev.sqlitebackup.app.config.ConfigurationException("x");
    }

    public Object ntfy() {
        return new dev.sqlitebackup.adapters.ntfy.ViolatingNtfyClass();
    }
}
