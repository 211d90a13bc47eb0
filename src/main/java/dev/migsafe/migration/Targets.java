package dev.migsafe.migration;

import dev.migsafe.python.eval.Value;

/** What an operation acts on, as "app.Model.field" or "app.Model" (as written in the migration). */
public final class Targets {

    private Targets() {}

    public static String of(String app, Operation op) {
        if (op.type() == null) {
            return null;
        }
        return switch (op.type()) {
            case "AddField", "AlterField", "RemoveField" -> join(app, str(op.arg(0, "model_name")), str(op.arg(1, "name")));
            case "RenameField" -> join(app, str(op.arg(0, "model_name")), str(op.arg(1, "old_name")));
            case "RenameModel" -> join(app, str(op.arg(0, "old_name")), null);
            case "AddIndex", "RemoveIndex", "AddConstraint", "RemoveConstraint", "AddIndexConcurrently",
                    "RemoveIndexConcurrently", "RenameIndex", "AddConstraintNotValid", "ValidateConstraint" ->
                    join(app, str(op.arg(0, "model_name")), null);
            case "CreateModel", "DeleteModel", "AlterModelTable", "AlterModelOptions", "AlterModelManagers",
                    "AlterModelTableComment", "AlterUniqueTogether", "AlterIndexTogether", "AlterOrderWithRespectTo" ->
                    join(app, str(op.arg(0, "name")), null);
            default -> null; // RunPython, RunSQL, extensions, custom operations: no model target
        };
    }

    private static String join(String app, String model, String field) {
        if (model == null) {
            return null;
        }
        return app + "." + model + (field == null ? "" : "." + field);
    }

    private static String str(Value v) {
        return v instanceof Value.Str s ? s.value() : null;
    }
}
