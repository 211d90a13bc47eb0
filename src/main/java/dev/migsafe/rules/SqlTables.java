package dev.migsafe.rules;

import dev.migsafe.sql.Name;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.ProjectState;

/**
 * Resolves a statement's table and column to the replayed state, as Django names them:
 * {@code db_table} (or app_model) and {@code db_column} (or the field's attname). A schema other
 * than public is not Django's, and a template's placeholder names no table.
 */
public final class SqlTables {

    private SqlTables() {}

    /** The model whose table this is: a managed, non-proxy model first; null when none. */
    static ModelState model(ProjectState state, Name table) {
        if (table == null || table.placeholder() || !table.inDefaultSchema()) {
            return null;
        }
        ModelState found = null;
        for (ModelState m : state.models().values()) {
            if (m.table().equalsIgnoreCase(table.name())) {
                if (m.hasTable()) {
                    return m;
                }
                found = found == null ? m : found;
            }
        }
        return found;
    }

    /** The field of the model whose column this is, or null. */
    public static Field field(ModelState model, String column) {
        if (model == null || column == null) {
            return null;
        }
        for (Field f : model.fields().values()) {
            if (f.hasColumn() && f.column().equalsIgnoreCase(column)) {
                return f;
            }
        }
        return null;
    }
}
