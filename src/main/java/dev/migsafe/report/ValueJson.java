package dev.migsafe.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.python.eval.Value;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Value trees as JSON. Plain JSON scalars stand for str, int/float, bool and None; everything
 * else is an object with one tag key: {"list": [...]}, {"tuple": [...]}, {"set": [...]},
 * {"dict": [[k, v], ...]}, {"bytes": "..."}, {"call": "qualified.Name", "args": [...],
 * "kwargs": {...}}, {"ref": "source", "qualified": "..."|null, "kind": "import"|...},
 * {"opaque": "source", "reason": "...", "line": L, "column": C}.
 */
final class ValueJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ValueJson() {}

    static JsonNode of(Value v) {
        if (v instanceof Value.Str s) {
            if (!s.bytes()) {
                return F.textNode(s.value());
            }
            return F.objectNode().put("bytes", s.value());
        }
        if (v instanceof Value.Num n) {
            return n.value() instanceof BigInteger b ? F.numberNode(b) : F.numberNode(n.value().doubleValue());
        }
        if (v instanceof Value.Bool b) {
            return F.booleanNode(b.value());
        }
        if (v instanceof Value.None) {
            return F.nullNode();
        }
        if (v instanceof Value.ListV l) {
            return tagged("list", l.items());
        }
        if (v instanceof Value.TupleV t) {
            return tagged("tuple", t.items());
        }
        if (v instanceof Value.SetV s) {
            return tagged("set", s.items());
        }
        if (v instanceof Value.DictV d) {
            ArrayNode entries = F.arrayNode();
            for (int i = 0; i < d.keys().size(); i++) {
                entries.add(F.arrayNode().add(of(d.keys().get(i))).add(of(d.values().get(i))));
            }
            ObjectNode o = F.objectNode();
            o.set("dict", entries);
            return o;
        }
        if (v instanceof Value.Call c) {
            ObjectNode o = F.objectNode();
            o.put("call", c.callee());
            o.set("args", list(c.args()));
            o.set("kwargs", map(c.kwargs()));
            return o;
        }
        if (v instanceof Value.Ref r) {
            ObjectNode o = F.objectNode();
            o.put("ref", r.source());
            o.put("qualified", r.qualified());
            o.put("kind", r.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            return o;
        }
        Value.Opaque o = (Value.Opaque) v;
        ObjectNode node = F.objectNode();
        node.put("opaque", o.source());
        node.put("reason", o.reason());
        node.put("line", o.line());
        node.put("column", o.column());
        return node;
    }

    static ArrayNode list(List<Value> values) {
        ArrayNode a = F.arrayNode();
        for (Value v : values) {
            a.add(of(v));
        }
        return a;
    }

    static ObjectNode map(Map<String, Value> values) {
        ObjectNode o = F.objectNode();
        for (Map.Entry<String, Value> e : values.entrySet()) {
            o.set(e.getKey(), of(e.getValue()));
        }
        return o;
    }

    private static ObjectNode tagged(String tag, List<Value> items) {
        ObjectNode o = F.objectNode();
        o.set(tag, list(items));
        return o;
    }
}
