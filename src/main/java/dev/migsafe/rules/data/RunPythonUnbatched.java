package dev.migsafe.rules.data;

import dev.migsafe.python.ast.Walker;
import dev.migsafe.rules.RunPythonFunction;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * D403: a {@code for} loop in a RunPython function that iterates a whole queryset at once
 * ({@code Model.objects.all()/filter(...)/...} without {@code .iterator()} and without a slice),
 * or that calls {@code .save()} on the loop variable (one UPDATE per row). One finding per loop.
 * The queryset may be written in the loop or assigned once to a local name before it.
 * Comprehensions and while loops are not read.
 */
public final class RunPythonUnbatched extends OperationRule {

    private static final Set<String> MANAGERS = Set.of("objects", "_default_manager", "_base_manager");

    public RunPythonUnbatched() {
        super(RuleInfo.of("D403", "runpython-unbatched", Severity.INFO)
                .summary("A RunPython function loads a whole table at once, or saves row by row.")
                .why("""
                        A migration runs while the release deploys, usually inside one transaction. Iterating
                        `Model.objects.all()` loads every row into memory before the first one is handled, and
                        `obj.save()` in the loop sends one UPDATE of every column per row: on a large table the
                        migration runs for minutes, holds its row locks all that time and may run out of
                        memory. What takes a second on a development database takes the deploy down in
                        production.""")
                .example("""
                        def fill_channel(apps, schema_editor):
                            Order = apps.get_model("shop", "Order")
                            for order in Order.objects.all():
                                order.channel = "web"
                                order.save()""")
                .instead("""
                        Let the database do it in one statement:
                            Order.objects.filter(channel="").update(channel="web")
                        When each row needs Python, stream and write in batches:
                            batch = []
                            for order in Order.objects.filter(channel="").iterator(chunk_size=2000):
                                order.channel = compute(order)
                                batch.append(order)
                                if len(batch) == 2000:
                                    Order.objects.bulk_update(batch, ["channel"])
                                    batch = []
                            Order.objects.bulk_update(batch, ["channel"])
                        For very large tables, run the backfill outside the migration (a management command
                        or a non-atomic migration, `atomic = False`) in throttled batches.""")
                .others("""
                        django-migration-linter does not look at the queries in RunPython functions.
                        strong_migrations flags backfilling in the same migration as a schema change and asks
                        for batched, throttled updates outside the transaction; migsafe's L209 covers the mix,
                        D403 the shape of the loop itself (as information: small tables are fine)."""));
    }

    @Override
    public void check(OperationContext ctx) {
        Module module = ctx.migration().file().module();
        for (RunPythonFunction f : RunPythonFunction.of(ctx)) {
            if (f.isLambda()) {
                continue; // a lambda has no for statement
            }
            Map<String, Expr> assigned = assignments(f);
            new Walker() {
                @Override
                public boolean stmt(Stmt s) {
                    if (s instanceof Stmt.For loop) {
                        check(ctx, module, f, loop, assigned);
                    }
                    return true;
                }
            }.walk(f.body());
        }
    }

    private void check(OperationContext ctx, Module module, RunPythonFunction f, Stmt.For loop, Map<String, Expr> assigned) {
        String whole = wholeQuerySet(loop.iter(), assigned, 0) ? text(module, loop.iter()) : null;
        String saved = savesLoopVariable(loop);
        if (whole == null && saved == null) {
            return;
        }
        String what;
        String fix;
        if (whole != null && saved != null) {
            what = "iterates " + whole + " whole and calls " + saved + ".save() for every row: every row is loaded "
                    + "into memory at once, then written back with one UPDATE each";
            fix = "if the new value can be computed in SQL, one statement: `.update(field=...)` (F() or Case/When for "
                    + "per-row values); otherwise stream with `.iterator(chunk_size=2000)` and write with "
                    + "`bulk_update(batch, [\"field\"])` every 2000 rows";
        } else if (whole != null) {
            what = "iterates " + whole + " whole: every row is loaded into memory before the loop starts";
            fix = "stream it in chunks: `for ... in " + whole + ".iterator(chunk_size=2000):`, or replace the loop by "
                    + "one `.update(...)`";
        } else {
            what = "calls " + saved + ".save() for every row of the loop: one UPDATE per row, inside the migration's "
                    + "transaction";
            fix = "one `.update(field=...)` on the queryset (F() or Case/When for per-row values), or collect the rows "
                    + "and `bulk_update(batch, [\"field\"], batch_size=2000)`";
        }
        RunPythonFunction.report(ctx, this, loop.pos().line(), loop.pos().column(),
                "RunPython function " + f.name() + " " + what + "; on a large table this holds the deploy (and "
                        + "its locks) for minutes", fix);
    }

    /** A chain Model.objects.method(...)... without .iterator() and without a slice. */
    private static boolean wholeQuerySet(Expr e, Map<String, Expr> assigned, int depth) {
        boolean method = false;
        while (true) {
            if (e instanceof Expr.Call c && c.func() instanceof Expr.Attribute a) {
                if (a.attr().equals("iterator")) {
                    return false;
                }
                method = true;
                e = a.value();
            } else if (e instanceof Expr.Subscript) {
                return false; // a slice: one batch
            } else if (e instanceof Expr.Attribute a) {
                return method && MANAGERS.contains(a.attr());
            } else if (e instanceof Expr.Name n && assigned.containsKey(n.id()) && depth < 5) {
                return wholeQuerySetFrom(assigned.get(n.id()), assigned, depth + 1, method);
            } else {
                return false;
            }
        }
    }

    private static boolean wholeQuerySetFrom(Expr e, Map<String, Expr> assigned, int depth, boolean methodAfter) {
        if (e instanceof Expr.Attribute a && MANAGERS.contains(a.attr())) {
            return methodAfter; // qs = Order.objects; for o in qs.all()
        }
        return wholeQuerySet(e, assigned, depth);
    }

    /** The loop variable when the body calls its save(), else null. */
    private static String savesLoopVariable(Stmt.For loop) {
        if (!(loop.target() instanceof Expr.Name target)) {
            return null;
        }
        boolean[] found = new boolean[1];
        new Walker() {
            @Override
            public boolean expr(Expr e) {
                if (e instanceof Expr.Call c && c.func() instanceof Expr.Attribute a && a.attr().equals("save")
                        && a.value() instanceof Expr.Name n && n.id().equals(target.id())) {
                    found[0] = true;
                }
                return !found[0];
            }
        }.walk(loop.body());
        return found[0] ? target.id() : null;
    }

    /** Names assigned exactly once in the function (qs = Order.objects.filter(...)). */
    private static Map<String, Expr> assignments(RunPythonFunction f) {
        Map<String, Expr> once = new HashMap<>();
        Set<String> many = new HashSet<>();
        new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                if (s instanceof Stmt.Assign a && a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name n) {
                    if (once.put(n.id(), a.value()) != null) {
                        many.add(n.id());
                    }
                } else if (s instanceof Stmt.For loop && loop.target() instanceof Expr.Name n) {
                    many.add(n.id());
                }
                return true;
            }
        }.walk(f.body());
        once.keySet().removeAll(many);
        return once;
    }

    private static String text(Module module, Expr e) {
        String s = module.text(e.pos()).replaceAll("\\s+", " ").trim();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
