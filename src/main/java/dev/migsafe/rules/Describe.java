package dev.migsafe.rules;

import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Targets;
import java.util.List;

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
                case "RunSQL", "RunPython" -> why.startsWith("runs SQL") || why.startsWith("runs Python code and SQL") ? why : of(app, op, effect, null) + "; " + why;
                default -> of(app, op, effect, null) + "; " + why;
            };
        }
        return switch (op.type()) {
            case "CreateModel" -> "creates" + on + ": a new table old code does not use";
            case "AddField" -> "adds" + on + ": old code ignores a column it does not select";
            case "AlterField" -> effect != null ? effect : "changes" + on;
            case "RunPython" -> "runs Python code: no schema change";
            case "RunSQL" -> runSql(op);
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

    /** What a RunSQL that no rule flags runs: nothing, rows only (and which), or SQL that changes nothing. */
    private static String runSql(Operation op) {
        List<String> statements = Sql.statementsOf(op.arg(0, "sql"));
        if (statements == null) {
            return "runs SQL migsafe cannot read";
        }
        if (statements.isEmpty()) {
            return "runs no SQL";
        }
        List<Sql.RowWrite> writes = Sql.onlyRowWrites(statements);
        if (writes != null) {
            List<String> what = writes.stream().map(Sql.RowWrite::describe).distinct().toList();
            String shown = String.join("; ", what.subList(0, Math.min(3, what.size()))) + (what.size() > 3 ? "; ..." : "");
            return "changes rows only (" + shown + "): a data migration in SQL, no schema change";
        }
        if (Sql.allChangeNothing(statements)) {
            return "runs SQL that changes no schema and no row";
        }
        return "runs SQL migsafe does not analyse";
    }
}
