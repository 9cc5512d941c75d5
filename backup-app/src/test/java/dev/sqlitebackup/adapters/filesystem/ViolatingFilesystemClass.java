package dev.sqlitebackup.adapters.filesystem;

/** Architecture fixture: the folder adapter using the SQLite driver. Never production code. */
public class ViolatingFilesystemClass {
    public Object driver() {
        return org.sqlite.SQLiteConfig.class;
    }
}
