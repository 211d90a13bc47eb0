package dev.migsafe.migration;

/**
 * Whether migrating backwards over an operation works: yes; lossy (it works but data written
 * since is gone); may-fail (it fails on data written since); no (Django refuses). Ordered from
 * best to worst; a migration's is the worst of its operations'.
 */
public enum Reversibility {
    YES("yes"), LOSSY("lossy"), MAY_FAIL("may-fail"), NO("no");

    private final String label;

    Reversibility(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public Reversibility worst(Reversibility other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }
}
