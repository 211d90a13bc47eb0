package dev.migsafe.rules.compat;

import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.ProjectState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the table rules need to know about the relations around a model: which fields of other
 * models point at it, and which many-to-many tables Django names after it.
 */
final class Relations {

    private Relations() {}

    /** A relation field and the model that declares it. */
    record Referrer(ModelState model, Field field) {

        String label() {
            return model.label() + "." + field.name();
        }
    }

    /** Fields of other models (self-references left out) whose relation targets the model {@code key}. */
    static List<Referrer> referrers(ProjectState state, String key) {
        List<Referrer> out = new ArrayList<>();
        for (ModelState m : state.models().values()) {
            if (m.key().equals(key)) {
                continue;
            }
            for (Field f : m.fields().values()) {
                if (key.equals(f.target())) {
                    out.add(new Referrer(m, f));
                }
            }
        }
        return out;
    }

    /** A many-to-many field whose table Django creates (no {@code through=} model). */
    static boolean autoManyToMany(Field f) {
        return f.isManyToMany() && !f.has("through");
    }

    /** The table Django creates for an auto-created many-to-many field of {@code owner}. */
    static String m2mTable(ModelState owner, Field f) {
        String explicit = f.string("db_table");
        return explicit != null ? explicit : (owner.table() + "_" + f.name()).toLowerCase(Locale.ROOT);
    }

    /** The many-to-many tables Django names after {@code m}'s table: its own auto-created ones. */
    static List<String> ownM2mTables(ModelState m) {
        List<String> out = new ArrayList<>();
        for (Field f : m.fields().values()) {
            if (autoManyToMany(f)) {
                out.add(m2mTable(m, f));
            }
        }
        return out;
    }

    /** "a", "a and b", "a, b and c", or the first {@code max} and "N more". */
    static String list(List<String> items, int max) {
        List<String> shown = items.size() > max ? new ArrayList<>(items.subList(0, max)) : new ArrayList<>(items);
        if (items.size() > max) {
            shown.add((items.size() - max) + " more");
        }
        if (shown.size() == 1) {
            return shown.get(0);
        }
        return String.join(", ", shown.subList(0, shown.size() - 1)) + " and " + shown.get(shown.size() - 1);
    }
}
