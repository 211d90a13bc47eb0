package dev.migsafe.migration;

import dev.migsafe.python.eval.Value;

/**
 * The arguments that say what a Django operation acts on (its model, field, index or constraint
 * name, and the field/index/constraint it adds). When one of them is not a literal of the right
 * kind — computed by a call, left out, a number where a name belongs — migsafe cannot tell what
 * the operation changes: it is reported for review (P003) instead of being judged against a
 * model it would have to guess, and the replay forgets what it knew about the app's models.
 */
public final class OperationArgs {

    private OperationArgs() {}

    /** What is unreadable in {@code op}'s identifying arguments ("the model name is a call to name_for"), or null. */
    public static String unreadable(Operation op) {
        if (op.type() == null) {
            return null;
        }
        switch (op.type()) {
            case "AddField", "AlterField" -> {
                return first(name(op, 0, "model_name", "the model name"), name(op, 1, "name", "the field name"),
                        call(op, 2, "field", "the field"));
            }
            case "RemoveField" -> {
                return first(name(op, 0, "model_name", "the model name"), name(op, 1, "name", "the field name"));
            }
            case "RenameField" -> {
                return first(name(op, 0, "model_name", "the model name"), name(op, 1, "old_name", "the old field name"),
                        name(op, 2, "new_name", "the new field name"));
            }
            case "CreateModel", "DeleteModel", "AlterModelTableComment", "AlterUniqueTogether", "AlterIndexTogether",
                    "AlterOrderWithRespectTo", "AlterModelOptions", "AlterModelManagers" -> {
                return name(op, 0, "name", "the model name");
            }
            case "AlterModelTable" -> {
                Value table = op.arg(1, "table");
                return first(name(op, 0, "name", "the model name"),
                        table == null || table instanceof Value.Str || table instanceof Value.None ? null
                                : "the table name is " + describe(table));
            }
            case "RenameModel" -> {
                return first(name(op, 0, "old_name", "the old model name"), name(op, 1, "new_name", "the new model name"));
            }
            case "AddIndex", "AddIndexConcurrently" -> {
                return first(name(op, 0, "model_name", "the model name"), call(op, 1, "index", "the index"));
            }
            case "AddConstraint", "AddConstraintNotValid" -> {
                return first(name(op, 0, "model_name", "the model name"), call(op, 1, "constraint", "the constraint"));
            }
            case "RemoveIndex", "RemoveIndexConcurrently", "RemoveConstraint", "ValidateConstraint" -> {
                return first(name(op, 0, "model_name", "the model name"), name(op, 1, "name", "the name"));
            }
            case "RenameIndex" -> {
                return first(name(op, 0, "model_name", "the model name"), name(op, 1, "new_name", "the new index name"));
            }
            case "AlterConstraint" -> {
                return first(name(op, 0, "model_name", "the model name"), name(op, 1, "name", "the constraint name"),
                        call(op, 2, "constraint", "the constraint"));
            }
            default -> {
                return null; // RunPython, RunSQL, SeparateDatabaseAndState, extensions, custom operations
            }
        }
    }

    private static String name(Operation op, int position, String keyword, String what) {
        Value v = op.arg(position, keyword);
        return v instanceof Value.Str s && !s.bytes() && !s.value().isEmpty() ? null : what + " is " + describe(v);
    }

    private static String call(Operation op, int position, String keyword, String what) {
        Value v = op.arg(position, keyword);
        return v instanceof Value.Call ? null : what + " is " + describe(v);
    }

    /** A value in a few words, for the finding. */
    static String describe(Value v) {
        if (v == null) {
            return "left out";
        }
        if (v instanceof Value.Opaque o) {
            return "not a literal (" + o.reason() + ")";
        }
        if (v instanceof Value.Call c) {
            return "a call to " + c.calleeSource();
        }
        if (v instanceof Value.Ref r) {
            return "the name " + r.source();
        }
        if (v instanceof Value.Str s) {
            return s.bytes() ? "a bytes literal" : "an empty string";
        }
        if (v instanceof Value.None) {
            return "None";
        }
        return "a " + v.getClass().getSimpleName().replace("V", "").toLowerCase(java.util.Locale.ROOT) + " literal";
    }

    private static String first(String... whats) {
        for (String w : whats) {
            if (w != null) {
                return w;
            }
        }
        return null;
    }
}
