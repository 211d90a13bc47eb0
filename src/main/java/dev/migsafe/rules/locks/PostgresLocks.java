package dev.migsafe.rules.locks;

import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** PostgreSQL's table locks per operation (PostgreSQL >= 11: adding a column with a non-volatile default is catalog only). */
final class PostgresLocks {

    private PostgresLocks() {}

    static String brief(String t) {
        return "ACCESS EXCLUSIVE on " + t + " (brief: catalog only)";
    }

    static String rewrite(String t) {
        return "ACCESS EXCLUSIVE on " + t + " for a full table rewrite";
    }

    static String indexBuild(String t) {
        return "SHARE on " + t + " while the index builds (blocks writes)";
    }

    static String uniqueBuild(String t) {
        return "ACCESS EXCLUSIVE on " + t + " while the unique index builds (blocks reads and writes)";
    }

    static String concurrent(String t) {
        return "SHARE UPDATE EXCLUSIVE on " + t + " (CONCURRENTLY: reads and writes continue)";
    }

    static String dropIndex(String t) {
        return "ACCESS EXCLUSIVE on " + t + " (brief: DROP INDEX)";
    }

    static String dropConstraint(String t) {
        return "ACCESS EXCLUSIVE on " + t + " (brief: DROP CONSTRAINT)";
    }

    static String fkValidation(String target) {
        return "SHARE ROW EXCLUSIVE on " + target + " (FK validation)";
    }

    /** The locks, or null for an operation type this does not know. */
    static List<String> of(OperationContext ctx) {
        String t = ctx.table();
        return switch (ctx.type()) {
            case "CreateModel" -> {
                List<String> refs = LockDescriptions.referencedTables(ctx);
                yield LockDescriptions.createsNoTable(ctx) || refs.isEmpty() ? List.of()
                        : List.of("SHARE ROW EXCLUSIVE on " + String.join(", ", refs) + " (FKs of the new table, brief)");
            }
            case "DeleteModel" -> List.of("ACCESS EXCLUSIVE on " + t + " (brief: DROP TABLE)");
            case "RenameModel" -> {
                ModelState m = ctx.targetModel();
                yield m != null && m.hasDbTable() ? List.of() : List.of("ACCESS EXCLUSIVE on " + t + " (brief: RENAME)");
            }
            case "AlterModelTable" -> ctx.op().arg(1, "table") instanceof Value.Str s && s.value().equals(t) ? List.of()
                    : List.of("ACCESS EXCLUSIVE on " + t + " (brief: RENAME)");
            case "AlterModelTableComment" -> List.of("SHARE UPDATE EXCLUSIVE on " + t + " (brief: COMMENT ON TABLE)");
            case "AlterUniqueTogether" -> together(ctx, "unique_together", uniqueBuild(t), dropConstraint(t));
            case "AlterIndexTogether" -> together(ctx, "index_together", indexBuild(t), dropIndex(t));
            case "AlterOrderWithRespectTo" -> List.of(brief(t));
            case "AddField" -> addField(ctx);
            case "RemoveField" -> removeField(ctx);
            case "AlterField" -> alterField(ctx);
            case "RenameField" -> renameField(ctx);
            case "AddIndex" -> List.of(indexBuild(t));
            case "AddIndexConcurrently", "RemoveIndexConcurrently" -> List.of(concurrent(t));
            case "RemoveIndex" -> List.of(dropIndex(t));
            case "RenameIndex" -> List.of("SHARE UPDATE EXCLUSIVE on " + t + " (brief: ALTER INDEX ... RENAME)");
            case "AddConstraint" -> List.of(switch (Ddl.constraintKind(ctx.op().arg(1, "constraint"))) {
                case CHECK -> "ACCESS EXCLUSIVE on " + t + " while the CHECK scans every row";
                case UNIQUE -> uniqueBuild(t);
                case UNIQUE_INDEX -> "SHARE on " + t + " while the unique index builds (blocks writes)";
                case EXCLUSION -> "ACCESS EXCLUSIVE on " + t + " while the exclusion constraint's index builds";
                default -> "ACCESS EXCLUSIVE on " + t + " (ADD CONSTRAINT)";
            });
            case "AddConstraintNotValid" -> List.of("ACCESS EXCLUSIVE on " + t + " (brief: NOT VALID, no scan)");
            case "ValidateConstraint" -> List.of("SHARE UPDATE EXCLUSIVE on " + t
                    + " while VALIDATE CONSTRAINT scans (reads and writes continue)");
            case "RemoveConstraint" -> List.of(dropConstraint(t));
            default -> null;
        };
    }

