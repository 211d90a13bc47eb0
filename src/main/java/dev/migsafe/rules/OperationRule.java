package dev.migsafe.rules;

/** A rule that judges one operation, seeing the replayed state before it. */
public abstract class OperationRule extends Rule {

    protected OperationRule(RuleInfo info) {
        super(info);
    }

    public abstract void check(OperationContext ctx);

    /** Runs {@link #check} as the analyzer does: a failure becomes P007 on the operation, never the end of the run. */
    public final void judge(OperationContext ctx) {
        try {
            check(ctx);
        } catch (RuntimeException | StackOverflowError e) {
            RuleFailure.onOperation(ctx, RuleFailure.rule(this), e);
        }
    }

    /**
     * Whether the rule also runs on operations whose target the general exemptions cover (a new
     * table, an unmanaged or proxy model); such a rule applies the exemptions itself where they hold.
     */
    public boolean judgesExemptTargets() {
        return false;
    }
}
