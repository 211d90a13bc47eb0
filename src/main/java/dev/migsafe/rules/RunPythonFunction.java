package dev.migsafe.rules;

import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Param;
import dev.migsafe.python.ast.Pos;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.ast.Walker;
import dev.migsafe.python.eval.Value;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * A function a RunPython operation runs (its code or reverse_code), as far as the migration file
 * shows it: a module-level function, a function defined in the Migration class body, or a
 * lambda. Functions imported from other modules, functools.partial objects and
 * RunPython.noop are not read (their bodies are not in the file).
 *
 * @param body the statements of a def; empty for a lambda, whose expression is {@code lambdaBody}
 */
public record RunPythonFunction(String role, String name, Pos pos, List<Param> params, List<Stmt> body, Expr lambdaBody) {

    public boolean isLambda() {
        return lambdaBody != null;
    }

    /** What the user calls it in messages: the function's name, or "the lambda on line N". */
    public String display() {
        return isLambda() ? "the lambda on line " + pos.line() : name;
    }

    /** The subject of a message: "RunPython function fill_channel", "the RunPython lambda on line 12". */
    public String subject() {
        return isLambda() ? "the RunPython lambda on line " + pos.line() : "RunPython function " + name;
    }

    /** The first parameter's name (the `apps` registry) for fixes, or "apps". */
    public String appsName() {
        return params.isEmpty() || params.get(0).kind() == Param.Kind.VAR_POSITIONAL ? "apps" : params.get(0).name();
    }

    /** The functions a RunPython runs (code first, then reverse_code; one entry when both are the same). */
    public static List<RunPythonFunction> of(OperationContext ctx) {
        return of(ctx.op(), ctx.migration().file());
    }

    /** The same for an operation of a migration file (for migration-level rules). */
    public static List<RunPythonFunction> of(Operation op, MigrationFile file) {
        if (!"RunPython".equals(op.type()) || file.module() == null || file.scope() == null) {
            return List.of();
        }
        List<RunPythonFunction> out = new ArrayList<>();
        add(out, "code", op.arg(0, "code"), file);
        add(out, "reverse_code", op.arg(1, "reverse_code"), file);
        return out;
    }

    /** The forward function (RunPython's code) as far as the file shows it, or null. */
    public static RunPythonFunction forward(Operation op, MigrationFile file) {
        for (RunPythonFunction f : of(op, file)) {
            if (f.role().equals("code")) {
                return f;
            }
        }
        return null;
    }

    /**
     * Whether RunPython's forward code does nothing: RunPython.noop, a lambda whose body is a
     * constant (None), or a function whose body is only pass, a docstring, ... or a bare return.
     * Such a RunPython exists for its reverse_code (or to make a migration reversible).
     */
    public static boolean forwardIsNoop(Operation op, MigrationFile file) {
        Value code = op.arg(0, "code");
        if (code instanceof Value.Ref r && isNoopName(r)) {
            return true;
        }
        RunPythonFunction f = file == null ? null : forward(op, file);
        if (f == null) {
            return false;
        }
        if (f.isLambda()) {
            return constant(f.lambdaBody());
        }
        for (Stmt s : f.body()) {
            boolean nothing = s instanceof Stmt.Other o && o.kind().equals("Pass")
                    || s instanceof Stmt.ExprStmt e && constant(e.value())
                    || s instanceof Stmt.Return r && (r.value() == null || constant(r.value()));
            if (!nothing) {
                return false;
            }
        }
        return true;
    }

    /** A literal that does nothing when evaluated: None, True, ..., a docstring, a number. */
    private static boolean constant(Expr e) {
        return e instanceof Expr.Constant || e instanceof Expr.Str || e instanceof Expr.Int || e instanceof Expr.Float;
    }

    private static boolean isNoopName(Value.Ref r) {
        String name = r.qualified() != null ? r.qualified() : r.source();
        return name.endsWith("RunPython.noop") && (r.qualified() == null || r.qualified().startsWith("django."));
    }

    private static void add(List<RunPythonFunction> out, String role, Value v, MigrationFile file) {
        RunPythonFunction f = null;
        if (v instanceof Value.Ref r && r.kind() == Value.RefKind.FUNCTION) {
            f = of(role, file.scope().functions().get(r.qualified()));
        } else if (v instanceof Value.Ref r && r.kind() == Value.RefKind.UNKNOWN && r.source().matches("[A-Za-z_]\\w*")) {
            f = of(role, classBodyFunction(file.module(), r.source()));
        } else if (v instanceof Value.Opaque o && o.reason().equals("lambda")) {
            Expr.Lambda l = findLambda(file.module(), o.line(), o.column());
            if (l != null) {
                f = new RunPythonFunction(role, "lambda", l.pos(), l.params(), List.of(), l.body());
            }
        }
        if (f == null) {
            return;
        }
        for (RunPythonFunction g : out) {
            if (g.pos().equals(f.pos())) {
                return; // the same function forwards and backwards
            }
        }
        out.add(f);
    }

    private static RunPythonFunction of(String role, Stmt.FunctionDef def) {
        return def == null ? null : new RunPythonFunction(role, def.name(), def.pos(), def.params(), def.body(), null);
    }

    /** A function defined in the body of the Migration class (referenced from `operations` there). */
    private static Stmt.FunctionDef classBodyFunction(Module module, String name) {
        Stmt.FunctionDef found = null;
        for (Stmt s : module.body()) {
            if (s instanceof Stmt.ClassDef c && c.name().equals("Migration")) {
                found = null;
                for (Stmt inner : c.body()) {
                    if (inner instanceof Stmt.FunctionDef f && f.name().equals(name)) {
                        found = f;
                    }
                }
            }
        }
        return found;
    }

    private static Expr.Lambda findLambda(Module module, int line, int column) {
        Expr.Lambda[] found = new Expr.Lambda[1];
        new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                return found[0] == null;
            }

            @Override
            public boolean expr(Expr e) {
                if (e instanceof Expr.Lambda l && l.pos().line() == line && l.pos().column() == column) {
                    found[0] = l;
                }
                return found[0] == null;
            }
        }.walk(module.body());
        return found[0];
    }

    /** Reports once per rule and place, however many RunPython operations run the same function. */
    public static void report(OperationContext ctx, Rule rule, int line, int column, String message, String fix) {
        for (Finding f : ctx.migration().findings()) {
            if (f.rule().equals(rule.id()) && f.line() == line && f.column() == column) {
                return;
            }
        }
        ctx.report(rule, rule.info().deployClass(), line, column, message, fix);
    }
}
