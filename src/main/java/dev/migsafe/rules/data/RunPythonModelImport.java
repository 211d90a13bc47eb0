package dev.migsafe.rules.data;

import dev.migsafe.python.ast.Walker;
import dev.migsafe.python.eval.Bindings;
import dev.migsafe.rules.RunPythonFunction;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Param;
import dev.migsafe.python.ast.Pos;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * D401: a RunPython function that uses a model class imported from code (module level or inside
 * the function) instead of {@code apps.get_model(...)}.
 *
 * <p>What counts as a model (a static reader cannot import the class): a CapWords name imported
 * from outside Django ({@code django.*} is the framework's own and is left alone) that
 * <ul>
 * <li>comes from a {@code models} module ({@code shop.models.Order}, {@code from ..models import
 *     Order}, {@code models.Order} after {@code from shop import models}) and is used as a model:
 *     a manager or {@code _meta}/{@code DoesNotExist} attribute; or a call or the bare class
 *     (isinstance, get_for_model) when the replayed state has a model of that name or the instance
 *     the call makes is saved or deleted ({@code Order(...).save()}). A models package also holds
 *     value classes ({@code shop.models.fields.Money}, TextChoices enums, field classes), which the
 *     file alone cannot tell from models, so a call or bare use of an unknown class is left alone;
 *     enum-like uses such as {@code OrderStatus.PAID} are never a model use;</li>
 * <li>or comes from any other project module and is used through a manager
 *     ({@code .objects}, {@code ._default_manager}, {@code ._base_manager}).</li>
 * </ul>
 * A name the function binds itself ({@code Order = apps.get_model(...)}, a parameter, a loop
 * variable) is never the import. Reported on the import inside the function, or on the first use
 * of a module-level import.
 */
public final class RunPythonModelImport extends OperationRule {

    private static final Set<String> MANAGERS = Set.of("objects", "_default_manager", "_base_manager");
    private static final Set<String> MODEL_ATTRIBUTES = Set.of("_meta", "DoesNotExist", "MultipleObjectsReturned");

    public RunPythonModelImport() {
        super(RuleInfo.of("D401", "runpython-model-import", Severity.ERROR)
                .summary("A RunPython function uses a model imported from application code instead of `apps.get_model()`.")
                .why("""
                        A migration must see the model as it was at that point of the history. The imported
                        class is today's model: once a later release adds, renames or removes one of its
                        fields, this migration selects or inserts columns that do not exist yet (or any more)
                        and fails on every fresh database (CI, a new developer, a restore), or writes data the
                        historical schema does not have. `apps.get_model()` returns the historical model that
                        matches the schema this migration runs against.""")
                .example("""
                        from shop.models import Order

                        def fill_channel(apps, schema_editor):
                            Order.objects.filter(channel="").update(channel="web")""")
                .instead("""
                        def fill_channel(apps, schema_editor):
                            Order = apps.get_model("shop", "Order")
                            Order.objects.filter(channel="").update(channel="web")
                        (and delete the import; custom model methods and managers are not available on
                        historical models: copy the logic the migration needs into the function).""")
                .others("""
                        django-migration-linter reports the same as an error (RUNPYTHON_MODEL_IMPORT) when it
                        finds `<Model>.objects` without a get_model call, by running the function's source
                        through regular expressions, so Django's own models (ContentType.objects) are reported
                        too. migsafe resolves the imports instead: it reports models imported from the project
                        (RULES.md: application code), a use through a models module alias, and an import inside
                        the function, and leaves django.* alone. A class that is only called or passed
                        around (a value class, an enum or a field class from `app.models.fields`) counts only
                        when the replayed history has a model of that name or the function saves what it
                        makes; a use through a manager (`X.objects`) always counts.
                        strong_migrations has no equivalent (Rails advises defining a model inside the
                        migration for the same reason)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        for (RunPythonFunction f : RunPythonFunction.of(ctx)) {
            check(ctx, f);
        }
    }

    /** A module-level or function-level import: qualified name, and the statement when inside the function. */
    private record Import(String qualified, Stmt inFunction) {}

    /** @param written how the function spells the class (Order, shop_models.Coupon) */
    private record Use(String model, String written, Import source, Pos pos) {}

    private void check(OperationContext ctx, RunPythonFunction f) {
        Map<String, Import> imports = new HashMap<>();
        ctx.migration().file().scope().imports().forEach((k, v) -> imports.put(k, new Import(v, null)));
        Set<String> bound = new HashSet<>();
        for (Param p : f.params()) {
            bound.add(p.name());
        }
        String pkg = packageOf(ctx.migration().path());
        Map<String, Import> local = new HashMap<>();
        new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                if (s instanceof Stmt.Import i) {
                    for (Stmt.Alias a : i.names()) {
                        String root = a.name().contains(".") ? a.name().substring(0, a.name().indexOf('.')) : a.name();
                        local.put(a.asName() != null ? a.asName() : root, new Import(a.asName() != null ? a.name() : root, s));
                    }
                } else if (s instanceof Stmt.ImportFrom i) {
                    String base = dev.migsafe.python.eval.ModuleScope.resolveRelative(i.module(), i.level(), pkg);
                    for (Stmt.Alias a : i.names()) {
                        if (!a.name().equals("*")) {
                            local.put(a.asName() != null ? a.asName() : a.name(),
                                    new Import(base.isEmpty() ? a.name() : base + "." + a.name(), s));
                        }
                    }
                } else if (s instanceof Stmt.Assign a) {
                    a.targets().forEach(t -> Bindings.names(t, bound));
                } else if (s instanceof Stmt.AugAssign a) {
                    Bindings.names(a.target(), bound);
                } else if (s instanceof Stmt.AnnAssign a) {
                    Bindings.names(a.target(), bound);
                } else if (s instanceof Stmt.For fo) {
                    Bindings.names(fo.target(), bound);
                } else if (s instanceof Stmt.With w) {
                    w.items().forEach(item -> Bindings.names(item.target(), bound));
                } else if (s instanceof Stmt.Try t) {
                    t.handlers().forEach(h -> {
                        if (h.name() != null) {
                            bound.add(h.name());
                        }
                    });
                } else if (s instanceof Stmt.FunctionDef d) {
                    bound.add(d.name());
                } else if (s instanceof Stmt.ClassDef c) {
                    bound.add(c.name());
                }
                return true;
            }

            @Override
            public boolean expr(Expr e) {
                if (e instanceof Expr.Other o && o.kind().equals("NamedExpr") && !o.children().isEmpty()) {
                    Bindings.names(o.children().get(0), bound);
                }
                return true;
            }
        }.walk(f.body());
        imports.putAll(local);

        Set<Expr.Call> saved = savedInstances(f);
        Map<String, Use> uses = new LinkedHashMap<>();
        Walker finder = new Walker() {
            @Override
            public boolean expr(Expr e) {
                if (e instanceof Expr.Call c) {
                    List<String> chain = chain(c.func());
                    if (chain != null) {
                        use(chain, c.func().pos(), saved.contains(c));
                        c.args().forEach(this::walk);
                        c.keywords().forEach(k -> walk(k.value()));
                        return false;
                    }
                }
                List<String> chain = chain(e);
                if (chain != null) {
                    use(chain, e.pos(), false);
                    return false;
                }
                return true;
            }

            /** @param savedInstance the chain is called, and the instance it makes is saved or deleted */
            private void use(List<String> chain, Pos pos, boolean savedInstance) {
                String root = chain.get(0);
                if (bound.contains(root) || !imports.containsKey(root)) {
                    return;
                }
                Import imp = imports.get(root);
                StringBuilder q = new StringBuilder(imp.qualified());
                for (int k = 0; k < chain.size(); k++) {
                    if (k > 0) {
                        q.append('.').append(chain.get(k));
                    }
                    String prefix = q.toString();
                    if (!isClassName(prefix)) {
                        continue;
                    }
                    String next = k + 1 < chain.size() ? chain.get(k + 1) : null;
                    boolean fromModels = fromModelsModule(prefix);
                    boolean modelUse = next != null && MANAGERS.contains(next)
                            || fromModels && next != null && MODEL_ATTRIBUTES.contains(next)
                            || fromModels && next == null && (savedInstance || knownModel(ctx, prefix));
                    if (modelUse && !prefix.startsWith("django.")) {
                        uses.putIfAbsent(prefix, new Use(prefix, String.join(".", chain.subList(0, k + 1)), imp, pos));
                    }
                    return; // the first class in the chain decides
                }
            }
        };
        if (f.isLambda()) {
            finder.walk(f.lambdaBody());
        } else {
            finder.walk(f.body());
        }
        for (Use u : uses.values()) {
            String cls = u.model().substring(u.model().lastIndexOf('.') + 1);
            String module = u.model().substring(0, u.model().lastIndexOf('.'));
            Pos at = u.source().inFunction() != null ? u.source().inFunction().pos() : u.pos();
            String how = u.source().inFunction() != null ? "imports " + cls + " from " + module
                    : "uses " + cls + ", imported from " + module + " at module level";
            String getModel = "`" + cls + " = " + f.appsName() + ".get_model(\"" + appLabel(ctx, module, cls) + "\", \""
                    + cls + "\")`";
            String fix = f.isLambda()
                    ? "turn the lambda into a function that starts with " + getModel + " and pass that function to RunPython"
                    : "start " + f.name() + " with " + getModel
                    + (u.written().equals(cls) ? "" : " and use " + cls + " instead of " + u.written())
                    + (u.source().inFunction() != null ? ", and delete the import inside " + f.name()
                    : "; drop the module-level import once no function uses it");
            RunPythonFunction.report(ctx, this, at.line(), at.column(),
                    capitalize(f.subject()) + " " + how + ": that is today's " + cls + " class, not the historical "
                            + "model of " + ctx.app() + "." + ctx.migration().name() + ", so the migration breaks (or "
                            + "writes the wrong columns) once " + cls + "'s fields change", fix);
        }
    }

    /** Methods only a model instance has: calling one on `X(...)` shows that X is a model. */
    private static final Set<String> INSTANCE_METHODS = Set.of("save", "delete", "full_clean", "refresh_from_db");

    /**
     * The calls whose result is saved or deleted: `X(...).save()`, or `x = X(...)` followed by
     * `x.save()` in the same function.
     */
    private static Set<Expr.Call> savedInstances(RunPythonFunction f) {
        Set<Expr.Call> direct = new HashSet<>();
        Map<String, List<Expr.Call>> assigned = new HashMap<>();
        Set<String> savedNames = new HashSet<>();
        Walker w = new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                if (s instanceof Stmt.Assign a && a.value() instanceof Expr.Call c) {
                    for (Expr t : a.targets()) {
                        if (t instanceof Expr.Name n) {
                            assigned.computeIfAbsent(n.id(), k -> new ArrayList<>()).add(c);
                        }
                    }
                }
                return true;
            }

            @Override
            public boolean expr(Expr e) {
                if (e instanceof Expr.Attribute a && INSTANCE_METHODS.contains(a.attr())) {
                    if (a.value() instanceof Expr.Call c) {
                        direct.add(c);
                    } else if (a.value() instanceof Expr.Name n) {
                        savedNames.add(n.id());
                    }
                }
                return true;
            }
        };
        if (f.isLambda()) {
            w.walk(f.lambdaBody());
        } else {
            w.walk(f.body());
        }
        Set<Expr.Call> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        out.addAll(direct);
        savedNames.forEach(n -> out.addAll(assigned.getOrDefault(n, List.of())));
        return out;
    }

    /** Whether the replayed state has a model of that class name (in any app): then the class is a model. */
    private static boolean knownModel(OperationContext ctx, String qualified) {
        String cls = qualified.substring(qualified.lastIndexOf('.') + 1);
        for (ModelState m : ctx.state().models().values()) {
            if (m.name().equals(cls)) {
                return true;
            }
        }
        return false;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A pure Name.attr.attr chain as its names, or null. */
    private static List<String> chain(Expr e) {
        List<String> out = new ArrayList<>();
        while (e instanceof Expr.Attribute a) {
            out.add(0, a.attr());
            e = a.value();
        }
        if (!(e instanceof Expr.Name n)) {
            return null;
        }
        out.add(0, n.id());
        return out;
    }

    /** CapWords (Order, OrderLine), not a CONSTANT and not a module. */
    private static boolean isClassName(String qualified) {
        String last = qualified.substring(qualified.lastIndexOf('.') + 1);
        return !last.isEmpty() && Character.isUpperCase(last.charAt(0)) && !last.equals(last.toUpperCase(java.util.Locale.ROOT));
    }

    /** shop.models.Order, shop.models.order.Order: a segment before the class is `models`. */
    private static boolean fromModelsModule(String qualified) {
        String[] parts = qualified.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("models")) {
                return true;
            }
        }
        return false;
    }

    /** The app label for get_model: the replayed state's, else the package that holds the models module. */
    private static String appLabel(OperationContext ctx, String module, String cls) {
        String[] parts = module.split("\\.");
        String guess = ctx.app();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("models")) {
                guess = parts[i - 1];
                break;
            }
        }
        if (ctx.state().model(guess, cls) != null) {
            return ctx.state().model(guess, cls).app();
        }
        String only = null;
        for (ModelState m : ctx.state().models().values()) {
            if (m.name().equals(cls)) {
                if (only != null) {
                    return guess;
                }
                only = m.app();
            }
        }
        return only != null ? only : guess;
    }

    /** The package a migration file lives in, for relative imports: shop/migrations/0002_x.py -> shop.migrations. */
    private static String packageOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash).replace('/', '.');
    }
}
