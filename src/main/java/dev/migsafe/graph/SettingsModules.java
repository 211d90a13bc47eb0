package dev.migsafe.graph;

import dev.migsafe.git.SourceFile;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Stmt;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code MIGRATION_MODULES} as the project's settings modules set it, read statically (as
 * {@link AppLabels} reads apps.py): a dict literal of app label to dotted module, or to None to
 * disable an app's migrations. Assignments inside if/try blocks count (settings often set it
 * behind an environment switch): a project that keeps migrations in another module does so
 * for the migrations it ships. A module named in one settings file wins over None in another.
 */
public final class SettingsModules {

    private static final String NAME = "MIGRATION_MODULES";

    private SettingsModules() {}

    /** App label -> dotted module (null: disabled), from every given settings file. */
    public static Map<String, String> read(List<SourceFile> settings, ModuleParser parser) {
        Map<String, String> out = new TreeMap<>();
        for (SourceFile f : settings) {
            ModuleParser.Parsed parsed = parser.parse(f.blobId(), f::bytes, f.path());
            if (parsed.ok()) {
                collect(parsed.module().body(), out);
            }
        }
        return out;
    }

    private static void collect(List<Stmt> body, Map<String, String> out) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a && a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name n
                    && n.id().equals(NAME) && a.value() instanceof Expr.DictExpr d) {
                entries(d, out);
            } else if (s instanceof Stmt.If i) {
                collect(i.body(), out);
                collect(i.orElse(), out);
            } else if (s instanceof Stmt.Try t) {
                collect(t.body(), out);
                t.handlers().forEach(h -> collect(h.body(), out));
                collect(t.orElse(), out);
                collect(t.finalBody(), out);
            }
        }
    }

    private static void entries(Expr.DictExpr d, Map<String, String> out) {
        for (int i = 0; i < d.keys().size(); i++) {
            if (!(d.keys().get(i) instanceof Expr.Str key) || key.bytes()) {
                continue;
            }
            Expr value = d.values().get(i);
            if (value instanceof Expr.Str module && !module.bytes() && !module.value().isBlank()) {
                out.put(key.value(), module.value());
            } else if (value instanceof Expr.Constant c && c.kind() == Expr.Constant.Kind.NONE) {
                out.putIfAbsent(key.value(), null);
            }
        }
    }
}
