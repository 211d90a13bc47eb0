package dev.migsafe.state;

import dev.migsafe.migration.FieldSpec;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.OperationArgs;
import dev.migsafe.python.eval.Value;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Applies migration operations to a {@link ProjectState} the way Django's state_forwards does.
 * Only state changes: database-only operations (RunSQL, RunPython, SeparateDatabaseAndState's
 * database_operations, extensions) change nothing. An operation that does not fit the state
 * (a field that is not there, a model created twice) is recorded as a {@link ReplayProblem} and
 * applied as far as it makes sense, so that one odd migration does not poison the rest.
 */
public final class Replayer {

    /** AlterModelOptions replaces exactly these keys (Django's ALTER_OPTION_KEYS). */
    private static final Set<String> ALTER_OPTION_KEYS = Set.of("base_manager_name", "default_manager_name",
            "default_related_name", "get_latest_by", "managed", "ordering", "permissions", "default_permissions",
            "select_on_save", "verbose_name", "verbose_name_plural");

    private final ProjectState state;

    public ProjectState state() {
        return state;
    }

    public Replayer(ProjectState state) {
        this.state = state;
    }

    /** Applies one top-level operation of {@code migration} (an app's migration at {@code path}). */
    public void apply(String app, MigrationKey migration, String path, Operation op) {
        if (op.type() == null) {
            return;
        }
        if (OperationArgs.unreadable(op) != null) {
            unreadOperations(app); // what it changed is unknown, like an operation the reader could not read (P003)
            return;
        }
        Ctx c = new Ctx(app, migration, path, op);
        switch (op.type()) {
            case "CreateModel" -> createModel(c, c.migration());
            case "DeleteModel" -> {
                ModelState gone = state.remove(ProjectState.key(app, c.str(0, "name")));
                if (gone != null && gone.hasTable()) {
                    state.tableGone(gone.table()); // DROP TABLE (a state-only DeleteModel keeps it again: stateOnly)
                }
                if (gone == null && !state.incomplete(app)) {
                    problem(c, "DeleteModel of " + c.str(0, "name") + ", which the state does not have");
                }
            }
            case "RenameModel" -> renameModel(c);
            case "AlterModelTable" -> setOption(c, "db_table", c.op.arg(1, "table"));
            case "AlterModelTableComment" -> setOption(c, "db_table_comment", c.op.arg(1, "table_comment"));
            case "AlterUniqueTogether" -> setOption(c, "unique_together", c.op.arg(1, "unique_together"));
            case "AlterIndexTogether" -> setOption(c, "index_together", c.op.arg(1, "index_together"));
            case "AlterOrderWithRespectTo" -> setOption(c, "order_with_respect_to", c.op.arg(1, "order_with_respect_to"));
            case "AlterModelOptions" -> alterOptions(c);
            case "AlterModelManagers" -> model(c, c.str(0, "name"));
            case "AddField" -> addField(c);
            case "RemoveField" -> removeField(c);
            case "AlterField" -> alterField(c);
            case "RenameField" -> renameField(c);
            case "AddIndex", "AddIndexConcurrently" -> {
                ModelState m = model(c, c.str(0, "model_name"));
                if (m != null && c.op.arg(1, "index") != null) {
                    m.indexes().add(c.op.arg(1, "index"));
                }
            }
            case "RemoveIndex", "RemoveIndexConcurrently" -> {
                ModelState m = model(c, c.str(0, "model_name"));
                if (m != null) {
                    m.indexes().removeIf(v -> c.str(1, "name") != null && c.str(1, "name").equals(nameOf(v)));
                }
            }
            case "RenameIndex" -> renameIndex(c);
            case "AddConstraint", "AddConstraintNotValid" -> {
                ModelState m = model(c, c.str(0, "model_name"));
                if (m != null && c.op.arg(1, "constraint") != null) {
                    m.constraints().add(c.op.arg(1, "constraint"));
                }
            }
            case "RemoveConstraint" -> {
                ModelState m = model(c, c.str(0, "model_name"));
                if (m != null) {
                    m.constraints().removeIf(v -> c.str(1, "name") != null && c.str(1, "name").equals(nameOf(v)));
                }
            }
            case "SeparateDatabaseAndState" -> stateOnly(c, op.databaseOperations());
            case "RunSQL" -> {
                if (op.stateOperations().isEmpty()) {
                    SqlReplay.apply(state, c.migration(), op); // the database changes, Django's state does not
                } else {
                    stateOnly(c, List.of(op));
                }
            }
            default -> { } // RunPython, RunSQL, extensions, ValidateConstraint, custom operations: no state change known
        }
    }

