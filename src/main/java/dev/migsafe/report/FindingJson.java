package dev.migsafe.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.migration.Finding;
import java.util.List;

/** Findings as JSON objects (the keys of PRODUCT.md's finding skeleton that apply). */
public final class FindingJson {

    private FindingJson() {}

    public static ArrayNode list(List<Finding> findings) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Finding f : findings) {
            a.add(of(f));
        }
        return a;
    }

    public static ObjectNode of(Finding f) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rule", f.rule());
        o.put("severity", f.severity().label());
        o.put("path", f.path());
        o.put("line", f.line());
        o.put("column", f.column());
        o.put("app", f.app());
        o.put("migration", f.migration());
        o.put("message", f.message());
        o.put("fix", f.fix());
        return o;
    }

    /** `path:line:column: severity RULE message` and the fix indented below. */
    public static String text(Finding f) {
        return f.path() + ":" + f.line() + ":" + f.column() + ": " + f.severity().label() + " " + f.rule() + " "
                + f.message() + (f.fix() == null ? "" : "\n    fix: " + f.fix());
    }
}
