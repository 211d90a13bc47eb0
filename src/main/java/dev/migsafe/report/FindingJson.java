package dev.migsafe.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.migration.Evidence;
import dev.migsafe.migration.Finding;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleCatalog;
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
        Rule rule = RuleCatalog.byId(f.rule());
        o.put("name", rule == null ? null : rule.info().name());
        o.put("severity", f.severity().label());
        o.put("class", f.deployClass() == null ? null : f.deployClass().label());
        o.put("path", f.path());
        o.put("line", f.line());
        o.put("column", f.column());
        o.put("app", f.app());
        o.put("migration", f.migration());
        if (f.operation() == null) {
            o.putNull("operation");
        } else {
            o.put("operation", f.operation());
        }
        o.put("message", f.message());
        o.put("fix", f.fix());
        o.put("suppressed", f.suppressed());
        if (!f.evidence().isEmpty()) {
            // Where the deployed code (the range's base side) declares or uses what the finding is about.
            ArrayNode places = o.putArray("evidence");
            for (dev.migsafe.migration.Evidence e : f.evidence()) {
                places.addObject().put("kind", e.kind()).put("path", e.path()).put("line", e.line())
                        .put("column", e.column()).put("text", e.text());
            }
        }
        return o;
    }

    /** `path:line:column: severity RULE message` and the fix indented below. */
    public static String text(Finding f) {
        return f.path() + ":" + f.line() + ":" + f.column() + ": " + f.severity().label() + " " + f.rule() + " "
                + f.message() + (f.fix() == null ? "" : "\n    fix: " + f.fix())
                + (f.evidence().isEmpty() ? "" : "\n    old code: " + Evidence.summary(f.evidence()));
    }
}