    /**
     * A migration whose operations list could not be read completely (P003): what its unread part
     * did to the app's models is unknown, so they all become incomplete.
     */
    public void unreadOperations(String app) {
        state.markIncomplete(app);
        for (ModelState m : state.models().values()) {
            if (m.app().equals(app)) {
                m.markIncomplete();
            }
        }
    }

    /**
     * An operation whose replay failed (a value the replay did not expect): reported as a replay
     * problem, and, as for an unread operation, the app's models become incomplete, because the
     * change may be half made.
     */
    public void failed(String app, String path, Operation op, String reason) {
        state.problem(new ReplayProblem(path, op.line(), op.column(),
                "could not replay " + (op.type() == null ? "this operation" : op.type()) + " (" + reason
                        + "); the state of its app may be incomplete from here on"));
        unreadOperations(app);
    }

    /** The name= of an Index/constraint call. */
    public static String nameOf(Value v) {
        return v instanceof Value.Call call && call.arg(-1, "name") instanceof Value.Str s ? s.value() : null;
    }

    private record Ctx(String app, MigrationKey migration, String path, Operation op) {
        String str(int pos, String kw) {
            return op.arg(pos, kw) instanceof Value.Str s ? s.value() : null;
        }
    }

    private void problem(Ctx c, String message) {
        state.problem(new ReplayProblem(c.path(), c.op().line(), c.op().column(), message));
    }

    /**
     * State operations whose database side is {@code database} (SeparateDatabaseAndState's
     * database_operations, or the RunSQL that carries them). A model they delete keeps its table,
     * and a model they create names a table that may well exist already: the deleted model's
     * table, renamed by the SQL, or any table the replay knows is still there. Such a model is
     * not new: it keeps the migration that created the table, so that its indexes and
     * constraints are judged like those of any shipped table.
     */
    private void stateOnly(Ctx outer, List<Operation> database) {
        renamedTables(outer.app(), database);
        List<MigrationKey> freed = new java.util.ArrayList<>();
        for (Operation s : outer.op().stateOperations()) {
            Ctx c = new Ctx(outer.app(), outer.migration(), outer.path(), s);
            if ("DeleteModel".equals(s.type())) {
                ModelState m = state.model(c.app(), c.str(0, "name"));
                apply(outer.app(), outer.migration(), outer.path(), s);
                if (m != null && m.hasTable()) {
                    state.tableKept(m.table(), m.createdBy());
                    state.tableUnmapped(m.table(), outer.migration());
                    freed.add(m.createdBy());
                }
                continue;
            }
            if ("CreateModel".equals(s.type()) && !createdByDatabase(c, database)) {
                String table = tableOf(c);
                if (table != null && state.tableExists(table)) {
                    MigrationKey creator = state.tableCreator(table);
                    state.tableGone(table); // no longer a kept table: the new model owns it
                    createModel(c, creator);
                    continue;
                }
                if (table != null && !freed.isEmpty() && !createsTable(database, table)) {
                    createModel(c, freed.remove(0)); // the deleted model's table, renamed by the database operations
                    continue;
                }
            }
            apply(outer.app(), outer.migration(), outer.path(), s);
        }
    }

    /** Whether the database operations create the model's table themselves (a CreateModel of the same name). */
    private static boolean createdByDatabase(Ctx c, List<Operation> database) {
        String name = c.str(0, "name");
        return name != null && database.stream().anyMatch(d -> "CreateModel".equals(d.type())
                && d.arg(0, "name") instanceof Value.Str n && n.value().equalsIgnoreCase(name));
    }

