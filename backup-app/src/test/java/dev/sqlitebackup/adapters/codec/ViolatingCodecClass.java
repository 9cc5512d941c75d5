package dev.sqlitebackup.adapters.codec;

/**
 * Architecture fixture: the codec reaching for the SQLite driver and logging that share its module, and for the
 * folder adapter beside it. Never production code.
 */
public class ViolatingCodecClass {
    public Object driver() {
        return new org.sqlite.SQLiteConfig();
    }

    public Object logger() {
        return org.slf4j.LoggerFactory.getLogger(ViolatingCodecClass.class);
    }

    public Object folder() {
        return new dev.sqlitebackup.adapters.filesystem.ViolatingFilesystemClass();
    }
}
