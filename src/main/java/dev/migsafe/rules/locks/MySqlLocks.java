package dev.migsafe.rules.locks;

import dev.migsafe.rules.OperationContext;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * MySQL (InnoDB, 8.0) locks per operation: online DDL in place or instant where InnoDB can, a
 * table copy (ALGORITHM=COPY, writes blocked) where it cannot, a metadata lock at the start and
 * end of each; and every DDL statement commits on its own.
 */
final class MySqlLocks {

    static final String NOT_TRANSACTIONAL = "not transactional: commits at once, a later failure does not undo it";

    private MySqlLocks() {}

    static String brief(String t, String what) {
        return "metadata lock on " + t + " (brief: " + what + ")";
    }

    static String copy(String t, String why) {
        return "table copy of " + t + " (ALGORITHM=COPY " + why + ": writes blocked for the whole copy)";
    }

    static String indexBuild(String t) {
        return "in-place index build on " + t + " (LOCK=NONE: reads and writes continue; brief metadata lock)";
    }

    static String rebuild(String t, String what) {
        return "in-place rebuild of " + t + " (" + what + ": reads and writes continue; brief metadata lock)";
    }

    static List<String> of(OperationContext ctx) {
        List<String> out = locks(ctx);
        if (out == null || out.isEmpty() || !LockDescriptions.known(out) || Ddl.postgresOnly(ctx.type())) {
            return out;
        }
        out = new ArrayList<>(out);
        out.add(NOT_TRANSACTIONAL);
        return out;
    }

    private static List<String> locks(OperationContext ctx) {
        String t = ctx.table();
        return switch (ctx.type()) {
            case "CreateModel" -> LockDescriptions.createsNoTable(ctx) ? List.of()
                    : List.of("new table" + (LockDescriptions.referencedTables(ctx).isEmpty() ? ""
                    : " (brief metadata locks on " + String.join(", ", LockDescriptions.referencedTables(ctx)) + ")"));
            case "DeleteModel" -> List.of(brief(t, "DROP TABLE"));
            case "RenameModel", "AlterModelTable" -> List.of(brief(t, "RENAME TABLE"));
            case "AlterModelTableComment" -> List.of(brief(t, "table comment"));
            case "AlterUniqueTogether" -> PostgresLocks.together(ctx, "unique_together", indexBuild(t), brief(t, "DROP INDEX"));
            case "AlterIndexTogether" -> PostgresLocks.together(ctx, "index_together", indexBuild(t), brief(t, "DROP INDEX"));
            case "AlterOrderWithRespectTo" -> List.of(brief(t, "ADD or DROP COLUMN _order"));
            case "AddField" -> addField(ctx);
            case "RemoveField" -> {
                Field f = ctx.oldField();
                if (f != null && f.isManyToMany()) {
                    yield f.has("through") ? List.of() : List.of(brief(LockDescriptions.joinTable(ctx, f), "DROP TABLE"));
                }
                yield f != null && !f.hasColumn() ? List.of()
                        : List.of(rebuild(t, "DROP COLUMN; INSTANT from MySQL 8.0.29"));
            }
            case "AlterField" -> alterField(ctx);
            case "RenameField" -> {
                Field f = ctx.oldField();
                yield f != null && (f.has("db_column") || !f.hasColumn()) ? List.of() : List.of(brief(t, "RENAME COLUMN"));
            }
            case "AddIndex" -> List.of(indexBuild(t));
            case "RemoveIndex", "RemoveConstraint" -> List.of(brief(t, "DROP INDEX or constraint"));
            case "RenameIndex" -> List.of(brief(t, "RENAME INDEX"));
            case "AddConstraint" -> switch (Ddl.constraintKind(ctx.op().arg(1, "constraint"))) {
                case CHECK -> List.of(copy(t, "to add the CHECK"));
                case UNIQUE, UNIQUE_INDEX -> List.of(indexBuild(t));
                default -> null;
            };
            case "AddIndexConcurrently", "RemoveIndexConcurrently", "AddConstraintNotValid", "ValidateConstraint" ->
                    List.of("none: a PostgreSQL-only operation, which fails on MySQL");
            default -> null;
        };
    }

    private static List<String> addField(OperationContext ctx) {
        Field f = ctx.newField();
        String t = ctx.table();
        if (f == null) {
            return List.of(LockDescriptions.UNKNOWN + ": the field is not a call migsafe can read");
        }
        if (f.isManyToMany()) {
            return f.has("through") ? List.of() : List.of("new join table (brief metadata locks on " + t + ", "
                    + Ddl.tableOf(ctx.state(), f.target()) + ")");
        }
        if (!f.hasColumn()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (Boolean.TRUE.equals(Ddl.storedGenerated(f))) {
            out.add(copy(t, "for the stored generated column"));
        } else if (Boolean.TRUE.equals(FieldChange.foreignKey(f))) {
            out.add(copy(t, "to add the FOREIGN KEY"));
        } else {
            out.add(brief(t, "INSTANT ADD COLUMN from MySQL 8.0.12"));
        }
        if (Boolean.TRUE.equals(FieldChange.unique(f)) || Boolean.TRUE.equals(FieldChange.plainIndex(f))) {
            out.add(indexBuild(t));
        }
        return out;
    }

    private static List<String> alterField(OperationContext ctx) {
        FieldChange c = FieldChange.of(ctx);
        String t = ctx.table();
        if (c.after == null || c.before == null) {
            return LockDescriptions.unknownField(ctx);
        }
        if (!c.dbChange() || c.after.isManyToMany()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (c.typeRelevant()) {
            ColumnType a = c.typeBefore();
            ColumnType b = c.typeAfter();
            if (a == null || b == null) {
                out.add(LockDescriptions.UNKNOWN + ": a table copy of " + t + " if the column type changes (type unknown)");
            } else if (TableRewrite.mysqlInPlace(a, b)) {
                out.add(brief(t, "VARCHAR extended in place"));
            } else if (!a.equals(b)) {
                out.add(copy(t, "for the type change"));
            }
        }
        Boolean setNotNull = c.setNotNull();
        if (Boolean.TRUE.equals(setNotNull) || Boolean.TRUE.equals(FieldChange.gained(FieldChange.notNull(c.after),
                FieldChange.notNull(c.before)))) {
            out.add(rebuild(t, "NULL / NOT NULL"));
        }
        if (Boolean.TRUE.equals(c.foreignKeyAdded())) {
            out.add(copy(t, "to add the FOREIGN KEY"));
        }
        if (Boolean.TRUE.equals(c.uniqueAdded()) || Boolean.TRUE.equals(c.indexAdded())) {
            out.add(indexBuild(t));
        }
        if (Boolean.TRUE.equals(c.uniqueDropped()) || Boolean.TRUE.equals(c.indexDropped())) {
            out.add(brief(t, "DROP INDEX"));
        }
        if (out.isEmpty()) {
            out.add(brief(t, "ALTER TABLE in place"));
        }
        return out;
    }
}