    private static final java.util.regex.Pattern RENAME_TABLE = java.util.regex.Pattern.compile(
            "alter\\s+table\\s+(?:if\\s+exists\\s+)?[\"`]?(\\w+)[\"`]?\\s+rename\\s+to\\s+[\"`]?(\\w+)[\"`]?",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * Tables the database operations of a state-only step move (AlterModelTable, or SQL's ALTER
     * TABLE ... RENAME TO): the new name is a table that exists, created where the old one was
     * (moving a model to another app: the other app's state-only CreateModel finds it).
     */
    private void renamedTables(String app, List<Operation> database) {
        for (Operation d : database) {
            if ("AlterModelTable".equals(d.type()) && d.arg(1, "table") instanceof Value.Str t) {
                ModelState m = state.model(app, d.arg(0, "name") instanceof Value.Str n ? n.value() : null);
                if (m != null && m.hasTable()) {
                    state.tableKept(t.value(), m.createdBy());
                }
            } else if ("RunSQL".equals(d.type())) {
                for (String sql : sqlOf(d.arg(0, "sql"))) {
                    java.util.regex.Matcher r = RENAME_TABLE.matcher(sql);
                    while (r.find()) {
                        if (state.tableExists(r.group(1))) {
                            state.tableKept(r.group(2), state.tableCreator(r.group(1)));
                        }
                    }
                }
            }
        }
    }

    /** Whether a RunSQL among the database operations says CREATE TABLE for {@code table}. */
    private static boolean createsTable(List<Operation> database, String table) {
        java.util.regex.Pattern create = java.util.regex.Pattern.compile("create\\s+(?:unlogged\\s+)?table\\s+"
                + "(?:if\\s+not\\s+exists\\s+)?[\"`\\[]?" + java.util.regex.Pattern.quote(table) + "\\b",
                java.util.regex.Pattern.CASE_INSENSITIVE);
        for (Operation d : database) {
            if ("RunSQL".equals(d.type()) && sqlOf(d.arg(0, "sql")).stream().anyMatch(q -> create.matcher(q).find())) {
                return true;
            }
        }
        return false;
    }

    /** The SQL strings of RunSQL's sql= (a string, or a list of strings or (sql, params) pairs). */
    static List<String> sqlOf(Value v) {
        if (v instanceof Value.Str s) {
            return List.of(s.value());
        }
        List<String> out = new java.util.ArrayList<>();
        for (Value item : items(v)) {
            out.addAll(sqlOf(item instanceof Value.TupleV t && !t.items().isEmpty() ? t.items().get(0) : item));
        }
        return out;
    }

    /** The table a CreateModel names: options' db_table, else Django's default; null when not literal. */
    private static String tableOf(Ctx c) {
        String name = c.str(0, "name");
        if (name == null) {
            return null;
        }
        if (c.op().arg(2, "options") instanceof Value.DictV d) {
            for (int i = 0; i < d.keys().size(); i++) {
                if (d.keys().get(i) instanceof Value.Str k && k.value().equals("db_table")) {
                    return d.values().get(i) instanceof Value.Str t ? t.value() : null;
                }
            }
        }
        return (c.app() + "_" + name).toLowerCase(Locale.ROOT);
    }

    /**
     * @param createdBy the migration that created the model's table: this one for a real
     *                  CreateModel, an earlier one when the model takes over an existing table
     */
    private void createModel(Ctx c, MigrationKey createdBy) {
        String name = c.str(0, "name");
        if (name == null) {
            unreadOperations(c.app());
            return;
        }
        // Django replaces an existing model state silently (netbox swaps an unmanaged placeholder
        // for a real model this way), so this is not a replay problem.
        ModelState m = new ModelState(c.app(), name, createdBy);
        for (FieldSpec spec : c.op().fields()) {
            if (spec.name() == null) {
                m.markIncomplete();
            } else {
                m.fields().put(spec.name().toLowerCase(Locale.ROOT), field(c.app(), name, spec.name(), spec));
            }
        }
        Value fields = c.op().arg(1, "fields");
        int written = fields instanceof Value.ListV l ? l.items().size() : fields instanceof Value.TupleV t ? t.items().size() : -1;
        if (written != c.op().fields().size()) {
            m.markIncomplete();
        }
        if (c.op().arg(2, "options") instanceof Value.DictV d) {
            for (int i = 0; i < d.keys().size(); i++) {
                if (d.keys().get(i) instanceof Value.Str k) {
                    Value v = d.values().get(i);
                    switch (k.value()) {
                        case "indexes" -> m.indexes().addAll(items(v));
                        case "constraints" -> m.constraints().addAll(items(v));
                        default -> m.options().put(k.value(), v);
                    }
                } else {
                    m.markIncomplete();
                }
            }
        } else if (c.op().arg(2, "options") != null) {
            m.markIncomplete();
        }
        if (c.op().arg(3, "bases") != null) {
            m.bases().addAll(items(c.op().arg(3, "bases")));
        }
        state.put(m);
    }

    private static List<Value> items(Value v) {
        return v instanceof Value.ListV l ? l.items() : v instanceof Value.TupleV t ? t.items() : List.of();
    }

    private Field field(String app, String model, String name, FieldSpec spec) {
        Value to = spec.kwargs().get("to");
        if (to == null && !spec.args().isEmpty() && state.field(name, spec, null).isRelation()) {
            to = spec.args().get(0);
        }
        return state.field(name, spec, to == null ? null : state.resolve(to, app, model));
    }

    private void renameModel(Ctx c) {
        String oldName = c.str(0, "old_name");
        String newName = c.str(1, "new_name");
        ModelState m = oldName == null ? null : state.remove(ProjectState.key(c.app(), oldName));
        if (m == null || newName == null) {
            if (!state.incomplete(c.app())) {
                problem(c, "RenameModel of " + oldName + ", which the state does not have");
            }
            return;
        }
        String oldKey = m.key();
        m.rename(newName);
        state.put(m);
        String newKey = m.key();
        for (ModelState other : state.models().values()) {
            other.fields().replaceAll((k, f) -> oldKey.equals(f.target()) ? f.withTarget(newKey) : f);
        }
    }

    private void setOption(Ctx c, String option, Value value) {
        ModelState m = model(c, c.str(0, "name"));
        if (m == null) {
            return;
        }
        if (value == null || value instanceof Value.None) {
            m.options().remove(option);
        } else {
            m.options().put(option, value);
        }
    }

    private void alterOptions(Ctx c) {
        ModelState m = model(c, c.str(0, "name"));
        if (m == null) {
            return;
        }
        if (!(c.op().arg(1, "options") instanceof Value.DictV d)) {
            m.markIncomplete();
            return;
        }
        Map<String, Value> options = m.options();
        options.keySet().removeIf(ALTER_OPTION_KEYS::contains);
        for (int i = 0; i < d.keys().size(); i++) {
            if (d.keys().get(i) instanceof Value.Str k) {
                options.put(k.value(), d.values().get(i));
            }
        }
    }

    /** The model an operation names; a placeholder (incomplete) one, and a problem, when the state lacks it. */
    private ModelState model(Ctx c, String name) {
        if (name == null) {
            unreadOperations(c.app());
            return null;
        }
        ModelState m = state.model(c.app(), name);
        if (m == null && !state.incomplete(c.app())) {
            problem(c, c.op().type() + " on " + c.app() + "." + name + ", which the state does not have");
        }
        if (m == null) {
            m = new ModelState(c.app(), name, null);
            m.markIncomplete();
            state.put(m);
        }
        return m;
    }

    private void addField(Ctx c) {
        ModelState m = model(c, c.str(0, "model_name"));
        String name = c.str(1, "name");
        if (m == null || name == null || c.op().field() == null) {
            if (m != null) {
                m.markIncomplete();
            }
            return;
        }
        // An existing field is replaced silently, as Django's state does.
        m.fields().put(name.toLowerCase(Locale.ROOT), field(c.app(), m.name(), name, c.op().field()));
        m.fieldAdded(name, c.migration());
    }

    private void removeField(Ctx c) {
        ModelState m = model(c, c.str(0, "model_name"));
        String name = c.str(1, "name");
        if (m == null || name == null) {
            return;
        }
        m.fieldRemoved(name);
        if (m.fields().remove(name.toLowerCase(Locale.ROOT)) == null && m.complete()) {
            problem(c, "RemoveField of " + m.label() + "." + name + ", which the state does not have");
        }
    }

    private void alterField(Ctx c) {
        ModelState m = model(c, c.str(0, "model_name"));
        String name = c.str(1, "name");
        if (m == null || name == null) {
            return;
        }
        if (c.op().field() == null) {
            m.fields().remove(name.toLowerCase(Locale.ROOT));
            m.fieldRemoved(name);
            m.markIncomplete();
            return;
        }
        // Django's state adds a missing field here without complaint; rules then see no old field (unknown).
        m.fields().put(name.toLowerCase(Locale.ROOT), field(c.app(), m.name(), name, c.op().field()));
    }

    private void renameField(Ctx c) {
        ModelState m = model(c, c.str(0, "model_name"));
        String oldName = c.str(1, "old_name");
        String newName = c.str(2, "new_name");
        if (m == null || oldName == null || newName == null) {
            return;
        }
        Field f = m.field(oldName);
        if (f == null) {
            if (m.complete()) {
                problem(c, "RenameField of " + m.label() + "." + oldName + ", which the state does not have");
            }
            return;
        }
        m.fieldRenamed(oldName, newName);
        // Keep the field's position: rebuild the map in order.
        Map<String, Field> copy = new java.util.LinkedHashMap<>(m.fields());
        m.fields().clear();
        copy.forEach((k, v) -> {
            if (k.equals(oldName.toLowerCase(Locale.ROOT))) {
                m.fields().put(newName.toLowerCase(Locale.ROOT), v.withName(newName));
            } else {
                m.fields().put(k, v);
            }
        });
        // As Django's state does: the together sets follow the field (constraints and indexes do not).
        for (String option : List.of("unique_together", "index_together")) {
            Value sets = m.options().get(option);
            if (sets != null) {
                m.options().put(option, renamedIn(sets, oldName, newName));
            }
        }
    }

    /** A together value with every name equal to {@code oldName} replaced (lists, tuples and sets of names). */
    private static Value renamedIn(Value v, String oldName, String newName) {
        if (v instanceof Value.Str s) {
            return s.value().equals(oldName) ? new Value.Str(newName, s.bytes(), s.line(), s.column()) : s;
        }
        if (v instanceof Value.ListV l) {
            return new Value.ListV(l.items().stream().map(i -> renamedIn(i, oldName, newName)).toList(), l.line(), l.column());
        }
        if (v instanceof Value.TupleV t) {
            return new Value.TupleV(t.items().stream().map(i -> renamedIn(i, oldName, newName)).toList(), t.line(), t.column());
        }
        if (v instanceof Value.SetV st) {
            return new Value.SetV(st.items().stream().map(i -> renamedIn(i, oldName, newName)).toList(), st.line(), st.column());
        }
        return v;
    }

    private void renameIndex(Ctx c) {
        ModelState m = model(c, c.str(0, "model_name"));
        String newName = c.str(1, "new_name");
        String oldName = c.str(2, "old_name");
        if (m == null || newName == null) {
            return;
        }
        if (oldName != null) {
            m.indexes().replaceAll(v -> oldName.equals(nameOf(v)) && v instanceof Value.Call call
                    ? renamed(call, newName) : v);
        } else {
            m.options().remove("index_together");
        }
    }

    private static Value renamed(Value.Call call, String newName) {
        Map<String, Value> kwargs = new java.util.LinkedHashMap<>(call.kwargs());
        kwargs.put("name", new Value.Str(newName, false, call.line(), call.column()));
        return new Value.Call(call.callee(), call.calleeSource(), call.args(), kwargs, call.line(), call.column());
    }
}
