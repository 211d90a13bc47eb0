package dev.migsafe.rules;

import dev.migsafe.migration.DjangoNames;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.eval.StaticEvaluator;
import dev.migsafe.python.eval.Value;
import java.util.List;

/**
 * The static evaluator leaves an operator on non-literal values opaque ({@code Random() * 100},
 * {@code Q(a=1) | Q(b=2)}, {@code -Random()}). Rules that need to look inside find the expression
 * at the opaque value's place in the migration file and evaluate its operands.
 */
public final class Operators {

    /** An operator ("*", "|", "-" ...) and its evaluated operands (one for a unary operator). */
    public record Split(String op, List<Value> operands) {}

    private Operators() {}

    /**
     * The operator expression the opaque value stands for, or null when the value is no operator
     * of this file (e.g. a field the replay took from an earlier migration).
     */
    public static Split of(Value v, MigrationFile file) {
        if (!(v instanceof Value.Opaque o) || file == null || file.module() == null || file.scope() == null) {
            return null;
        }
        Expr[] found = new Expr[1];
        new Walker() {
            @Override
            public boolean expr(Expr e) {
                if (found[0] == null && (e instanceof Expr.BinOp || e instanceof Expr.UnaryOp)
                        && e.pos().line() == o.line() && e.pos().column() == o.column()) {
                    found[0] = e;
                }
                return found[0] == null;
            }
        }.walk(file.module().body());
        if (found[0] == null) {
            return null;
        }
        StaticEvaluator eval = new StaticEvaluator(file.module(), file.scope(), DjangoNames::canonical);
        if (!eval.source(found[0]).equals(o.source())) {
            return null;
        }
        if (found[0] instanceof Expr.BinOp b) {
            return new Split(b.op(), List.of(eval.eval(b.left()), eval.eval(b.right())));
        }
        Expr.UnaryOp u = (Expr.UnaryOp) found[0];
        return new Split(u.op(), List.of(eval.eval(u.operand())));
    }
}
