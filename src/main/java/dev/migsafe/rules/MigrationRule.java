package dev.migsafe.rules;

/** A rule that judges a migration as a whole (atomicity, its mix of operations, its stage). */
public abstract class MigrationRule extends Rule {

    protected MigrationRule(RuleInfo info) {
        super(info);
    }

    public abstract void check(MigrationContext ctx);
}
