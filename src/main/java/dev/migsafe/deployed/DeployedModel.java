package dev.migsafe.deployed;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A model class of the deployed code, resolved through its bases.
 *
 * @param app the app label it belongs to (Meta.app_label, else the app whose folder holds it)
 * @param name the class name
 * @param path the file that declares it
 * @param table its table (Meta.db_table, else app_label + "_" + lower-cased name); null when
 *              Meta.db_table is not a literal
 * @param managed false when Meta.managed = False; null when not a literal
 * @param fields its own table's fields by name, those of abstract bases included
 * @param uncertain names bound in the class body (or in a base) that might be fields migsafe
 *                  cannot read, such as a third-party descriptor
 * @param complete every base was followed to Django's Model or to a class of the project: its
 *                 field list is the whole list, so a name it lacks is a field it does not have
 * @param concreteParent it derives from a concrete model (multi-table inheritance): code reaches it
 *                       through the parent without naming it
 */
public record DeployedModel(String app, String name, String path, int line, String text, boolean abstractModel,
                            boolean proxy, Boolean managed, String table, Map<String, DeployedField> fields,
                            Set<String> uncertain, boolean complete, boolean concreteParent) {

    /** Whether it has a primary key of its own declaring (else Django adds the implicit id). */
    public boolean declaresPrimaryKey() {
        return fields.values().stream().anyMatch(DeployedField::primaryKey);
    }

    /** The field mapping this column (case-insensitive), or null. */
    public DeployedField byColumn(String column) {
        for (DeployedField f : fields.values()) {
            if (f.column() != null && f.column().equalsIgnoreCase(column)) {
                return f;
            }
        }
        return null;
    }

    public String label() {
        return app + "." + name;
    }

    /** Whether the class maps a table of its own (no abstract, no proxy). */
    public boolean hasTable() {
        return !abstractModel && !proxy;
    }

    public boolean mapsTable(String t) {
        return hasTable() && table != null && t != null && table.toLowerCase(Locale.ROOT).equals(t.toLowerCase(Locale.ROOT));
    }
}
