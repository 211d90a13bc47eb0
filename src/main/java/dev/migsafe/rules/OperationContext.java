package dev.migsafe.rules;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Evidence;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import dev.migsafe.state.Database;
import dev.migsafe.state.Field;
import dev.migsafe.state.FieldTypes;
import dev.migsafe.state.ColumnType;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.ProjectState;
import java.util.List;

/**
 * What an operation rule sees: the operation, its migration, and the replayed state before it.
 * Nested operations (SeparateDatabaseAndState's database_operations) carry the index of the
 * top-level operation that holds them.
 */
public final class OperationContext {

    private final MigrationContext migration;
    private final Operation op;
    private final int index;
    private final boolean nested;
    private final ProjectState state;
    /** Set when the operation stands for a SQL statement (see {@link SqlOrigin}); null for Django's own. */
    private final SqlOrigin origin;

    OperationContext(MigrationContext migration, Operation op, int index, boolean nested, ProjectState state) {
        this(migration, op, index, nested, state, null);
    }

    OperationContext(MigrationContext migration, Operation op, int index, boolean nested, ProjectState state,
                     SqlOrigin origin) {
        this.migration = migration;
        this.op = op;
        this.index = index;
        this.nested = nested;
        this.state = state;
        this.origin = origin;
    }

    /** The SQL statement this operation stands for, or null for an operation the migration wrote. */
    public SqlOrigin sqlOrigin() {
        return origin;
    }

    public MigrationContext migration() {
        return migration;
    }

    public Operation op() {
        return op;
    }

    public String type() {
        return op.type();
    }

    /** The index of the top-level operation (this one, or the one holding it). */
    public int index() {
        return index;
    }

    /** True inside SeparateDatabaseAndState's database_operations. */
    public boolean nested() {
        return nested;
    }

    /** The app whose models the operation names: the migration's, or the app of the table a SQL statement changes. */
    public String app() {
        return origin != null ? origin.app() : migration.app();
    }

    public ProjectState state() {
        return state;
    }

    public Settings settings() {
        return migration.settings();
    }

    public Database database() {
        return migration.settings().database();
    }

    /** A literal str argument, or null. */
    public String str(int position, String keyword) {
        return op.arg(position, keyword) instanceof Value.Str s ? s.value() : null;
    }

    /** The model the operation names (model_name=, or name= for model operations), from the state before it; null when unknown. */
    public ModelState targetModel() {
        String name = modelName();
        return name == null ? null : state.model(app(), name);
    }

    /** The target model as it was when this migration started (see {@link MigrationContext#modelAtStart}), or null. */
    public ModelState targetModelAtStart() {
        ModelState m = targetModel();
        return m == null ? null : migration.modelAtStart(m.key());
    }

    /** The model name as the operation writes it (model_name or name), or null. */
    public String modelName() {
        String type = op.type();
        if (type != null && !type.endsWith("Together") && (type.endsWith("Field") || type.contains("Index")
                || type.contains("Constraint"))) {
            return str(0, "model_name"); // AlterIndexTogether/AlterUniqueTogether name their model name=
        }
        return op.type() != null && op.type().equals("RenameModel") ? str(0, "old_name") : str(0, "name");
    }

    /** "app.Model" as the user would write it, from the state when known. */
    public String modelLabel() {
        ModelState m = targetModel();
        return m != null ? m.label() : app() + "." + modelName();
    }

    /** The table of the target model, or Django's default name when the model is unknown. */
    public String table() {
        ModelState m = targetModel();
        return m != null ? m.table() : (app() + "_" + modelName()).toLowerCase(java.util.Locale.ROOT);
    }

    /** The field's state before the operation (field operations: the name= argument), or null. */
    public Field oldField() {
        ModelState m = targetModel();
        String name = op.type() != null && op.type().equals("RenameField") ? str(1, "old_name") : str(1, "name");
        return m == null ? null : m.field(name);
    }

    /** The field as AddField/AlterField writes it, resolved against the state, or null. */
    public Field newField() {
        if (op.field() == null) {
            return null;
        }
        String name = str(1, "name");
        Value to = op.field().kwargs().get("to");
        if (to == null && !op.field().args().isEmpty()) {
            Field probe = state.field(name, op.field(), null);
            if (probe.isRelation()) {
                to = op.field().args().get(0);
            }
        }
        return state.field(name, op.field(), to == null ? null : state.resolve(to, app(), modelName()));
    }

