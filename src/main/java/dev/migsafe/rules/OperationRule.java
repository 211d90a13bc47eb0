package dev.migsafe.rules;

/** A rule that judges one operation, seeing the replayed state before it. */
public abstract class OperationRule extends Rule {

    protected OperationRule(RuleInfo info) {
        super(info);
    }

    public abstract void check(OperationContext ctx);
}
