package dev.migsafe.python.ast;

import java.util.List;

/**
 * Python statements. Bodies are kept whole (functions' bodies are what the data-migration rules
 * read); statements migsafe never looks into are {@link Other} with their expressions and bodies.
 */
public sealed interface Stmt {

    Pos pos();

    record ExprStmt(Pos pos, Expr value) implements Stmt {}

    /** {@code a = b = value}: every target, left to right. */
    record Assign(Pos pos, List<Expr> targets, Expr value) implements Stmt {}

    record AugAssign(Pos pos, Expr target, String op, Expr value) implements Stmt {}

    record AnnAssign(Pos pos, Expr target, Expr annotation, Expr value) implements Stmt {}

    record Alias(String name, String asName) {}

    record Import(Pos pos, List<Alias> names) implements Stmt {}

    /** {@code from ..module import names}; module is null for {@code from . import x}. */
    record ImportFrom(Pos pos, String module, int level, List<Alias> names) implements Stmt {}

    record FunctionDef(Pos pos, String name, List<Param> params, Expr returns, List<Expr> decorators,
                       List<Stmt> body, boolean async) implements Stmt {}

    record ClassDef(Pos pos, String name, List<Expr> bases, List<Expr.Keyword> keywords,
                    List<Expr> decorators, List<Stmt> body) implements Stmt {}

    record Return(Pos pos, Expr value) implements Stmt {}

    record If(Pos pos, Expr test, List<Stmt> body, List<Stmt> orElse) implements Stmt {}

    record For(Pos pos, Expr target, Expr iter, List<Stmt> body, List<Stmt> orElse, boolean async) implements Stmt {}

    record While(Pos pos, Expr test, List<Stmt> body, List<Stmt> orElse) implements Stmt {}

    record WithItem(Expr context, Expr target) {}

    record With(Pos pos, List<WithItem> items, List<Stmt> body, boolean async) implements Stmt {}

    record Handler(Pos pos, Expr type, String name, List<Stmt> body) {}

    record Try(Pos pos, List<Stmt> body, List<Handler> handlers, List<Stmt> orElse, List<Stmt> finalBody,
               boolean star) implements Stmt {}

    /**
     * Any other statement (pass, break, continue, del, raise, global, nonlocal, assert, match,
     * type alias): its kind as Python's ast names it, its expressions, and its nested bodies.
     */
    record Other(Pos pos, String kind, List<Expr> exprs, List<List<Stmt>> bodies) implements Stmt {}
}
