package dev.migsafe.rules.locks;

import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.ast.Walker;
import dev.migsafe.rules.RunPythonFunction;
import dev.migsafe.state.ProjectState;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The models a RunPython's forward function writes rows of, read from its body: the models it
 * fetches with {@code apps.get_model("app", "Model")}, and the ORM calls that write through them
 * ({@code Model.objects.filter(...).update(...)}, {@code Model.objects.create(...)}) or through an
 * instance taken from them ({@code obj = Model.objects.get(...); obj.save()}). Null whenever the
 * body could write anything else: raw SQL, a helper handed the apps registry, a save() on an
 * object of unknown origin, a model fetched by a computed name. L209 uses it to tell a data
 * change that leaves deferred trigger events on a table a later ALTER TABLE touches.
 */
final class RunPythonWrites {

    /** Queryset and manager calls that change rows. */
    private static final Set<String> WRITES = Set.of("update", "create", "bulk_create", "bulk_update", "delete",
            "get_or_create", "update_or_create", "save");

    /** Calls that change rows whatever their receiver is: unknown receiver, unknown writes. */
    private static final Set<String> UNTRACEABLE = Set.of("save", "delete", "bulk_create", "bulk_update",
            "get_or_create", "update_or_create", "execute", "executemany", "call_command");

    /** Related-manager calls: obj.tags.add(...) writes a join or related table, not obj's. */
    private static final Set<String> RELATED = Set.of("add", "remove", "set", "clear", "create", "update", "delete");

    private RunPythonWrites() {}

    /** The state keys of the models the forward function writes, or null when it cannot be told. */
    static Set<String> models(Operation op, MigrationFile file) {
        RunPythonFunction f = RunPythonFunction.forward(op, file);
        if (f == null || f.isLambda()) {
            return null;
        }
        String apps = f.appsName();
        Map<String, String> vars = new HashMap<>();
        boolean[] unknown = {false};
        new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                if (s instanceof Stmt.Assign a && a.value() instanceof Expr.Call c && isGetModel(c)) {
                    String key = modelKey(c);
                    if (key == null || a.targets().size() != 1 || !(a.targets().get(0) instanceof Expr.Name n)) {
                        unknown[0] = true;
                    } else {
                        vars.put(n.id(), key);
                    }
                }
                return true;
            }
        }.walk(f.body());
        // instances: names bound to something rooted at a model (twice, so one hop of aliasing follows)
        for (int pass = 0; pass < 2; pass++) {
            new Walker() {
                @Override
                public boolean stmt(Stmt s) {
                    if (s instanceof Stmt.Assign a && !(a.value() instanceof Expr.Call c && isGetModel(c))) {
                        String key = vars.get(root(a.value()));
                        if (key != null) {
                            a.targets().forEach(t -> bind(t, key, vars));
                        }
                    } else if (s instanceof Stmt.For fo) {
                        String key = vars.get(root(fo.iter()));
                        if (key != null) {
                            bind(fo.target(), key, vars);
                        }
                    }
                    return true;
                }
            }.walk(f.body());
        }
        Set<String> out = new LinkedHashSet<>();
        new Walker() {
            @Override
            public boolean expr(Expr e) {
                if (!(e instanceof Expr.Call c)) {
                    return true;
                }
                if (c.args().stream().anyMatch(a -> a instanceof Expr.Name n && n.id().equals(apps))
                        && !isGetModel(c)) {
                    unknown[0] = true; // a helper handed the registry writes what it likes
                }
                if (c.func() instanceof Expr.Attribute at) {
                    String key = vars.get(root(at.value()));
                    boolean viaRelation = at.value() instanceof Expr.Attribute inner
                            && vars.containsKey(root(inner)) && !"objects".equals(inner.attr());
                    if (viaRelation && RELATED.contains(at.attr())) {
                        unknown[0] = true;
                    } else if (key != null && WRITES.contains(at.attr())) {
                        out.add(key);
                    } else if (UNTRACEABLE.contains(at.attr())
                            || key == null && WRITES.contains(at.attr()) && throughManager(at.value())) {
                        // a model imported at module level, or an object of unknown origin
                        unknown[0] = true;
                    }
                }
                return true;
            }
        }.walk(f.body());
        return unknown[0] ? null : out;
    }

    /** Whether a chain goes through a model manager (X.objects...., X._default_manager....). */
    private static boolean throughManager(Expr e) {
        while (e instanceof Expr.Attribute || e instanceof Expr.Call || e instanceof Expr.Subscript) {
            if (e instanceof Expr.Attribute a && (a.attr().equals("objects") || a.attr().endsWith("_manager"))) {
                return true;
            }
            e = e instanceof Expr.Attribute a ? a.value() : e instanceof Expr.Call c ? c.func() : ((Expr.Subscript) e).value();
        }
        return false;
    }

    private static boolean isGetModel(Expr.Call c) {
        return c.func() instanceof Expr.Attribute a && a.attr().equals("get_model");
    }

    /** "shop.order" out of get_model("shop", "Order") or get_model("shop.Order"); null for computed names. */
    private static String modelKey(Expr.Call c) {
        List<Expr> args = c.args();
        if (args.size() == 2 && args.get(0) instanceof Expr.Str app && args.get(1) instanceof Expr.Str model) {
            return ProjectState.key(app.value(), model.value());
        }
        if (args.size() == 1 && args.get(0) instanceof Expr.Str s && s.value().contains(".")) {
            int dot = s.value().indexOf('.');
            return ProjectState.key(s.value().substring(0, dot), s.value().substring(dot + 1));
        }
        return null;
    }

    private static void bind(Expr target, String key, Map<String, String> vars) {
        if (target instanceof Expr.Name n) {
            vars.putIfAbsent(n.id(), key);
        } else if (target instanceof Expr.TupleExpr t && !t.elts().isEmpty() && t.elts().get(0) instanceof Expr.Name n) {
            vars.putIfAbsent(n.id(), key); // obj, created = Model.objects.get_or_create(...)
        }
    }

    /** The name a chain of attributes, calls and subscripts starts from, or null. */
    private static String root(Expr e) {
        while (true) {
            if (e instanceof Expr.Name n) {
                return n.id();
            } else if (e instanceof Expr.Attribute a) {
                e = a.value();
            } else if (e instanceof Expr.Call c) {
                e = c.func();
            } else if (e instanceof Expr.Subscript s) {
                e = s.value();
            } else {
                return null;
            }
        }
    }
}
