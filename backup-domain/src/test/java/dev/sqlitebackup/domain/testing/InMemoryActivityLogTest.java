package dev.sqlitebackup.domain.testing;

import dev.sqlitebackup.domain.model.DatabaseIdentity;
import dev.sqlitebackup.domain.port.out.ActivityLog;

/** The in-memory fake passes the same contract as the SQLite state database. */
class InMemoryActivityLogTest extends ActivityLogContract {

    private InMemoryActivityLog fake;

    @Override
    protected ActivityLog newLog() {
        fake = new InMemoryActivityLog();
        return fake;
    }

    @Override
    protected ActivityLog sharedBy(DatabaseIdentity database) {
        return fake.forDatabase(database);
    }

    @Override
    protected void corrupt() {
        fake.breakIt();
    }
}
