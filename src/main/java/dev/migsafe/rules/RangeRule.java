package dev.migsafe.rules;

import java.util.List;

/** A rule that judges the analysed migrations together (two phases of one change in one range). */
public abstract class RangeRule extends Rule {

    protected RangeRule(RuleInfo info) {
        super(info);
    }

    /** @param migrations the analysed migrations in plan order, each with the state before each operation recorded */
    public abstract void check(List<MigrationContext> migrations);

    /** Runs {@link #check} as the analyzer does: a failure becomes P007 on the range's last migration, never the end of the run. */
    public final void judge(List<MigrationContext> migrations) {
        try {
            check(migrations);
        } catch (RuntimeException | StackOverflowError e) {
            if (!migrations.isEmpty()) {
                RuleFailure.onMigration(migrations.get(migrations.size() - 1), RuleFailure.rule(this), e);
            }
        }
    }
}
