package dev.sqlitebackup.domain.model;

import java.util.List;

/** What SQLite's own check said of a copy: ok, or the first problems it listed. */
public record IntegrityReport(VerifyLevel level, List<String> problems) {
    public IntegrityReport {
        problems = List.copyOf(problems);
    }

    public static IntegrityReport passed(VerifyLevel level) {
        return new IntegrityReport(level, List.of());
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** One line: "quick_check ok" or the first problem. */
    public String summary() {
        String check = level == VerifyLevel.FULL ? "integrity_check" : "quick_check";
        if (ok()) {
            return check + " ok";
        }
        String more = problems.size() > 1 ? " (+" + (problems.size() - 1) + " more)" : "";
        return check + " failed: " + problems.get(0) + more;
    }
}
