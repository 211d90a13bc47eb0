package dev.migsafe.rules.compat;

import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a column name an operation takes away from old code comes back later in the same
 * migration (RemoveField plan, then RenameField plan_tmp -> plan): old code, which only sees the
 * schema before and after the transaction, then never misses the column. Whether the column that
 * comes back has the type old code expects is judged where it comes back (C104).
 */
final class ColumnReturns {

    private ColumnReturns() {}

    /**
     * True when a later operation of this migration gives the target model a column named
     * {@code column} again, and the gap is invisible: the migration is atomic on a database with
     * transactional DDL (not MySQL, where every DDL statement commits on its own).
     *
     * @param gone the field this operation takes away (removed, or renamed to {@code renamedTo})
     */
    static boolean later(OperationContext ctx, String column, String gone, String renamedTo) {
        ModelState m = ctx.targetModel();
        String model = ctx.modelName();
        if (m == null || model == null || column == null || !ctx.migration().atomic()
                || ctx.database() == Database.MYSQL || ctx.nested()) {
            return false;
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        m.fields().forEach((k, f) -> fields.put(k, f));
        Field moved = gone == null ? null : fields.remove(gone.toLowerCase(Locale.ROOT));
        if (moved != null && renamedTo != null) {
            fields.put(renamedTo.toLowerCase(Locale.ROOT), moved.withName(renamedTo));
        }
        for (Operation op : ctx.later()) {
            if (op.type() == null || !model.equalsIgnoreCase(str(op, 0, "model_name"))) {
                continue;
            }
            switch (op.type()) {
                case "AddField", "AlterField" -> {
                    String name = str(op, 1, "name");
                    if (name != null && op.field() != null) {
                        fields.put(name.toLowerCase(Locale.ROOT), new Field(name, op.field(), null));
                    }
                }
                case "RemoveField" -> {
                    String name = str(op, 1, "name");
                    if (name != null) {
                        fields.remove(name.toLowerCase(Locale.ROOT));
                    }
                }
                case "RenameField" -> {
                    String from = str(op, 1, "old_name");
                    String to = str(op, 2, "new_name");
                    Field f = from == null || to == null ? null : fields.remove(from.toLowerCase(Locale.ROOT));
                    if (f != null) {
                        fields.put(to.toLowerCase(Locale.ROOT), f.withName(to));
                    }
                }
                default -> { }
            }
            if (has(fields, column)) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(Map<String, Field> fields, String column) {
        for (Field f : fields.values()) {
            if (f.hasColumn() && f.column().equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    private static String str(Operation op, int position, String keyword) {
        return op.arg(position, keyword) instanceof Value.Str s ? s.value() : null;
    }
}
