package dev.migsafe.rules;

import dev.migsafe.state.ColumnType;
import dev.migsafe.state.Field;
import dev.migsafe.state.ModelState;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The tables as the code that runs before the deploy knows them: each model as it was just
 * before the analysed range first touched it, with the column types of that moment. A column
 * that the range drops and later brings back under the same name is judged against this view:
 * old code still reads and writes it with its old type.
 */
public final class OldCode {

    /** A column old code knows: the field that declared it and its type then (null when unknown). */
    public record Column(ModelState model, Field field, ColumnType type) {}

    /** A table old code knows: the model it belongs to then, and its columns by lower-cased name. */
    public record Table(ModelState model, Map<String, Column> columns) {

        public Column column(String name) {
            return name == null ? null : columns.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Map<String, Map<String, Column>> columns = new HashMap<>();
    private final Map<String, ModelState> models = new HashMap<>();
    private final Map<String, Table> tables = new HashMap<>();

    /** Records the model as old code knows it, the first time the range touches it. */
    void record(ModelState m, Function<Field, ColumnType> typeOf) {
        if (m == null || columns.containsKey(m.key())) {
            return;
        }
        Map<String, Column> byColumn = new HashMap<>();
        ModelState copy = m.copy();
        for (Field f : copy.fields().values()) {
            if (f.hasColumn()) {
                byColumn.put(f.column().toLowerCase(Locale.ROOT), new Column(copy, f, typeOf.apply(f)));
            }
        }
        columns.put(m.key(), byColumn);
        models.put(m.key(), copy);
        // By table name too: a table the range creates may take this name once the range freed it.
        tables.putIfAbsent(copy.table().toLowerCase(Locale.ROOT), new Table(copy, byColumn));
    }

    /**
     * The model {@code key} as old code knows it (a copy of the state when the range first
     * touched it), or null when the range has not touched it yet or renamed it since.
     */
    public ModelState model(String key) {
        return models.get(key);
    }

    /** The table old code knows under this name (one the range touched), or null. */
    public Table table(String name) {
        return name == null ? null : tables.get(name.toLowerCase(Locale.ROOT));
    }

    /** The column old code knows on the model {@code key} under this name, or null. */
    public Column column(String key, String column) {
        Map<String, Column> byColumn = columns.get(key);
        return byColumn == null || column == null ? null : byColumn.get(column.toLowerCase(Locale.ROOT));
    }
}