    /** Sets added build an index, sets removed drop one. */
    static List<String> together(OperationContext ctx, String option, String build, String drop) {
        ModelState m = ctx.targetModel();
        Set<String> before = m == null ? null : Ddl.togetherSets(m.options().get(option));
        Set<String> after = Ddl.togetherSets(ctx.op().arg(1, option));
        if (before == null || after == null) {
            return List.of(LockDescriptions.UNKNOWN + ": " + option + " is not a literal");
        }
        List<String> out = new ArrayList<>();
        if (!Ddl.added(before, after).isEmpty()) {
            out.add(build);
        }
        if (!Ddl.added(after, before).isEmpty()) {
            out.add(drop);
        }
        return out;
    }

    private static List<String> addField(OperationContext ctx) {
        Field f = ctx.newField();
        String t = ctx.table();
        if (f == null) {
            return List.of(LockDescriptions.UNKNOWN + ": the field is not a call migsafe can read");
        }
        if (f.isManyToMany()) {
            return f.has("through") ? List.of() : List.of("SHARE ROW EXCLUSIVE on " + t + ", "
                    + Ddl.tableOf(ctx.state(), f.target()) + " (FKs of the new join table, brief)");
        }
        if (!f.hasColumn()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        boolean fk = Boolean.TRUE.equals(FieldChange.foreignKey(f));
        if (Boolean.TRUE.equals(Ddl.storedGenerated(f))
                || f.hasDbDefault() && Boolean.TRUE.equals(Ddl.volatileDefault(f.kw("db_default"), ctx))) {
            out.add(rewrite(t));
        } else if (fk) {
            out.add("ACCESS EXCLUSIVE on " + t + " while the new FOREIGN KEY is validated");
        } else {
            out.add(brief(t));
        }
        if (Boolean.TRUE.equals(FieldChange.unique(f))) {
            out.add(uniqueBuild(t));
        }
        if (Boolean.TRUE.equals(FieldChange.plainIndex(f))) {
            out.add(indexBuild(t));
        }
        if (fk) {
            out.add(fkValidation(Ddl.tableOf(ctx.state(), f.target())));
        }
        return out;
    }

    private static List<String> removeField(OperationContext ctx) {
        Field f = ctx.oldField();
        if (f != null && f.isManyToMany()) {
            return f.has("through") ? List.of()
                    : List.of("ACCESS EXCLUSIVE on " + LockDescriptions.joinTable(ctx, f) + " (brief: DROP TABLE)");
        }
        if (f != null && !f.hasColumn()) {
            return List.of();
        }
        return List.of(brief(ctx.table()));
    }

    private static List<String> renameField(OperationContext ctx) {
        Field f = ctx.oldField();
        if (f == null) {
            return LockDescriptions.unknownField(ctx);
        }
        if (f.isManyToMany()) {
            return f.has("through") || f.has("db_table") ? List.of()
                    : List.of("ACCESS EXCLUSIVE on " + LockDescriptions.joinTable(ctx, f) + " (brief: RENAME)");
        }
        return !f.hasColumn() || f.has("db_column") ? List.of() : List.of(brief(ctx.table()));
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
        switch (c.typeChange()) {
            case REWRITE -> out.add(rewrite(t));
            case UNKNOWN -> out.add(LockDescriptions.UNKNOWN + ": ACCESS EXCLUSIVE on " + t
                    + ", and a full table rewrite if the column type changes (type unknown)");
            default -> { }
        }
        if (Boolean.TRUE.equals(c.setNotNull())) {
            out.add("ACCESS EXCLUSIVE on " + t + " while SET NOT NULL scans every row");
        }
        if (out.isEmpty() && c.changesOtherThan("db_index", "unique", "db_constraint")) {
            out.add(brief(t));
        }
        if (Boolean.TRUE.equals(c.uniqueAdded())) {
            out.add(uniqueBuild(t));
        }
        if (Boolean.TRUE.equals(c.uniqueDropped())) {
            out.add(dropConstraint(t));
        }
        if (Boolean.TRUE.equals(c.indexAdded())) {
            out.add(indexBuild(t));
        }
        if (Boolean.TRUE.equals(c.indexDropped())) {
            out.add(dropIndex(t));
        }
        if (Boolean.TRUE.equals(c.foreignKeyAdded())) {
            out.add("SHARE ROW EXCLUSIVE on " + t + " and " + c.targetTable()
                    + " while the FOREIGN KEY is validated (blocks writes to both)");
        }
        return out;
    }
}
