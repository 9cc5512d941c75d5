package dev.sqlitebackup.adapters.ntfy;

/** Architecture fixture: an adapter that depends on another adapter. Never production code. */
public class ViolatingNtfyClass {
    public Object sqlite() {
        return dev.sqlitebackup.adapters.sqlite.ViolatingSqliteClass.class;
    }
}
