package dev.sqlitebackup.domain.port.in;

/** Architecture fixture: an in-port whose name does not end in UseCase. Never production code. */
public interface ViolatingInPort {
    void run();
}
