package dev.migsafe.state;

import dev.migsafe.migration.MigrationKey;
import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model as the replayed migrations define it: fields in order, options (db_table, managed,
 * proxy, unique_together, index_together, order_with_respect_to, ...), indexes, constraints and
 * bases, plus where it was created. {@code complete} is false when some of its definition could
 * not be read (dynamic fields, or operations on it the replay could not apply): a missing field
 * is then unknown rather than absent.
 */
public final class ModelState {

    private final String app;
    private String name;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final Map<String, Value> options = new LinkedHashMap<>();
    private final List<Value> bases = new ArrayList<>();
    private final List<Value> indexes = new ArrayList<>();
    private final List<Value> constraints = new ArrayList<>();
    private final MigrationKey createdBy;
    /** Fields added after the table was created (lowercase name -> the migration whose AddField created the column). */
    private final Map<String, MigrationKey> addedBy = new java.util.HashMap<>();
    private boolean complete = true;

    public ModelState(String app, String name, MigrationKey createdBy) {
        this.app = app;
        this.name = name;
        this.createdBy = createdBy;
    }

    public ModelState copy() {
        ModelState m = new ModelState(app, name, createdBy);
        m.fields.putAll(fields);
        m.addedBy.putAll(addedBy);
        m.options.putAll(options);
        m.bases.addAll(bases);
        m.indexes.addAll(indexes);
        m.constraints.addAll(constraints);
        m.complete = complete;
        return m;
    }

    public String app() {
        return app;
    }

    /** The model's name as the migrations spell it (Order). */
    public String name() {
        return name;
    }

    void rename(String newName) {
        this.name = newName;
    }

    /** The state key: "app.model", lowercase. */
    public String key() {
        return ProjectState.key(app, name);
    }

    /** "app.Model" for messages. */
    public String label() {
        return app + "." + name;
    }

    public MigrationKey createdBy() {
        return createdBy;
    }

    /**
     * The migration that created the column of a field: its AddField, followed through
     * RenameField (a renamed column is still the one that AddField created), else the migration
     * that created the table. Null when neither is known.
     */
    public MigrationKey columnCreatedBy(String fieldName) {
        MigrationKey added = fieldName == null ? null : addedBy.get(fieldName.toLowerCase(Locale.ROOT));
        return added != null ? added : createdBy;
    }

    void fieldAdded(String fieldName, MigrationKey migration) {
        if (migration == null) {
            addedBy.remove(fieldName.toLowerCase(Locale.ROOT));
        } else {
            addedBy.put(fieldName.toLowerCase(Locale.ROOT), migration);
        }
    }

    void fieldRemoved(String fieldName) {
        addedBy.remove(fieldName.toLowerCase(Locale.ROOT));
    }

    void fieldRenamed(String oldName, String newName) {
        MigrationKey added = addedBy.remove(oldName.toLowerCase(Locale.ROOT));
        if (added != null) {
            addedBy.put(newName.toLowerCase(Locale.ROOT), added);
        }
    }

    public boolean complete() {
        return complete;
    }

    void markIncomplete() {
        complete = false;
    }

    public Map<String, Field> fields() {
        return fields;
    }

    public Field field(String fieldName) {
        return fieldName == null ? null : fields.get(fieldName.toLowerCase(Locale.ROOT));
    }

    public Map<String, Value> options() {
        return options;
    }

    public List<Value> bases() {
        return bases;
    }

    public List<Value> indexes() {
        return indexes;
    }

    public List<Value> constraints() {
        return constraints;
    }

    /** The table: db_table, else Django's default app_model. */
    public String table() {
        Value v = options.get("db_table");
        if (v instanceof Value.Str s) {
            return s.value();
        }
        return (app + "_" + name).toLowerCase(Locale.ROOT);
    }

    /** Whether db_table is set (to anything). */
    public boolean hasDbTable() {
        return options.containsKey("db_table");
    }

    /** managed=False models have no DDL; proxies share their concrete parent's table. */
    public boolean managed() {
        return !(options.get("managed") instanceof Value.Bool b && !b.value());
    }

    public boolean proxy() {
        return options.get("proxy") instanceof Value.Bool b && b.value();
    }

    /** True when migrations run DDL for this model: managed and not a proxy. */
    public boolean hasTable() {
        return managed() && !proxy();
    }

    /** The primary key field, or null when not declared (or unknown). */
    public Field primaryKey() {
        for (Field f : fields.values()) {
            if (f.primaryKey()) {
                return f;
            }
        }
        return null;
    }
}
