package dev.migsafe.rules.reverse;

import dev.migsafe.migration.Operation;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RunPythonFunction;
import dev.migsafe.rules.Walker;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A data step later in the same migration that rewrites a column's values (a RunPython whose
 * function assigns the field or names it in update()/bulk_update(), a RunSQL that UPDATEs ...
 * SET the column), and whether its reverse can restore them. After a widening, such a step
 * usually fills the column with values the old type cannot hold (paperless-ngx: 32-character
 * MD5 checksums rewritten as 64-character SHA-256 ones); shortening them to undo the widening
 * would corrupt every one, so only the step's own reverse can make the rollback work.
 *
 * @param step     "RunPython recompute" / "RunSQL", for messages
 * @param line     the step's line
 * @param restores whether the step has a reverse that does something (not absent, not a no-op)
 */
record ValueRewrite(String step, int line, boolean restores) {

    private static final Set<String> WRITERS = Set.of("update", "bulk_update", "create", "bulk_create",
            "update_or_create", "get_or_create");

    /** The first data step after the operation that rewrites {@code field} (column {@code column}), or null. */
    static ValueRewrite after(OperationContext ctx, String field, String column) {
        for (Operation op : ctx.laterFor(null)) { // the data steps are among the operations of unknown effect
            if ("RunPython".equals(op.type())) {
                RunPythonFunction f = RunPythonFunction.forward(op, ctx.migration().file());
                if (f != null && writes(f, field)) {
                    Value reverse = op.arg(1, "reverse_code");
                    boolean restores = reverse != null && !Py.source(reverse).endsWith("noop") && !constantLambda(ctx, op);
                    return new ValueRewrite("RunPython " + f.display(), op.line(), restores);
                }
            } else if ("RunSQL".equals(op.type()) && updates(op.arg(0, "sql"), column)) {
                Value reverse = op.arg(1, "reverse_sql");
                boolean restores = reverse != null && !(reverse instanceof Value.None) && !Py.source(reverse).endsWith("noop")
                        && !(reverse instanceof Value.Str s && s.value().isBlank());
                return new ValueRewrite("RunSQL", op.line(), restores);
            }
        }
        return null;
    }

    /** reverse_code=lambda apps, se: None: a no-op too. */
    private static boolean constantLambda(OperationContext ctx, Operation op) {
        for (RunPythonFunction f : RunPythonFunction.of(op, ctx.migration().file())) {
            if (f.role().equals("reverse_code") && f.isLambda() && (f.lambdaBody() instanceof Expr.Constant)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the function assigns obj.field, or passes field to a queryset writer (update(field=...), bulk_update(..., ["field"])). */
    private static boolean writes(RunPythonFunction f, String field) {
        boolean[] found = {false};
        Walker w = new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                if (s instanceof Stmt.Assign a && a.targets().stream().anyMatch(t -> isAttribute(t, field))
                        || s instanceof Stmt.AugAssign a2 && isAttribute(a2.target(), field)) {
                    found[0] = true;
                }
                return !found[0];
            }

            @Override
            public boolean expr(Expr e) {
                if (e instanceof Expr.Call c && c.func() instanceof Expr.Attribute fn && WRITERS.contains(fn.attr())) {
                    if (c.keywords().stream().anyMatch(k -> field.equals(k.name()))
                            || fn.attr().equals("bulk_update") && c.args().size() > 1 && names(c.args().get(1), field)) {
                        found[0] = true;
                    }
                }
                if (e instanceof Expr.Call c && c.func() instanceof Expr.Name n && n.id().equals("setattr")
                        && c.args().size() > 1 && c.args().get(1) instanceof Expr.Str s && s.value().equals(field)) {
                    found[0] = true;
                }
                return !found[0];
            }
        };
        if (f.isLambda()) {
            w.walk(new Stmt.ExprStmt(f.lambdaBody().pos(), f.lambdaBody()));
        } else {
            w.walk(f.body());
        }
        return found[0];
    }

    private static boolean isAttribute(Expr target, String field) {
        return target instanceof Expr.Attribute a && a.attr().equals(field)
                || target instanceof Expr.TupleExpr t && t.elts().stream().anyMatch(e -> isAttribute(e, field));
    }

    private static boolean names(Expr fields, String field) {
        List<Expr> items = fields instanceof Expr.ListExpr l ? l.elts() : fields instanceof Expr.TupleExpr t ? t.elts() : List.of();
        return items.stream().anyMatch(e -> e instanceof Expr.Str s && s.value().equals(field));
    }

    /** Whether the SQL (a string or a list of them) has an UPDATE ... SET column = ... */
    private static boolean updates(Value sql, String column) {
        if (sql instanceof Value.Str s) {
            return Pattern.compile("(?is)\\bupdate\\b.*\\bset\\b.*?[\\s,\"`]" + Pattern.quote(column.toLowerCase(Locale.ROOT))
                    + "[\"`]?\\s*=").matcher(s.value().toLowerCase(Locale.ROOT)).find();
        }
        List<Value> items = sql instanceof Value.ListV l ? l.items() : sql instanceof Value.TupleV t ? t.items() : List.of();
        return items.stream().anyMatch(v -> updates(v, column));
    }
}
