package dev.migsafe.rules.locks;

import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.state.Field;
import java.util.List;

/**
 * SQLite locks the whole database for writing during DDL. What matters is how long: a brief
 * catalog change, an index build, or a table rebuild (new table, copy of every row, drop,
 * rename), which Django's SQLite backend does for most AlterField/RemoveField/AddConstraint.
 */
final class SqliteLocks {

    static final String BRIEF = "write lock on the database (brief)";

    private SqliteLocks() {}

    static String rebuild(String t) {
        return "write lock on the database while " + t + " is rebuilt (new table, copy of every row, drop, rename)";
    }

    static String indexBuild(String t) {
        return "write lock on the database while the index on " + t + " builds";
    }

    static List<String> of(OperationContext ctx) {
        String t = ctx.table();
        return switch (ctx.type()) {
            case "CreateModel" -> LockDescriptions.createsNoTable(ctx) ? List.of() : List.of(BRIEF);
            case "DeleteModel", "RenameModel", "AlterModelTable", "RemoveIndex" -> List.of(BRIEF);
            case "AlterModelTableComment" -> List.of(); // SQLite keeps no comments
            case "AlterUniqueTogether" -> PostgresLocks.together(ctx, "unique_together", indexBuild(t), BRIEF);
            case "AlterIndexTogether" -> PostgresLocks.together(ctx, "index_together", indexBuild(t), BRIEF);
            case "AlterOrderWithRespectTo" -> ctx.op().arg(1, "order_with_respect_to") instanceof Value.Str
                    ? List.of(rebuild(t)) : List.of(BRIEF);
            case "AddField" -> {
                Field f = ctx.newField();
                if (f == null) {
                    yield List.of(LockDescriptions.UNKNOWN + ": the field is not a call migsafe can read");
                }
                String reason = Ddl.sqliteAddRebuild(f);
                yield reason == null ? List.of(LockDescriptions.UNKNOWN + ": a rebuild of " + t + " if the column is "
                        + "NOT NULL or unique") : List.of(reason.isEmpty() ? BRIEF : rebuild(t));
            }
            case "RemoveField" -> {
                Field f = ctx.oldField();
                if (f == null) {
                    yield LockDescriptions.unknownField(ctx);
                }
                yield List.of(Ddl.sqliteRemoveRebuilds(f) ? rebuild(t) : BRIEF);
            }
            case "AlterField" -> {
                FieldChange c = FieldChange.of(ctx);
                if (c.after == null || c.before == null) {
                    yield LockDescriptions.unknownField(ctx);
                }
                if (!c.dbChange() || c.after.isManyToMany()) {
                    yield List.of();
                }
                yield List.of(c.onlyColumnRenamed() && !Boolean.TRUE.equals(FieldChange.foreignKey(c.after))
                        ? BRIEF : rebuild(t));
            }
            case "RenameField" -> {
                Field f = ctx.oldField();
                yield f != null && (f.has("db_column") || !f.hasColumn()) ? List.of() : List.of(BRIEF);
            }
            case "AddIndex", "RenameIndex" -> List.of(indexBuild(t));
            case "AddConstraint" -> List.of(Ddl.constraintKind(ctx.op().arg(1, "constraint")) == Ddl.ConstraintKind.UNIQUE_INDEX
                    ? indexBuild(t) : rebuild(t));
            case "RemoveConstraint" -> {
                Value c = LockDescriptions.constraintNamed(ctx, ctx.str(1, "name"));
                yield List.of(c != null && Ddl.constraintKind(c) == Ddl.ConstraintKind.UNIQUE_INDEX ? BRIEF : rebuild(t));
            }
            case "AddIndexConcurrently", "RemoveIndexConcurrently", "AddConstraintNotValid", "ValidateConstraint" ->
                    List.of("none: a PostgreSQL-only operation, which fails on SQLite");
            default -> null;
        };
    }
}
