package dev.migsafe.rules;

import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Targets;

/**
 * One line saying what an operation does, for operations no rule gives a class. An AlterField says
 * what the database does ({@code effect}, from the state before it), as its locks do. Where the
 * operation is compatible because of why it is exempt or what a rule found ({@code why}: "on
 * shop_form, a table this migration creates"), the line says that instead of a reason that holds
 * only for existing tables.
 */
final class Describe {

    private Describe() {}

    static String of(String app, Operation op, String effect, String why) {
        String target = Targets.of(app, op);
        String on = target == null ? "" : " " + target;
        if (op.type() == null) {
            return "not a call: nothing to judge";
        }
        if (why != null) {
            return switch (op.type()) {
                case "CreateModel" -> "creates" + on + ": " + why;
                case "AddField" -> "adds" + on + " " + why;
                case "AlterField" -> (effect != null ? effect : "changes" + on) + "; " + why;
                case "AddIndex", "AddIndexConcurrently" -> "adds an index to" + on + " " + why;
                case "AddConstraint", "AddConstraintNotValid" -> "adds a constraint to" + on + " " + why;
                default -> of(app, op, effect, null) + "; " + why;
            };
        }
        return switch (op.type()) {
            case "CreateModel" -> "creates" + on + ": a new table old code does not use";
            case "AddField" -> "adds" + on + ": old code ignores a column it does not select";
            case "AlterField" -> effect != null ? effect : "changes" + on;
            case "RunPython" -> "runs Python code: no schema change";
            case "RunSQL" -> "runs no SQL";
            case "AddIndex", "AddIndexConcurrently" -> "adds an index to" + on;
            case "RemoveIndex", "RemoveIndexConcurrently" -> "drops an index of" + on;
            case "RemoveConstraint" -> "drops a constraint of" + on + ": old code writes fewer restricted rows";
            case "AlterModelOptions", "AlterModelManagers" -> "changes Python-side options of" + on + ": no DDL";
            case "AlterModelTableComment" -> "changes the table comment of" + on;
            case "AlterUniqueTogether" -> "sets the unique_together of" + on;
            case "AlterIndexTogether" -> "sets the index_together of" + on;
            case "SeparateDatabaseAndState" -> "changes migration state; its database operations are judged alone";
            case "ValidateConstraint" -> "validates a constraint of" + on + " without blocking writes";
            default -> op.type() + on;
        };
    }
}
