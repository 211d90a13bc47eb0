package dev.migsafe.rules.reverse;

import dev.migsafe.migration.Operation;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.ast.Walker;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Py;
import dev.migsafe.rules.RunPythonFunction;
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
        Writers writers = ctx.migration().memo(Writers.class, () -> Writers.of(ctx.migration().operations(), ctx));
        int at = writers.next(ctx.index(), field, column);
        if (at < 0) {
            return null;
        }
        Operation op = ctx.migration().operations().get(at);
        if ("RunPython".equals(op.type())) {
            Value reverse = op.arg(1, "reverse_code");
            boolean restores = reverse != null && !Py.source(reverse).endsWith("noop") && !constantLambda(ctx, op);
            return new ValueRewrite("RunPython " + RunPythonFunction.forward(op, ctx.migration().file()).display(), op.line(),
                    restores);
        }
        Value reverse = op.arg(1, "reverse_sql");
        boolean restores = reverse != null && !(reverse instanceof Value.None) && !Py.source(reverse).endsWith("noop")
                && !(reverse instanceof Value.Str s && s.value().isBlank());
        return new ValueRewrite("RunSQL", op.line(), restores);
    }

    /**
     * The migration's data steps by what they write: RunPython functions by the fields they assign
     * or pass to a queryset writer, RunSQL by the columns its UPDATE ... SET assigns. Built once
     * per migration, so asking for each operation costs a lookup, not a walk of every later step.
     */
    private record Writers(java.util.Map<String, List<Integer>> fields, java.util.Map<String, List<Integer>> columns) {

        static Writers of(List<Operation> ops, OperationContext ctx) {
            java.util.Map<String, List<Integer>> fields = new java.util.HashMap<>();
            java.util.Map<String, List<Integer>> columns = new java.util.HashMap<>();
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                if ("RunPython".equals(op.type())) {
                    RunPythonFunction f = RunPythonFunction.forward(op, ctx.migration().file());
                    if (f != null) {
                        for (String name : written(f)) {
                            fields.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(i);
                        }
                    }
                } else if ("RunSQL".equals(op.type())) {
                    java.util.Set<String> names = new java.util.HashSet<>();
                    updated(op.arg(0, "sql"), names);
                    for (String name : names) {
                        columns.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(i);
                    }
                }
            }
            return new Writers(fields, columns);
        }

        /** The first data step after {@code index} that writes the field or the column, or -1. */
        int next(int index, String field, String column) {
            int a = first(fields.get(field), index);
            int b = column == null ? -1 : first(columns.get(column.toLowerCase(Locale.ROOT)), index);
            return a < 0 ? b : b < 0 ? a : Math.min(a, b);
        }

        private static int first(List<Integer> sorted, int after) {
            if (sorted == null) {
                return -1;
            }
            int p = java.util.Collections.binarySearch(sorted, after + 1);
            int at = p >= 0 ? p : -p - 1;
            return at < sorted.size() ? sorted.get(at) : -1;
        }
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

    /** The fields the function assigns (obj.field = ...), or passes to a queryset writer (update(field=...), bulk_update(..., ["field"])). */
    private static Set<String> written(RunPythonFunction f) {
        Set<String> found = new java.util.HashSet<>();
        Walker w = new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                if (s instanceof Stmt.Assign a) {
                    a.targets().forEach(t -> attributes(t, found));
                } else if (s instanceof Stmt.AugAssign a2) {
                    attributes(a2.target(), found);
                }
                return true;
            }

            @Override
            public boolean expr(Expr e) {
                if (e instanceof Expr.Call c && c.func() instanceof Expr.Attribute fn && WRITERS.contains(fn.attr())) {
                    c.keywords().stream().filter(k -> k.name() != null).forEach(k -> found.add(k.name()));
                    if (fn.attr().equals("bulk_update") && c.args().size() > 1) {
                        names(c.args().get(1), found);
                    }
                }
                if (e instanceof Expr.Call c && c.func() instanceof Expr.Name n && n.id().equals("setattr")
                        && c.args().size() > 1 && c.args().get(1) instanceof Expr.Str s) {
                    found.add(s.value());
                }
                return true;
            }
        };
        if (f.isLambda()) {
            w.walk(new Stmt.ExprStmt(f.lambdaBody().pos(), f.lambdaBody()));
        } else {
            w.walk(f.body());
        }
        return found;
    }

    private static void attributes(Expr target, Set<String> out) {
        if (target instanceof Expr.Attribute a) {
            out.add(a.attr());
        } else if (target instanceof Expr.TupleExpr t) {
            t.elts().forEach(e -> attributes(e, out));
        }
    }

    private static void names(Expr fields, Set<String> out) {
        List<Expr> items = fields instanceof Expr.ListExpr l ? l.elts() : fields instanceof Expr.TupleExpr t ? t.elts() : List.of();
        items.stream().filter(e -> e instanceof Expr.Str).forEach(e -> out.add(((Expr.Str) e).value()));
    }

    /** An assignment `col =` after a SET that follows an UPDATE (the column as written, quotes aside). */
    private static final Pattern ASSIGNED = Pattern.compile("[\\s,\"`]([^\\s,\"`=]+)[\"`]?\\s*=");
    private static final Pattern UPDATE = Pattern.compile("\\bupdate\\b");
    private static final Pattern SET = Pattern.compile("\\bset\\b");

    /** The columns (lowercase) the SQL (a string or a list of them) assigns in an UPDATE ... SET. */
    private static void updated(Value sql, Set<String> out) {
        if (sql instanceof Value.Str s) {
            String text = s.value().toLowerCase(Locale.ROOT);
            java.util.regex.Matcher u = UPDATE.matcher(text);
            if (!u.find()) {
                return;
            }
            java.util.regex.Matcher set = SET.matcher(text);
            if (!set.find(u.end())) {
                return;
            }
            java.util.regex.Matcher m = ASSIGNED.matcher(text);
            int from = set.end();
            while (from < text.length() && m.find(from)) {
                out.add(m.group(1));
                from = m.end(1); // the next column's delimiter may be this match's last character
            }
            return;
        }
        List<Value> items = sql instanceof Value.ListV l ? l.items() : sql instanceof Value.TupleV t ? t.items() : List.of();
        items.forEach(v -> updated(v, out));
    }

}
