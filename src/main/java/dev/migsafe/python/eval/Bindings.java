package dev.migsafe.python.eval;

import dev.migsafe.python.ast.Expr;
import java.util.Set;

/** The names an assignment or loop target binds: {@code a}, {@code a, (b, *c)}, {@code [a, b]}. */
public final class Bindings {

    private Bindings() {}

    public static void names(Expr target, Set<String> into) {
        if (target instanceof Expr.Name n) {
            into.add(n.id());
        } else if (target instanceof Expr.TupleExpr t) {
            t.elts().forEach(x -> names(x, into));
        } else if (target instanceof Expr.ListExpr l) {
            l.elts().forEach(x -> names(x, into));
        } else if (target instanceof Expr.Starred s) {
            names(s.value(), into);
        }
    }
}
