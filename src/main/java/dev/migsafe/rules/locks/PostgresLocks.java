package dev.migsafe.rules.locks;

import static dev.migsafe.rules.locks.PgFacts.Action.ADD_CHECK;
import static dev.migsafe.rules.locks.PgFacts.Action.ADD_CHECK_NOT_VALID;
import static dev.migsafe.rules.locks.PgFacts.Action.ADD_COLUMN;
import static dev.migsafe.rules.locks.PgFacts.Action.ADD_COLUMN_FOREIGN_KEY;
import static dev.migsafe.rules.locks.PgFacts.Action.ADD_COLUMN_FOREIGN_KEY_DEFAULT;
import static dev.migsafe.rules.locks.PgFacts.Action.ADD_COLUMN_VOLATILE_DEFAULT;
import static dev.migsafe.rules.locks.PgFacts.Action.ADD_EXCLUDE;
import static dev.migsafe.rules.locks.PgFacts.Action.ADD_FOREIGN_KEY;
import static dev.migsafe.rules.locks.PgFacts.Action.ADD_UNIQUE;
import static dev.migsafe.rules.locks.PgFacts.Action.ALTER_COLUMN_TYPE_INDEX_REBUILD;
import static dev.migsafe.rules.locks.PgFacts.Action.ALTER_COLUMN_TYPE_REWRITE;
import static dev.migsafe.rules.locks.PgFacts.Action.COMMENT_ON_TABLE;
import static dev.migsafe.rules.locks.PgFacts.Action.CREATE_INDEX;
import static dev.migsafe.rules.locks.PgFacts.Action.CREATE_INDEX_CONCURRENTLY;
import static dev.migsafe.rules.locks.PgFacts.Action.CREATE_TABLE_WITH_FK;
import static dev.migsafe.rules.locks.PgFacts.Action.CREATE_UNIQUE_INDEX;
import static dev.migsafe.rules.locks.PgFacts.Action.DROP_COLUMN;
import static dev.migsafe.rules.locks.PgFacts.Action.DROP_CONSTRAINT;
import static dev.migsafe.rules.locks.PgFacts.Action.DROP_FOREIGN_KEY;
import static dev.migsafe.rules.locks.PgFacts.Action.DROP_INDEX;
import static dev.migsafe.rules.locks.PgFacts.Action.DROP_TABLE;
import static dev.migsafe.rules.locks.PgFacts.Action.RENAME_COLUMN;
import static dev.migsafe.rules.locks.PgFacts.Action.RENAME_INDEX;
import static dev.migsafe.rules.locks.PgFacts.Action.RENAME_TABLE;
import static dev.migsafe.rules.locks.PgFacts.Action.SET_NOT_NULL;
import static dev.migsafe.rules.locks.PgFacts.Action.VALIDATE_CONSTRAINT;

