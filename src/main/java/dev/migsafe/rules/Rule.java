package dev.migsafe.rules;

/**
 * A rule of RULES.md. Subclasses check one operation ({@link OperationRule}), one migration
 * ({@link MigrationRule}), or the whole analysed range ({@link RangeRule}); rules whose findings
 * are produced elsewhere (parsing, the graph) extend this class only for their documentation.
 */
public abstract class Rule {

    private final RuleInfo info;

    protected Rule(RuleInfo info) {
        this.info = info;
    }

    public final RuleInfo info() {
        return info;
    }

    public final String id() {
        return info.id();
    }

    /** True for the compatibility (C) and lock (L) rules, which the general exemptions apply to. */
    public final boolean isSchemaRule() {
        return info.id().startsWith("C") || info.id().startsWith("L");
    }
}
