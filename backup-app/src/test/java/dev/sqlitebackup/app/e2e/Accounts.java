package dev.sqlitebackup.app.e2e;

import java.util.List;
import java.util.Optional;

/**
 * The two users of a real installation, made with {@code useradd} when the tests run as root: {@code sbk-app} owns
 * the database (group {@code sbk-app}), {@code sbk-backup} runs the backups and is in the application's group, as
 * docs/sqlite-backup.service recommends. Processes run as either through util-linux's {@code setpriv}.
 */
final class Accounts {

    static final String APP = "sbk-app";
    static final String BACKUP = "sbk-backup";

    private static Optional<String> impossible;

    private Accounts() {
    }

    /** Why the two users cannot exist here (not root, no useradd or setpriv), or empty once they do. */
    static synchronized Optional<String> ensure() {
        if (impossible == null) {
            impossible = create();
        }
        return impossible;
    }

    /** How to start a command as {@code user}, with that user's groups. */
    static List<String> as(String user) {
        return List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups");
    }

    private static Optional<String> create() {
        if (!"0".equals(run(List.of("id", "-u")).orElse(""))) {
            return Optional.of("not running as root, so no users can be made to run the jar as");
        }
        // The end-to-end classes run in two forks: the other one may make a user between our check and our useradd.
        if (run(List.of("getent", "group", APP)).isEmpty() && run(List.of("groupadd", APP)).isEmpty()
                && run(List.of("getent", "group", APP)).isEmpty()) {
            return Optional.of("groupadd " + APP + " failed");
        }
        if (run(List.of("id", APP)).isEmpty()
                && run(List.of("useradd", "--no-create-home", "--gid", APP, APP)).isEmpty()
                && run(List.of("id", APP)).isEmpty()) {
            return Optional.of("useradd " + APP + " failed");
        }
        if (run(List.of("id", BACKUP)).isEmpty()
                && run(List.of("useradd", "--no-create-home", "--user-group", "--groups", APP, BACKUP)).isEmpty()
                && run(List.of("id", BACKUP)).isEmpty()) {
            return Optional.of("useradd " + BACKUP + " failed");
        }
        if (run(List.of("setpriv", "--reuid=" + BACKUP, "--regid=" + BACKUP, "--init-groups", "test", "-r",
                JarProcess.JAR.toString())).isEmpty()) {
            return Optional.of("setpriv (util-linux) is missing or " + BACKUP + " cannot read " + JarProcess.JAR);
        }
        return Optional.empty();
    }

    /** What the command printed, when it exited 0. */
    static Optional<String> run(List<String> command) {
        return Unprivileged.output(command);
    }
}
