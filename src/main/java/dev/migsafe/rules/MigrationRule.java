package dev.migsafe.rules;

/** A rule that judges a migration as a whole (atomicity, its mix of operations, its stage). */
public abstract class MigrationRule extends Rule {

    protected MigrationRule(RuleInfo info) {
        super(info);
    }

    public abstract void check(MigrationContext ctx);

    /** Runs {@link #check} as the analyzer does: a failure becomes P007 on the migration, never the end of the run. */
    public final void judge(MigrationContext ctx) {
        try {
            check(ctx);
        } catch (RuntimeException | StackOverflowError e) {
            RuleFailure.onMigration(ctx, RuleFailure.rule(this), e);
        }
    }
}
