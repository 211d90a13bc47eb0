package dev.migsafe.rules;

import dev.migsafe.migration.DjangoNames;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Walker;
import dev.migsafe.python.eval.StaticEvaluator;
import dev.migsafe.python.eval.Value;

/**
 * The literal text of a SQL template passed to RunSQL: {@code "ALTER TABLE {t} ...".format(t=...)}
 * or {@code "... %s ..." % x}, the template a string literal or a module constant. The evaluator
 * cannot give the formatted string (its arguments may be built at run time) but the template
 * shows which statements run; its placeholders stand for names and values, which SqlReader reads
 * as placeholders.
 */
final class SqlTemplates {

    private SqlTemplates() {}

    /** The template behind an opaque RunSQL argument, or null when it is not a template of a literal. */
    static String of(Value v, MigrationFile file) {
        if (file == null || file.module() == null || file.scope() == null) {
            return null;
        }
        int line;
        int column;
        if (v instanceof Value.Opaque o && (o.source().contains(".format(") || o.source().contains("%"))) {
            line = o.line();
            column = o.column();
        } else if (v instanceof Value.Call c && c.calleeSource() != null && c.calleeSource().endsWith(".format")) {
            line = c.line();
            column = c.column();
        } else {
            return null;
        }
        Expr[] found = new Expr[1];
        new Walker() {
            @Override
            public boolean expr(Expr e) {
                if (found[0] == null && e.pos().line() == line && e.pos().column() == column
                        && (e instanceof Expr.Call || e instanceof Expr.BinOp)) {
                    found[0] = e;
                }
                return found[0] == null;
            }
        }.walk(file.module().body());
        Expr literal = null;
        if (found[0] instanceof Expr.Call c && c.func() instanceof Expr.Attribute a && a.attr().equals("format")) {
            literal = a.value();
        } else if (found[0] instanceof Expr.BinOp b && b.op().equals("%")) {
            literal = b.left();
        }
        if (literal == null) {
            return null;
        }
        Value text = new StaticEvaluator(file.module(), file.scope(), DjangoNames::canonical).eval(literal);
        return text instanceof Value.Str s ? s.value() : null;
    }
}
