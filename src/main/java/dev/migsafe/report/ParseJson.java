package dev.migsafe.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.migsafe.migration.Dependency;
import dev.migsafe.migration.Diagnostic;
import dev.migsafe.migration.FieldSpec;
import dev.migsafe.migration.Migration;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.ast.Param;
import dev.migsafe.python.ast.Stmt;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The record `migsafe parse` prints for one file (schema "migsafe/parse/1", documented in
 * docs/parse-json.md). Keys are a contract: add freely, never rename.
 */
public final class ParseJson {

    public static final String SCHEMA = "migsafe/parse/1";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Attributes that have their own keys in the record. */
    private static final Set<String> MODELLED = Set.of("dependencies", "replaces", "run_before", "initial",
            "atomic", "operations");

    private ParseJson() {}

    public static ObjectNode record(MigrationFile file) {
        ObjectNode o = F.objectNode();
        o.put("path", file.path());
        o.put("status", file.status().label());
        if (file.error() != null) {
            o.set("error", diagnostic(file.error()));
        }
        ArrayNode diagnostics = o.putArray("diagnostics");
        for (Diagnostic d : file.diagnostics()) {
            if (d != file.error()) {
                diagnostics.add(diagnostic(d));
            }
        }
        if (file.migration() != null) {
            o.set("migration", migration(file.migration()));
        }
        if (file.scope() != null) {
            ObjectNode imports = o.putObject("imports");
            file.scope().imports().forEach(imports::put);
            ArrayNode functions = o.putArray("functions");
            for (Stmt.FunctionDef f : file.scope().functions().values()) {
                ObjectNode fn = functions.addObject();
                fn.put("name", f.name());
                fn.put("line", f.pos().line());
                ArrayNode params = fn.putArray("params");
                for (Param p : f.params()) {
                    params.add(switch (p.kind()) {
                        case VAR_POSITIONAL -> "*" + p.name();
                        case VAR_KEYWORD -> "**" + p.name();
                        default -> p.name();
                    });
                }
            }
        }
        return o;
    }

    private static ObjectNode diagnostic(Diagnostic d) {
        ObjectNode o = F.objectNode();
        o.put("rule", d.rule());
        o.put("line", d.line());
        o.put("column", d.column());
        o.put("message", d.message());
        return o;
    }

    private static ObjectNode migration(Migration m) {
        ObjectNode o = F.objectNode();
        o.put("line", m.line());
        o.put("column", m.column());
        ArrayNode bases = o.putArray("bases");
        m.bases().forEach(bases::add);
        ArrayNode deps = o.putArray("dependencies");
        for (Dependency d : m.dependencies()) {
            ObjectNode dep = deps.addObject();
            dep.put("app", d.app());
            dep.put("name", d.name());
            dep.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
            if (d.setting() != null) {
                dep.put("setting", d.setting());
            }
            if (d.source() != null) {
                dep.put("source", d.source());
            }
            dep.put("line", d.line());
            dep.put("column", d.column());
        }
        o.put("dependencies_resolved", m.dependenciesResolved());
        o.set("replaces", keys(m.replaces()));
        o.set("run_before", keys(m.runBefore()));
        o.put("initial", m.initial());
        o.put("atomic", m.atomic());
        o.set("operations", operations(m.operations()));
        o.put("operations_resolved", m.operationsResolved());
        ObjectNode attributes = o.putObject("attributes");
        for (Map.Entry<String, dev.migsafe.python.eval.Value> e : m.attributes().entrySet()) {
            if (!MODELLED.contains(e.getKey())) {
                attributes.set(e.getKey(), ValueJson.of(e.getValue()));
            }
        }
        return o;
    }

    private static ArrayNode keys(List<MigrationKey> keys) {
        ArrayNode a = F.arrayNode();
        for (MigrationKey k : keys) {
            a.addObject().put("app", k.app()).put("name", k.name());
        }
        return a;
    }

    private static ArrayNode operations(List<Operation> ops) {
        ArrayNode a = F.arrayNode();
        for (Operation op : ops) {
            ObjectNode o = a.addObject();
            o.put("type", op.type());
            o.put("qualified", op.qualified());
            o.put("line", op.line());
            o.put("column", op.column());
            o.set("args", ValueJson.list(op.args()));
            o.set("kwargs", ValueJson.map(op.kwargs()));
            if (op.field() != null) {
                o.set("field", field(op.field()));
            }
            if (!op.fields().isEmpty()) {
                ArrayNode fields = o.putArray("fields");
                op.fields().forEach(f -> fields.add(field(f)));
            }
            // Nested lists appear whenever the operation takes them, even empty: an explicit
            // `database_operations=[]` is a statement (state-only) worth seeing.
            boolean separate = "SeparateDatabaseAndState".equals(op.type());
            if (separate || !op.databaseOperations().isEmpty()) {
                o.set("database_operations", operations(op.databaseOperations()));
            }
            if (separate || !op.stateOperations().isEmpty() || op.kwargs().containsKey("state_operations")) {
                o.set("state_operations", operations(op.stateOperations()));
            }
        }
        return a;
    }

    private static ObjectNode field(FieldSpec f) {
        ObjectNode o = F.objectNode();
        o.put("name", f.name());
        o.put("class", f.fieldClass());
        o.put("line", f.line());
        o.put("column", f.column());
        o.set("args", ValueJson.list(f.args()));
        o.set("kwargs", ValueJson.map(f.kwargs()));
        return o;
    }
}
