package dev.migsafe.rules.compat;

import dev.migsafe.rules.Rule;
import java.util.List;

/** C rules about one column: adding, removing, renaming, retyping, constraining it. */
public final class ColumnChangeRules {

    private ColumnChangeRules() {}

    public static List<Rule> all() {
        return List.of(new AddFieldNotNull(), new RemoveFieldInUse(), new RenameFieldColumn(), new AlterFieldType(),
                new SetNotNull(), new AddUnique(), new ShrinkField(), new ChangeDbColumn(), new DropDbDefault(),
                new AddFieldUniqueDefault());
    }
}
