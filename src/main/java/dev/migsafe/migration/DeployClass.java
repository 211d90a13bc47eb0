package dev.migsafe.migration;

/**
 * What an operation means for a rolling deploy (RULES.md): compatible, review (a human must
 * look: the tool cannot know), two-phase (split over two deploys), downtime (no online path).
 * Ordered from best to worst; a migration's class is the worst of its operations'.
 */
public enum DeployClass {
    COMPATIBLE("compatible"), REVIEW("review"), TWO_PHASE("two-phase"), DOWNTIME("downtime");

    private final String label;

    DeployClass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public DeployClass worst(DeployClass other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }
}
