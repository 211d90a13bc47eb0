package dev.migsafe.rules.compat;

import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.Py;
import dev.migsafe.state.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Comparing two field definitions for what reaches the database, when the column types are unknown. */
final class FieldDefinitions {

    /** Keyword arguments that never change a column's type (Python-side, or judged by other rules). */
    private static final Set<String> NOT_TYPE = Set.of("blank", "choices", "editable", "error_messages", "help_text",
            "validators", "verbose_name", "default", "serialize", "db_comment", "db_index", "unique", "null",
            "related_name", "related_query_name", "limit_choices_to", "on_delete", "db_default", "db_column");

    private FieldDefinitions() {}

    /** Same class and the same arguments, apart from those that do not change the column's type. */
    static boolean sameType(Field a, Field b) {
        return a.fieldClass().equals(b.fieldClass()) && sources(a.spec().args()).equals(sources(b.spec().args()))
                && typeKwargs(a.spec().kwargs()).equals(typeKwargs(b.spec().kwargs()));
    }

    /** An AutoField, BigAutoField or SmallAutoField (the database generates the value). */
    static boolean isAuto(Field f) {
        return f.simpleClass().endsWith("AutoField");
    }

    private static Map<String, String> typeKwargs(Map<String, Value> kwargs) {
        Map<String, String> out = new TreeMap<>();
        kwargs.forEach((k, v) -> {
            if (!NOT_TYPE.contains(k)) {
                out.put(k, Py.source(v));
            }
        });
        return out;
    }

    private static List<String> sources(List<Value> values) {
        return values.stream().map(Py::source).toList();
    }
}
