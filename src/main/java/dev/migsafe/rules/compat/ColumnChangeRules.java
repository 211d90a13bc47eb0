package dev.migsafe.rules.compat;

import dev.migsafe.rules.Rule;
import java.util.List;

/** C rules about one column: adding, removing, renaming, retyping, constraining it. */
public final class ColumnChangeRules {

    private ColumnChangeRules() {}

    public static List<Rule> all() {
        return List.of(new AddFieldNotNull());
    }
}
