package dev.migsafe.rules;

import java.util.List;

/** A rule that judges the analysed migrations together (two phases of one change in one range). */
public abstract class RangeRule extends Rule {

    protected RangeRule(RuleInfo info) {
        super(info);
    }

    /** @param migrations the analysed migrations in plan order, each with the state before each operation recorded */
    public abstract void check(List<MigrationContext> migrations);
}
