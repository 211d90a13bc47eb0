package dev.migsafe.migration;

import dev.migsafe.python.eval.Value;
import java.util.List;
import java.util.Map;

/**
 * A model field as a migration declares it: {@code fieldClass} is the canonical qualified class
 * (django.db.models.CharField) or the source text when it does not resolve; {@code name} is the
 * field name where the operation gives it (CreateModel's fields, AddField's name).
 */
public record FieldSpec(String name, String fieldClass, List<Value> args, Map<String, Value> kwargs,
                        int line, int column) {

    /** The class's last name: CharField. */
    public String simpleClass() {
        int dot = fieldClass.lastIndexOf('.');
        return dot < 0 ? fieldClass : fieldClass.substring(dot + 1);
    }
}
