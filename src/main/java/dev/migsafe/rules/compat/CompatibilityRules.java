package dev.migsafe.rules.compat;

import dev.migsafe.rules.Rule;
import java.util.ArrayList;
import java.util.List;

/** The rules of RULES.md's compatibility under a rolling deploy (C) family. */
public final class CompatibilityRules {

    private CompatibilityRules() {}

    public static List<Rule> all() {
        List<Rule> all = new ArrayList<>(ColumnChangeRules.all());
        all.addAll(TableChangeRules.all());
        return all;
    }
}
