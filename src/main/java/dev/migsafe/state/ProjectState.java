package dev.migsafe.state;

import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The project's models after some prefix of the migration plan, keyed like Django's state
 * ("app.model", lowercase). Apps outside the repository have no models here: anything about them
 * is unknown, and {@link #isExternal} tells callers so that rules can say "review" instead of
 * guessing.
 */
public final class ProjectState {

    private final Map<String, ModelState> models = new LinkedHashMap<>();
    private final Set<String> repoApps;
    private final Map<String, String> swappable;
    private final List<ReplayProblem> problems = new ArrayList<>();
    private final Set<String> incompleteApps = new java.util.HashSet<>();
    private final dev.migsafe.migration.FieldClasses fieldClasses;
    /** Tables that state-only DeleteModels left in the database -> the migration that created each. */
    private final Map<String, dev.migsafe.migration.MigrationKey> keptTables = new java.util.HashMap<>();
    private final DatabaseOnly databaseOnly = new DatabaseOnly(this);

    /** Columns the database has, or lacks, unlike Django's state (raw SQL without state operations). */
    public DatabaseOnly databaseOnly() {
        return databaseOnly;
    }

    /**
     * @param repoApps the app labels whose migrations are in the repository
     * @param swappable setting name -> "app.Model" (AUTH_USER_MODEL -> auth.User)
     */
    public ProjectState(Set<String> repoApps, Map<String, String> swappable) {
        this(repoApps, swappable, dev.migsafe.migration.FieldClasses.NONE);
    }

    /** @param fieldClasses the Django field classes the project's own field classes derive from */
    public ProjectState(Set<String> repoApps, Map<String, String> swappable, dev.migsafe.migration.FieldClasses fieldClasses) {
        this.repoApps = Set.copyOf(repoApps);
        this.swappable = Map.copyOf(swappable);
        this.fieldClasses = fieldClasses;
    }

    /** A field as the state holds it: with the Django class its class derives from, when it is not Django's own. */
    public Field field(String name, dev.migsafe.migration.FieldSpec spec, String target) {
        return new Field(name, spec, target, fieldClasses.djangoBase(spec.fieldClass()));
    }

    public static String key(String app, String model) {
        return (app + "." + model).toLowerCase(Locale.ROOT);
    }

    public ModelState model(String app, String name) {
        return name == null ? null : models.get(key(app, name));
    }

    public ModelState model(String key) {
        return key == null ? null : models.get(key);
    }

    public Map<String, ModelState> models() {
        return Collections.unmodifiableMap(models);
    }

    void put(ModelState m) {
        models.put(m.key(), m);
    }

    ModelState remove(String key) {
        return models.remove(key);
    }

    public boolean isExternal(String app) {
        return !repoApps.contains(app);
    }

    /** A model key's app ("shop.order" -> shop). */
    public static String appOf(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    /**
     * The state key a relation's {@code to} names: "app.Model", "Model" (the current app),
     * "self", or a swappable setting such as settings.AUTH_USER_MODEL. Null when not static.
     */
    public String resolve(Value to, String app, String selfModel) {
        if (to instanceof Value.Str s) {
            String v = s.value();
            if (v.equals("self")) {
                return selfModel == null ? null : key(app, selfModel);
            }
            int dot = v.lastIndexOf('.');
            return dot < 0 ? key(app, v) : key(v.substring(0, dot), v.substring(dot + 1));
        }
        if (to instanceof Value.Ref r) {
            String src = r.qualified() != null ? r.qualified() : r.source();
            int dot = src.lastIndexOf('.');
            String setting = src.substring(dot + 1);
            String target = swappable.get(setting);
            if (target != null && (src.contains("settings.") || src.equals(setting))) {
                int d = target.lastIndexOf('.');
                return d < 0 ? null : key(target.substring(0, d), target.substring(d + 1));
            }
        }
        return null;
    }

    /** Fields of other models (and self-references) whose relation targets this model. */
    public List<String> referrers(String modelKey) {
        List<String> out = new ArrayList<>();
        for (ModelState m : models.values()) {
            for (Field f : m.fields().values()) {
                if (modelKey.equals(f.target())) {
                    out.add(m.label() + "." + f.name());
                }
            }
        }
        return out;
    }

    /** A state-only DeleteModel leaves its table in the database. */
    void tableKept(String table, dev.migsafe.migration.MigrationKey createdBy) {
        keptTables.put(table.toLowerCase(Locale.ROOT), createdBy);
    }

    /** Tables no model maps any more -> the migration whose state-only DeleteModel let go of them. */
    private final Map<String, dev.migsafe.migration.MigrationKey> unmappedBy = new java.util.HashMap<>();

    /** A state-only DeleteModel of {@code by} keeps the table in the database with no model mapping it. */
    void tableUnmapped(String table, dev.migsafe.migration.MigrationKey by) {
        unmappedBy.put(table.toLowerCase(Locale.ROOT), by);
    }

    /**
     * The migration whose state-only DeleteModel left this table without a model (code from then
     * on does not use it), or null when no such migration is known.
     */
    public dev.migsafe.migration.MigrationKey tableUnmappedBy(String table) {
        return keptTables.containsKey(table.toLowerCase(Locale.ROOT)) ? unmappedBy.get(table.toLowerCase(Locale.ROOT)) : null;
    }

    /** A kept table was dropped, or a model took it over (then the model stands for it). */
    void tableGone(String table) {
        keptTables.remove(table.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether the database has this table as far as the replay knows: a model's, the join table
     * Django creates for a many-to-many field without a through model, or one a state-only
     * DeleteModel kept.
     */
    public boolean tableExists(String table) {
        return keptTables.containsKey(table.toLowerCase(Locale.ROOT)) || tableOwner(table) != null
                || joinTableCreator(table) != null;
    }

    /** The migration that created an existing table (null when that is unknown). */
    public dev.migsafe.migration.MigrationKey tableCreator(String table) {
        ModelState owner = tableOwner(table);
        if (owner != null) {
            return owner.createdBy();
        }
        dev.migsafe.migration.MigrationKey join = joinTableCreator(table);
        return join != null ? join : keptTables.get(table.toLowerCase(Locale.ROOT));
    }

    /** The migration that created the many-to-many field whose auto-created join table this is, or null. */
    private dev.migsafe.migration.MigrationKey joinTableCreator(String table) {
        for (ModelState m : models.values()) {
            if (!m.hasTable()) {
                continue;
            }
            for (Field f : m.fields().values()) {
                if (f.isManyToMany() && !f.has("through")) {
                    String join = f.string("db_table") != null ? f.string("db_table") : m.table() + "_" + f.nameLower();
                    if (join.equalsIgnoreCase(table)) {
                        return m.columnCreatedBy(f.name());
                    }
                }
            }
        }
        return null;
    }

    /** The model whose table this is (managed, not a proxy), or null. */
    public ModelState tableOwnerOf(String table) {
        return tableOwner(table);
    }

    private ModelState tableOwner(String table) {
        for (ModelState m : models.values()) {
            if (m.hasTable() && m.table().equalsIgnoreCase(table)) {
                return m;
            }
        }
        return null;
    }

    /** The app had a migration whose operations could not all be read: its state is partly unknown. */
    void markIncomplete(String app) {
        incompleteApps.add(app);
    }

    public boolean incomplete(String app) {
        return incompleteApps.contains(app);
    }

    void problem(ReplayProblem p) {
        problems.add(p);
    }

    /** Operations the replay could not apply as written, in plan order. */
    public List<ReplayProblem> problems() {
        return Collections.unmodifiableList(problems);
    }
}
