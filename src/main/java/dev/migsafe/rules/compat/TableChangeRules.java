package dev.migsafe.rules.compat;

import dev.migsafe.rules.Rule;
import java.util.List;

/** C rules about tables, keys, relations and table-level constraints, and raw SQL. */
public final class TableChangeRules {

    private TableChangeRules() {}

    public static List<Rule> all() {
        return List.of(new DeleteModelInUse(), new RenameModelTable(), new AlterModelTableRename(),
                new AddCheckConstraint(), new AddExclusionConstraint(), new OrderWithRespectToColumn(),
                new AlterPrimaryKey(), new RelationChange(), new RawSql());
    }
}