    /** The top-level operations of this migration after this one, in order. */
    public java.util.List<Operation> later() {
        java.util.List<Operation> ops = migration.operations();
        return index + 1 >= ops.size() ? java.util.List.of() : ops.subList(index + 1, ops.size());
    }

    /**
     * The later top-level operations that may concern {@code field} of the target model (with
     * null, the model as a whole): its operations on that field, its model-level operations, and
     * those whose effect migsafe cannot tell (RunPython, RunSQL, ...). Rules that look for one
     * kind of later step use this: it reads a handful of operations, not the whole migration.
     */
    public java.util.List<Operation> laterFor(String field) {
        return migration.index().concerning(modelName(), field, index + 1, migration.operations().size());
    }

    /** {@link #laterFor}'s counterpart: the earlier top-level operations that may concern the field. */
    public java.util.List<Operation> earlierFor(String field) {
        return migration.index().concerning(modelName(), field, 0, Math.min(index, migration.operations().size()));
    }

    /** The top-level operations of this migration before this one, in order. */
    public java.util.List<Operation> earlier() {
        return migration.operations().subList(0, Math.min(index, migration.operations().size()));
    }

    /**
     * Whether a later operation of this migration deletes the target model: its fields and
     * constraints then go with the table, and DeleteModel's findings (C107, R304) say what matters.
     */
    public boolean modelDeletedLater() {
        String name = modelName();
        return name != null && migration.index().lastOf("DeleteModel", name) > index;
    }

    /**
     * Whether a later operation of this atomic migration drops the target's table (DeleteModel) or
     * renames it away (RenameModel): on PostgreSQL and SQLite old code only sees the schema after
     * the transaction, where the table is gone and C107/C108 speak for it. MySQL commits each DDL
     * statement, so there the table is briefly visible as it is now.
     */
    public boolean tableGoneLater() {
        String name = modelName();
        if (name == null || !migration.atomic() || database() == Database.MYSQL) {
            return false;
        }
        return migration.index().lastOf("DeleteModel", name) > index || migration.index().lastOf("RenameModel", name) > index;
    }

    /** Whether a later operation of this migration removes this field of the target model. */
    public boolean fieldRemovedLater(String field) {
        String name = modelName();
        return name != null && field != null && laterFor(field).stream().anyMatch(o -> "RemoveField".equals(o.type())
                && o.arg(0, "model_name") instanceof Value.Str m && m.value().equalsIgnoreCase(name)
                && o.arg(1, "name") instanceof Value.Str f && f.value().equalsIgnoreCase(field));
    }

    /** The column type of a field on the configured database, or null when unknown. */
    public ColumnType columnType(Field f) {
        return f == null ? null : FieldTypes.of(f, database(), this::primaryKeyOf);
    }

    private Field primaryKeyOf(String modelKey) {
        ModelState m = state.model(modelKey);
        return m == null ? null : m.primaryKey();
    }

    /**
     * The models whose ids the model {@code key}'s ids are (its parents in multi-table
     * inheritance, or the target of a one-to-one primary key), nearest first.
     */
    public java.util.List<String> keyAncestors(String key) {
        return FieldTypes.keyAncestors(key, this::primaryKeyOf);
    }

    /**
     * Whether the column of the target model's field {@code fieldName} is new to old code: its
     * table is new, or an AddField of this migration or of the analysed range created it (a
     * column added in the range and renamed since is still that column). Rules that speak of
     * old code reading or writing a column leave such a column alone. On a table the range
     * re-created under a name old code knows, a column old code knows by name is not new.
     */
    public boolean isNewColumn(String fieldName) {
        ModelState m = targetModel();
        if (m == null || fieldName == null) {
            return false;
        }
        if (isNewTable(m)) {
            return true;
        }
        if (!migration.isNew(m.columnCreatedBy(fieldName))) {
            return false;
        }
        OldCode.Table old = createdInRange(m) ? oldTable(m.table()) : null;
        Field f = m.field(fieldName);
        return old == null || f == null || !f.hasColumn() || old.column(f.column()) == null;
    }

    /**
     * The column old code knows on the target model's table under {@code column}, when the
     * analysed range has dropped or renamed it away before this operation (the state before it
     * has no such column); null otherwise. An operation that brings the name back gives old code
     * a column that may hold another type.
     */
    public OldCode.Column droppedOldColumn(String column) {
        ModelState m = targetModel();
        if (m == null || column == null) {
            return null;
        }
        OldCode.Column old = migration.oldCode().column(m.key(), column);
        if (old == null) {
            return null; // the common case, answered without walking the model's fields
        }
        for (Field f : m.fields().values()) {
            if (f.hasColumn() && f.column().equalsIgnoreCase(column)) {
                return null; // still there: not a name the range freed
            }
        }
        return old;
    }