import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * PostgreSQL's table locks per operation, for the SQL Django's schema editor runs for it. Each
 * mode comes from {@link PgFacts}, whose facts the lock-fact suite proves on a real server (and
 * DjangoLockClaimsTest checks these descriptions against Django's SQL run there).
 */
final class PostgresLocks {

    private PostgresLocks() {}

    /** "MODE on t": the lock the action takes on the table. */
    private static String on(PgFacts.Action a, String t) {
        return PgFacts.lockOn(a, t);
    }

    /** "MODE on t": the lock the action also takes on the table its foreign key references. */
    private static String onReferenced(PgFacts.Action a, String t) {
        return a.fact().referencedLock() + " on " + t;
    }

    static String brief(String t) {
        return brief(ADD_COLUMN, t);
    }

    static String brief(PgFacts.Action a, String t) {
        return on(a, t) + " (brief: catalog only)";
    }

    static String rewrite(PgFacts.Action a, String t) {
        return on(a, t) + " for a full table rewrite";
    }

    static String indexBuild(String t) {
        return on(CREATE_INDEX, t) + " while the index builds (" + CREATE_INDEX.fact().effect() + ")";
    }

    static String uniqueBuild(String t) {
        return on(ADD_UNIQUE, t) + " while the unique index builds (" + ADD_UNIQUE.fact().effect() + ")";
    }

    static String concurrent(String t) {
        return on(CREATE_INDEX_CONCURRENTLY, t) + " (CONCURRENTLY: " + CREATE_INDEX_CONCURRENTLY.fact().effect() + ")";
    }

    static String dropIndex(String t) {
        return on(DROP_INDEX, t) + " (brief: DROP INDEX)";
    }

    static String dropConstraint(String t) {
        return on(DROP_CONSTRAINT, t) + " (brief: DROP CONSTRAINT)";
    }

    static String fkValidation(String target) {
        return onReferenced(ADD_FOREIGN_KEY, target) + " (FK validation)";
    }

    /** Dropping a FOREIGN KEY locks the table it references as hard as its own (PostgreSQL drops triggers there). */
    static String fkDropped(String targets) {
        return onReferenced(DROP_FOREIGN_KEY, targets) + " (brief: " + (targets.contains(", ")
                ? "FOREIGN KEYs referencing them are dropped; " : "a FOREIGN KEY referencing it is dropped; ")
                + PgFacts.effect(DROP_FOREIGN_KEY.fact().referencedLock()) + ")";
    }

    /** The locks, or null for an operation type this does not know. */
    static List<String> of(OperationContext ctx) {
        String t = ctx.table();
        return switch (ctx.type()) {
            case "CreateModel" -> {
                List<String> refs = LockDescriptions.referencedTables(ctx);
                yield LockDescriptions.createsNoTable(ctx) || refs.isEmpty() ? List.of()
                        : List.of(on(CREATE_TABLE_WITH_FK, String.join(", ", refs)) + " (FKs of the new table, brief)");
            }
            case "DeleteModel" -> deleteModel(ctx);
            case "RenameModel" -> {
                ModelState m = ctx.targetModel();
                yield m != null && m.hasDbTable() ? List.of() : renameModel(ctx);
            }
            case "AlterModelTable" -> ctx.op().arg(1, "table") instanceof Value.Str s && s.value().equals(t) ? List.of()
                    : List.of(on(RENAME_TABLE, t) + " (brief: RENAME)");
            case "AlterModelTableComment" -> List.of(on(COMMENT_ON_TABLE, t) + " (brief: COMMENT ON TABLE)");
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
            case "RenameIndex" -> List.of(renameIndex(ctx));
            case "AddConstraint" -> List.of(switch (Ddl.constraintKind(ctx.op().arg(1, "constraint"))) {
                case CHECK -> on(ADD_CHECK, t) + " while the CHECK scans every row";
                case UNIQUE -> uniqueBuild(t);
                case UNIQUE_INDEX -> on(CREATE_UNIQUE_INDEX, t) + " while the unique index builds ("
                        + CREATE_UNIQUE_INDEX.fact().effect() + ")";
                case EXCLUSION -> on(ADD_EXCLUDE, t) + " while the exclusion constraint's index builds";
                default -> on(ADD_CHECK, t) + " (ADD CONSTRAINT)";
            });
            case "AddConstraintNotValid" -> List.of(on(ADD_CHECK_NOT_VALID, t) + " (brief: NOT VALID, no scan)");
            case "ValidateConstraint" -> List.of(on(VALIDATE_CONSTRAINT, t)
                    + " while VALIDATE CONSTRAINT scans (" + VALIDATE_CONSTRAINT.fact().effect() + ")");
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
            return f.has("through") ? List.of() : List.of(on(CREATE_TABLE_WITH_FK, t + ", "
                    + Ddl.tableOf(ctx.state(), f.target())) + " (FKs of the new join table, brief)");
        }
        if (!f.hasColumn()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        boolean fk = Boolean.TRUE.equals(FieldChange.foreignKey(f));
        // Django adds a ForeignKey's constraint with the column: with NULL in every existing row there
        // is nothing to validate; a default puts a value there, and every row is checked.
        boolean validated = fk && ForeignKeyValidation.fillsExistingRows(f);
        if (Boolean.TRUE.equals(Ddl.storedGenerated(f))
                || f.hasDbDefault() && Boolean.TRUE.equals(Ddl.volatileDefault(f.kw("db_default"), ctx))) {
            out.add(rewrite(ADD_COLUMN_VOLATILE_DEFAULT, t));
        } else if (validated) {
            out.add(on(ADD_COLUMN_FOREIGN_KEY_DEFAULT, t) + " while the new FOREIGN KEY is validated");
        } else {
            out.add(brief(fk ? ADD_COLUMN_FOREIGN_KEY : ADD_COLUMN, t));
        }
        if (Boolean.TRUE.equals(FieldChange.unique(f))) {
            out.add(uniqueBuild(t));
        }
        if (Boolean.TRUE.equals(FieldChange.plainIndex(f))) {
            out.add(indexBuild(t));
        }
        if (fk) {
            String target = Ddl.tableOf(ctx.state(), f.target());
            out.add(validated ? fkValidation(target)
                    : onReferenced(ADD_COLUMN_FOREIGN_KEY, target) + " (brief: the new FOREIGN KEY, nothing to validate)");
        }
        return out;
    }

    private static List<String> removeField(OperationContext ctx) {
        Field f = ctx.oldField();
        if (f != null && f.isManyToMany()) {
            if (f.has("through")) {
                return List.of();
            }
            // DROP TABLE of the join table drops its two FOREIGN KEYs: both referenced tables are locked too.
            Set<String> referenced = new LinkedHashSet<>(List.of(ctx.table()));
            String target = existingTable(ctx, f.target());
            if (target != null) {
                referenced.add(target);
            }
            return List.of(on(DROP_TABLE, LockDescriptions.joinTable(ctx, f)) + " (brief: DROP TABLE)",
                    fkDropped(String.join(", ", referenced)));
        }
        if (f != null && !f.hasColumn()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(brief(DROP_COLUMN, ctx.table())));
        if (f != null && Boolean.TRUE.equals(FieldChange.foreignKey(f))) {
            out.add(fkDropped(Ddl.tableOf(ctx.state(), f.target()))); // Django drops the constraint first
        }
        return out;
    }

    private static List<String> renameField(OperationContext ctx) {
        Field f = ctx.oldField();
        if (f == null) {
            return LockDescriptions.unknownField(ctx);
        }
        if (f.isManyToMany()) {
            return f.has("through") || f.has("db_table") ? List.of()
                    : List.of(on(RENAME_TABLE, LockDescriptions.joinTable(ctx, f)) + " (brief: RENAME)");
        }
        return !f.hasColumn() || f.has("db_column") ? List.of() : List.of(brief(RENAME_COLUMN, ctx.table()));
    }

    /**
     * DROP TABLE ... CASCADE of the model's table and (Django drops them first) its join tables:
     * every table one of them references through a FOREIGN KEY is locked too while the
     * constraint's triggers are dropped.
     */
    private static List<String> deleteModel(OperationContext ctx) {
        String t = ctx.table();
        ModelState m = ctx.targetModel();
        List<String> out = new ArrayList<>(List.of(on(DROP_TABLE, t) + " (brief: DROP TABLE)")); // the model's own first
        Set<String> referenced = new LinkedHashSet<>();
        if (m != null) {
            for (Field f : m.fields().values()) {
                if (f.isManyToMany() && !f.has("through")) {
                    out.add(on(DROP_TABLE, LockDescriptions.joinTable(ctx, f)) + " (brief: DROP TABLE)");
                    referenced.add(existingTable(ctx, f.target()));
                } else if (Boolean.TRUE.equals(FieldChange.foreignKey(f))) {
                    referenced.add(existingTable(ctx, f.target()));
                }
            }
        }
        referenced.remove(null);
        referenced.remove(t);
        if (!referenced.isEmpty()) {
            out.add(fkDropped(String.join(", ", referenced)));
        }
        return out;
    }

    /**
     * ALTER TABLE ... RENAME; then Django alters every field pointing at the model (its FOREIGN KEY
     * names the old table: Django drops it and adds it back, validating every row of the referencing
     * table) and renames its join tables' columns the same way.
     */
    private static List<String> renameModel(OperationContext ctx) {
        String t = ctx.table();
        List<String> out = new ArrayList<>(List.of(on(RENAME_TABLE, t) + " (brief: RENAME)"));
        String key = ctx.targetModel() == null ? null : ctx.targetModel().key();
        if (key == null) {
            return out;
        }
        Set<String> referencing = new LinkedHashSet<>();
        for (ModelState other : ctx.state().models().values()) {
            if (!other.hasTable() || ctx.createdInRange(other)) {
                continue;
            }
            for (Field f : other.fields().values()) {
                if (!key.equals(f.target()) && !(other.key().equals(key) && f.isManyToMany())) {
                    continue;
                }
                if (f.isManyToMany() && !f.has("through")) {
                    referencing.add(LockDescriptions.joinTable(other, f));
                } else if (Boolean.TRUE.equals(FieldChange.foreignKey(f))) {
                    referencing.add(other.table()); // a self-reference too: its constraint is re-created as well
                }
            }
        }
        if (!referencing.isEmpty()) {
            String tables = String.join(", ", referencing);
            out.add(on(DROP_FOREIGN_KEY, tables) + " while Django drops and re-adds the FOREIGN KEYs pointing at " + t
                    + " (every row validated again; " + DROP_FOREIGN_KEY.fact().effect() + ")");
        }
        return out;
    }

    private static String existingTable(OperationContext ctx, String modelKey) {
        ModelState target = modelKey == null ? null : ctx.state().model(modelKey);
        if (target != null && (ctx.createdInRange(target) || !target.hasTable())) {
            return null; // a table created in the analysed range is empty: locking it costs nothing
        }
        return Ddl.tableOf(ctx.state(), modelKey);
    }

    /** ALTER INDEX ... RENAME locks the index, not the table. */
    private static String renameIndex(OperationContext ctx) {
        String old = ctx.str(2, "old_name");
        String index = old == null ? "the index being renamed" : "the index " + old;
        return RENAME_INDEX.fact().lock() + " on " + index + " (brief: ALTER INDEX ... RENAME; " + ctx.table()
                + ": " + RENAME_INDEX.fact().effect() + ")";
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
        boolean fkDropped = Boolean.TRUE.equals(c.foreignKeyDropped());
        if (fkDropped) {
            // Django drops the constraint before it alters the column: ACCESS EXCLUSIVE on both tables
            // from here to the commit, also while a re-created constraint is validated.
            out.add(on(DROP_FOREIGN_KEY, t) + " (brief: DROP CONSTRAINT of the FOREIGN KEY)");
            out.add(fkDropped(c.oldTargetTable()));
        }
        switch (c.typeChange()) {
            case REWRITE -> out.add(rewrite(ALTER_COLUMN_TYPE_REWRITE, t));
            case UNKNOWN -> out.add(LockDescriptions.UNKNOWN + ": " + on(ALTER_COLUMN_TYPE_REWRITE, t)
                    + ", and a full table rewrite if the column type changes (type unknown)");
            case WIDENING -> {
                // varchar/text -> citext keeps the rows, but the column's indexes are built again (L206).
                if (c.typeAfter().caseInsensitiveFrom(c.typeBefore())
                        && (Boolean.TRUE.equals(c.after.unique()) || Boolean.TRUE.equals(c.after.indexed()))) {
                    out.add(on(ALTER_COLUMN_TYPE_INDEX_REBUILD, t) + " while the column's indexes are rebuilt for "
                            + "citext (the rows stay where they are; " + ALTER_COLUMN_TYPE_INDEX_REBUILD.fact().effect() + ")");
                }
            }
            default -> { }
        }
        if (Boolean.TRUE.equals(c.setNotNull())) {
            out.add(on(SET_NOT_NULL, t) + " while SET NOT NULL scans every row");
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
            out.add(fkAdded(t, c.targetTable(), fkDropped, Objects.equals(c.before.target(), c.after.target())));
        }
        return out;
    }

    /**
     * ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY from an AlterField: on its own, after Django
     * dropped the same constraint (both tables are still held ACCESS EXCLUSIVE), or after it dropped
     * the constraint to the old target (the column's table is).
     */
    private static String fkAdded(String t, String target, boolean dropped, boolean sameTarget) {
        PgFacts.Fact add = ADD_FOREIGN_KEY.fact();
        if (dropped && sameTarget) {
            return on(DROP_FOREIGN_KEY, t + " and " + target) + " (held since the drop) while the re-created FOREIGN "
                    + "KEY is validated (" + DROP_FOREIGN_KEY.fact().effect() + " on both)";
        }
        if (dropped) {
            return onReferenced(ADD_FOREIGN_KEY, target) + " while the new FOREIGN KEY from " + t + " is validated ("
                    + PgFacts.effect(add.referencedLock()) + " to " + target + "; " + t + " is held "
                    + DROP_FOREIGN_KEY.fact().lock() + " since the old one was dropped)";
        }
        String locks = add.lock().equals(add.referencedLock()) ? add.lock() + " on " + t + " and " + target
                : add.lock() + " on " + t + " and " + add.referencedLock() + " on " + target;
        return locks + " while the FOREIGN KEY is validated (" + add.effect() + " to both)";
    }
}
