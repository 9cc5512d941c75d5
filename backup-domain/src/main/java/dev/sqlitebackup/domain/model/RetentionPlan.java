package dev.sqlitebackup.domain.model;

import java.util.List;
import java.util.Objects;

/** What retention decided for each backup, newest first: keep (with the reasons) or delete. */
public record RetentionPlan(List<Decision> decisions) {

    public RetentionPlan {
        decisions = List.copyOf(decisions);
    }

    /** One backup's fate. */
    public sealed interface Decision permits Keep, Delete {
        BackupName name();
    }

    /** Kept, with every rule that keeps it, e.g. {@code daily}, {@code weekly 2026-W33}, {@code monthly 2026-07}. */
    public record Keep(BackupName name, List<String> reasons) implements Decision {
        public Keep {
            Objects.requireNonNull(name, "name");
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a kept backup needs a reason: " + name);
            }
        }
    }

    /** Kept by no rule: deleted with its sidecar. */
    public record Delete(BackupName name) implements Decision {
        public Delete {
            Objects.requireNonNull(name, "name");
        }
    }

    public List<Keep> kept() {
        return decisions.stream().filter(Keep.class::isInstance).map(Keep.class::cast).toList();
    }

    public List<BackupName> deleted() {
        return decisions.stream().filter(Delete.class::isInstance).map(Decision::name).toList();
    }
}
