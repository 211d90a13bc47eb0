package dev.migsafe.migration;

import dev.migsafe.python.eval.Value;
import java.util.List;
import java.util.Map;

/**
 * One operation of a migration. {@code type} is the callee's last name (AddField),
 * {@code qualified} its canonical qualified name (django.db.migrations.AddField) or, for a callee
 * that does not resolve through the imports, its source text. {@code field} is set for
 * AddField/AlterField, {@code fields} for CreateModel; the nested lists for
 * SeparateDatabaseAndState and RunSQL's state_operations. An element of {@code operations} that
 * is not a call has type null and its value in {@code args}.
 */
public record Operation(String type, String qualified, int line, int column, List<Value> args,
                        Map<String, Value> kwargs, FieldSpec field, List<FieldSpec> fields,
                        List<Operation> databaseOperations, List<Operation> stateOperations) {

    /** A positional argument, or the keyword argument of that name, or null. */
    public Value arg(int position, String keyword) {
        Value v = kwargs.get(keyword);
        if (v == null && position >= 0 && position < args.size()) {
            v = args.get(position);
        }
        return v;
    }
}
