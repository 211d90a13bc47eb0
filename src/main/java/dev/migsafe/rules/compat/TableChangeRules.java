package dev.migsafe.rules.compat;

import dev.migsafe.rules.Rule;
import java.util.List;

/** C rules about tables, keys, relations and table-level constraints, and raw SQL. */
public final class TableChangeRules {

    private TableChangeRules() {}

    public static List<Rule> all() {
        return List.of();
    }
}
