package dev.migsafe.rules;

import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Python source for values, so that fixes can show the code to write. */
public final class Py {

    private Py() {}

    public static String source(Value v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Value.Str s) {
            return (s.bytes() ? "b" : "") + "'" + s.value().replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
        }
        if (v instanceof Value.Num n) {
            return n.value().toString();
        }
        if (v instanceof Value.Bool b) {
            return b.value() ? "True" : "False";
        }
        if (v instanceof Value.None) {
            return "None";
        }
        if (v instanceof Value.ListV l) {
            return "[" + join(l.items()) + "]";
        }
        if (v instanceof Value.TupleV t) {
            return "(" + join(t.items()) + (t.items().size() == 1 ? ",)" : ")");
        }
        if (v instanceof Value.SetV s) {
            return "{" + join(s.items()) + "}";
        }
        if (v instanceof Value.DictV d) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < d.keys().size(); i++) {
                parts.add(source(d.keys().get(i)) + ": " + source(d.values().get(i)));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        if (v instanceof Value.Call c) {
            List<String> parts = new ArrayList<>();
            c.args().forEach(a -> parts.add(source(a)));
            for (Map.Entry<String, Value> e : c.kwargs().entrySet()) {
                parts.add(e.getKey() + "=" + source(e.getValue()));
            }
            return c.calleeSource() + "(" + String.join(", ", parts) + ")";
        }
        if (v instanceof Value.Ref r) {
            return r.source();
        }
        return ((Value.Opaque) v).source();
    }

    private static String join(List<Value> items) {
        List<String> parts = new ArrayList<>();
        items.forEach(i -> parts.add(source(i)));
        return String.join(", ", parts);
    }

    /** The items of a list, tuple or set display; null for anything else. */
    public static List<Value> items(Value v) {
        if (v instanceof Value.ListV l) {
            return l.items();
        }
        if (v instanceof Value.TupleV t) {
            return t.items();
        }
        if (v instanceof Value.SetV s) {
            return s.items();
        }
        return null;
    }

    /** A literal constant (str, number, bool, None, or a container of them): the same value for every row. */
    public static boolean isConstant(Value v) {
        if (v instanceof Value.Str || v instanceof Value.Num || v instanceof Value.Bool || v instanceof Value.None) {
            return true;
        }
        if (v instanceof Value.ListV l) {
            return l.items().stream().allMatch(Py::isConstant);
        }
        if (v instanceof Value.TupleV t) {
            return t.items().stream().allMatch(Py::isConstant);
        }
        if (v instanceof Value.DictV d) {
            return d.values().stream().allMatch(Py::isConstant);
        }
        return false;
    }
}
