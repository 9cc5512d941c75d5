package dev.sqlitebackup.adapters.drive;

/** Architecture fixture: the Drive adapter using the ntfy adapter's HTTP library. Never production code. */
public class ViolatingDriveClass {
    public Object http() {
        return okhttp3.OkHttpClient.class;
    }
}
