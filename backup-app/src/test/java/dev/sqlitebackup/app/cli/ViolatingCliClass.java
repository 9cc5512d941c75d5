package dev.sqlitebackup.app.cli;

/** Architecture fixture: a command using an out-port and the composition root. Never production code. */
public class ViolatingCliClass {
    public Object outPort() {
        return dev.sqlitebackup.domain.port.out.BackupRepository.class;
    }

    public Object compositionRoot() {
        return dev.sqlitebackup.app.CompositionRoot.class;
    }
}
