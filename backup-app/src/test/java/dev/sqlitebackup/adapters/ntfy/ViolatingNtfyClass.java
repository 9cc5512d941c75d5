package dev.sqlitebackup.adapters.ntfy;

/**
 * Architecture fixture: an adapter that depends on another adapter, and on the Drive adapter's library. Never
 * production code.
 */
public class ViolatingNtfyClass {
    public Object sqlite() {
        return dev.sqlitebackup.adapters.sqlite.ViolatingSqliteClass.class;
    }

    public Object googleHttp() {
        return com.google.api.client.http.HttpTransport.class;
    }
}
