package dev.migsafe.graph;

import dev.migsafe.migration.Operation;
import dev.migsafe.python.eval.Value;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A text form of an operation without positions or formatting, to tell which operations of a
 * migration an edit changed. {@link #of} keeps every argument; {@link #databaseEffect} leaves
 * out the field arguments and model options that Django never sends to the database (it makes
 * no SQL when only they change), so an edit of a shipped migration that changes only them is
 * known to leave every database as it was.
 */
final class OperationText {

    /**
     * Field arguments with no database effect: Django's Field.non_db_attrs (db_column aside, it
     * names the column), and a file field's upload_to and storage (the column holds a path).
     */
    private static final Set<String> PYTHON_ONLY_ARGUMENTS = Set.of("blank", "choices", "editable", "error_messages",
            "help_text", "limit_choices_to", "on_delete", "related_name", "related_query_name", "validators",
            "verbose_name", "upload_to", "storage");

    /** Model options that only the Python side reads (AlterModelOptions makes no SQL). */
    private static final Set<String> PYTHON_ONLY_OPTIONS = Set.of("verbose_name", "verbose_name_plural", "ordering",
            "get_latest_by", "permissions", "default_permissions", "default_related_name", "base_manager_name",
            "default_manager_name", "select_on_save");

    /** Operations that only change Django's model state. */
    private static final Set<String> STATE_ONLY = Set.of("AlterModelOptions", "AlterModelManagers");

    private OperationText() {}

    /** Every argument, positions and formatting left out. */
    static String of(Operation op) {
        return text(op, false);
    }

    /** The arguments that reach the database. */
    static String databaseEffect(Operation op) {
        return text(op, true);
    }

    static List<String> of(List<Operation> ops) {
        return ops.stream().map(OperationText::of).toList();
    }

    static List<String> databaseEffect(List<Operation> ops) {
        return ops.stream().map(OperationText::databaseEffect).toList();
    }

    private static String text(Operation op, boolean effectOnly) {
        StringBuilder sb = new StringBuilder();
        sb.append(op.qualified() == null ? "?" : op.qualified()).append('(');
        if (effectOnly && op.type() != null && STATE_ONLY.contains(op.type())) {
            // Makes no SQL whatever its options or managers: only the model it names counts.
            append(op.arg(0, "name"), true, false, sb);
            return sb.append(')').toString();
        }
        for (Value v : op.args()) {
            append(v, effectOnly, false, sb);
            sb.append(',');
        }
        new TreeMap<>(op.kwargs()).forEach((k, v) -> {
            sb.append(k).append('=');
            append(v, effectOnly, k.equals("options"), sb);
            sb.append(',');
        });
        return sb.append(')').toString();
    }

    private static void append(Value v, boolean effectOnly, boolean options, StringBuilder sb) {
        if (v == null) {
            sb.append('_');
        } else if (v instanceof Value.Str s) {
            sb.append(s.bytes() ? "b" : "").append('"').append(s.value().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        } else if (v instanceof Value.Num n) {
            sb.append(n.value());
        } else if (v instanceof Value.Bool b) {
            sb.append(b.value());
        } else if (v instanceof Value.None) {
            sb.append("None");
        } else if (v instanceof Value.ListV l) {
            items("[", l.items(), effectOnly, sb);
        } else if (v instanceof Value.TupleV t) {
            items("(", t.items(), effectOnly, sb);
        } else if (v instanceof Value.SetV s) {
            items("{", s.items(), effectOnly, sb);
        } else if (v instanceof Value.DictV d) {
            sb.append('{');
            for (int i = 0; i < d.keys().size(); i++) {
                Value key = d.keys().get(i);
                if (effectOnly && options && key instanceof Value.Str s && PYTHON_ONLY_OPTIONS.contains(s.value())) {
                    continue;
                }
                append(key, effectOnly, false, sb);
                sb.append(':');
                append(d.values().get(i), effectOnly, false, sb);
                sb.append(',');
            }
            sb.append('}');
        } else if (v instanceof Value.Call c) {
            sb.append(c.callee()).append('(');
            for (Value a : c.args()) {
                append(a, effectOnly, false, sb);
                sb.append(',');
            }
            for (Map.Entry<String, Value> e : new TreeMap<>(c.kwargs()).entrySet()) {
                if (effectOnly && PYTHON_ONLY_ARGUMENTS.contains(e.getKey())) {
                    continue;
                }
                sb.append(e.getKey()).append('=');
                append(e.getValue(), effectOnly, e.getKey().equals("options"), sb);
                sb.append(',');
            }
            sb.append(')');
        } else if (v instanceof Value.Ref r) {
            sb.append(r.qualified() != null ? r.qualified() : r.source());
        } else if (v instanceof Value.Opaque o) {
            // Unresolved source text: its whitespace is formatting.
            sb.append('<').append(o.source().replaceAll("\\s+", "")).append('>');
        }
    }

    private static void items(String open, List<Value> items, boolean effectOnly, StringBuilder sb) {
        sb.append(open);
        for (Value v : items) {
            append(v, effectOnly, false, sb);
            sb.append(',');
        }
        sb.append(open.equals("[") ? "]" : open.equals("(") ? ")" : "}");
    }
}
