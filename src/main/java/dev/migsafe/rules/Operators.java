package dev.migsafe.rules;

import dev.migsafe.migration.DjangoNames;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Walker;
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

    /** The operator expressions of the module last asked about, by position: one walk per file, not per value. */
    private record Index(dev.migsafe.python.ast.Module module, java.util.Map<Long, Expr> byPosition) {}

    private static final ThreadLocal<Index> LAST = new ThreadLocal<>();

    private static java.util.Map<Long, Expr> operators(dev.migsafe.python.ast.Module module) {
        Index last = LAST.get();
        if (last != null && last.module() == module) {
            return last.byPosition();
        }
        java.util.Map<Long, Expr> byPosition = new java.util.HashMap<>();
        new Walker() {
            @Override
            public boolean expr(Expr e) {
                if (e instanceof Expr.BinOp || e instanceof Expr.UnaryOp) {
                    byPosition.putIfAbsent(key(e.pos().line(), e.pos().column()), e); // the outermost at a place, as the walk met it first
                }
                return true;
            }
        }.walk(module.body());
        LAST.set(new Index(module, byPosition));
        return byPosition;
    }

    private static long key(int line, int column) {
        return ((long) line << 32) | (column & 0xffffffffL);
    }

    /**
     * The operator expression the opaque value stands for, or null when the value is no operator
     * of this file (e.g. a field the replay took from an earlier migration).
     */
    public static Split of(Value v, MigrationFile file) {
        if (!(v instanceof Value.Opaque o) || file == null || file.module() == null || file.scope() == null) {
            return null;
        }
        Expr[] found = {operators(file.module()).get(key(o.line(), o.column()))};
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