    /**
     * Whether the model's table is new to old code: created in this migration or in the analysed
     * range, under a name old code does not know. A table the range created under the name of a
     * table it dropped or renamed away (DeleteModel then CreateModel of the same model) is not:
     * old code still queries that name with the columns it knew.
     */
    public boolean isNewTable(ModelState m) {
        return createdInRange(m) && oldTable(m.table()) == null;
    }

    /**
     * Whether the model's table was created in this migration or in the analysed range, whatever
     * its name: empty when the migration runs, so no lock on it lasts.
     */
    public boolean createdInRange(ModelState m) {
        return m != null && migration.isNew(m.createdBy());
    }

    /** The table old code knows under this name, when the analysed range touched it before; null otherwise. */
    public OldCode.Table oldTable(String table) {
        return migration.oldCode().table(table);
    }

    /**
     * Why the general exemptions leave this operation alone, as "on TABLE, a table this migration
     * creates" says it in the operation's reason; null when they do not.
     */
    public String exemption() {
        ModelState m = targetModel();
        if (m == null || "CreateModel".equals(op.type())) {
            return null;
        }
        if (!m.hasTable()) {
            return "on " + m.label() + ", a model without a table of its own (managed=False or proxy): no DDL";
        }
        if (isNewTable(m)) {
            return "on " + m.table() + ", a table " + by(m.createdBy()) + " creates";
        }
        String type = op.type();
        if (type != null && type.endsWith("Field") && !type.equals("AddField")) {
            String name = type.equals("RenameField") ? str(1, "old_name") : str(1, "name");
            Field f = m.field(name);
            if (f != null && f.hasColumn() && isNewColumn(name)) {
                return "on " + m.table() + "." + f.column() + ", a column " + by(m.columnCreatedBy(name)) + " adds";
            }
        }
        return null;
    }

    private String by(MigrationKey key) {
        return key.equals(migration.key()) ? "this migration" : key.name() + " of the analysed range";
    }

    /** The general exemptions of RULES.md: a new table, or a model without DDL (unmanaged, proxy). */
    public boolean exempt(ModelState m) {
        return m != null && (isNewTable(m) || !m.hasTable());
    }

    public void report(Rule rule, String message, String fix) {
        report(rule, rule.info().deployClass(), op.line(), op.column(), message, fix);
    }

    /**
     * Why a top-level operation is compatible, for its reason when no finding gives it a class:
     * a rule that looked and found old code unaffected says so (the first one to say it wins).
     */
    public void explain(String reason) {
        if (!nested) {
            migration.explain(index, reason);
        }
    }

    /**
     * A finding that states, for this operation's column, a fact of {@code kind} that other
     * operations of the migration may state for theirs: merged with them into one finding that
     * names every {@code item} (the rule implements {@link GroupsFindings}).
     */
    public void reportGrouped(Rule rule, String kind, String item, String repair, String message, String fix) {
        report(rule, message, fix);
        migration.members().put(Grouping.key(rule.id(), index, message), new Grouping.Member(kind, item, repair));
    }

    /** A finding whose class is review because the state the rule needs is unknown. */
    public void reportUnknown(Rule rule, String message, String fix) {
        if (!migration.firstUnknown(op)) {
            return; // one "state unknown" finding per operation is enough: the first rule's says why
        }
        migration.countUnknown();
        report(rule, DeployClass.REVIEW, op.line(), op.column(), message, fix);
    }

    public void report(Rule rule, DeployClass cls, int line, int column, String message, String fix) {
        report(rule, cls, message, fix, line, column, List.of());
    }

    /** A finding with the places of the deployed code that bear on it (see {@link OldCodeUses}). */
    public void report(Rule rule, DeployClass cls, String message, String fix, List<Evidence> evidence) {
        report(rule, cls, message, fix, op.line(), op.column(), evidence);
    }

    private void report(Rule rule, DeployClass cls, String message, String fix, int line, int column,
                        List<Evidence> evidence) {
        if (origin != null) {
            message = origin.message(message);
            fix = origin.fix(rule.id(), fix);
        }
        migration.add(new Finding(rule.id(), MigrationContext.severityOf(rule, cls), migration.path(), line, column,
                migration.app(), migration.name(), message, fix, cls, index, null, evidence));
    }
}
