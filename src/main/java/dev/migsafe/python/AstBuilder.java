package dev.migsafe.python;

import dev.migsafe.python.antlr.PythonLexer;
import dev.migsafe.python.antlr.PythonParser.*;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Param;
import dev.migsafe.python.ast.Pos;
import dev.migsafe.python.ast.Stmt;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Converts ANTLR's parse tree into migsafe's own small syntax tree ({@link Module}), after which
 * the parse tree is dropped: the own tree is a fraction of its size, independent of the grammar's
 * rule structure, and what every later layer reads.
 */
final class AstBuilder {

    private final String source;

    private AstBuilder(String source) {
        this.source = source;
    }

    static Module build(File_inputContext tree, CommonTokenStream tokens, String source) {
        AstBuilder b = new AstBuilder(source);
        List<Stmt> body = new ArrayList<>();
        for (StmtContext s : tree.stmt()) {
            b.stmt(s, body);
        }
        List<Module.Comment> comments = new ArrayList<>();
        for (Token t : tokens.getTokens()) {
            if (t.getType() == PythonLexer.COMMENT) {
                comments.add(new Module.Comment(t.getLine(), t.getCharPositionInLine() + 1, t.getText()));
            }
        }
        return new Module(List.copyOf(body), source, List.copyOf(comments));
    }

    // ------------------------------------------------------------------ positions

    private static Pos pos(ParserRuleContext ctx) {
        return pos(ctx.getStart(), ctx.getStop());
    }

    private static Pos pos(Token start, Token stop) {
        int stopIndex = stop == null ? start.getStopIndex() : Math.max(stop.getStopIndex(), start.getStartIndex());
        return new Pos(start.getLine(), start.getCharPositionInLine() + 1, start.getStartIndex(), stopIndex);
    }

    // ------------------------------------------------------------------ statements

    private void stmt(StmtContext ctx, List<Stmt> out) {
        if (ctx.simple_stmts() != null) {
            simpleStmts(ctx.simple_stmts(), out);
        } else {
            out.add(compound(ctx.compound_stmt()));
        }
    }

    private void simpleStmts(Simple_stmtsContext ctx, List<Stmt> out) {
        for (Simple_stmtContext s : ctx.simple_stmt()) {
            out.add(simple(s));
        }
    }

    private List<Stmt> block(BlockContext ctx) {
        List<Stmt> out = new ArrayList<>();
        if (ctx.simple_stmts() != null) {
            simpleStmts(ctx.simple_stmts(), out);
        } else {
            for (StmtContext s : ctx.stmt()) {
                stmt(s, out);
            }
        }
        return List.copyOf(out);
    }

    private Stmt simple(Simple_stmtContext ctx) {
        Pos p = pos(ctx);
        if (ctx.expr_stmt() != null) {
            return exprStmt(ctx.expr_stmt());
        }
        if (ctx.import_stmt() != null) {
            return ctx.import_stmt().import_name() != null
                    ? importName(ctx.import_stmt().import_name())
                    : importFrom(ctx.import_stmt().import_from());
        }
        if (ctx.pass_stmt() != null) {
            return new Stmt.Other(p, "Pass", List.of(), List.of());
        }
        if (ctx.del_stmt() != null) {
            return new Stmt.Other(p, "Delete", elements(ctx.del_stmt().exprlist().children), List.of());
        }
        if (ctx.flow_stmt() != null) {
            return flow(ctx.flow_stmt(), p);
        }
        if (ctx.global_stmt() != null) {
            return new Stmt.Other(p, "Global", names(ctx.global_stmt().name()), List.of());
        }
        if (ctx.nonlocal_stmt() != null) {
            return new Stmt.Other(p, "Nonlocal", names(ctx.nonlocal_stmt().name()), List.of());
        }
        if (ctx.assert_stmt() != null) {
            return new Stmt.Other(p, "Assert", tests(ctx.assert_stmt().test()), List.of());
        }
        Type_alias_stmtContext alias = ctx.type_alias_stmt();
        return new Stmt.Other(p, "TypeAlias", List.of(name(alias.name()), test(alias.test())), List.of());
    }

    private Stmt flow(Flow_stmtContext ctx, Pos p) {
        if (ctx.BREAK() != null) {
            return new Stmt.Other(p, "Break", List.of(), List.of());
        }
        if (ctx.CONTINUE() != null) {
            return new Stmt.Other(p, "Continue", List.of(), List.of());
        }
        if (ctx.return_stmt() != null) {
            Testlist_star_exprContext value = ctx.return_stmt().testlist_star_expr();
            return new Stmt.Return(p, value == null ? null : testlistStarExpr(value));
        }
        if (ctx.raise_stmt() != null) {
            return new Stmt.Other(p, "Raise", tests(ctx.raise_stmt().test()), List.of());
        }
        return new Stmt.ExprStmt(p, yieldExpr(ctx.yield_expr()));
    }

    private Stmt exprStmt(Expr_stmtContext ctx) {
        Pos p = pos(ctx);
        Expr first = testlistStarExpr(ctx.testlist_star_expr(0));
        if (ctx.annassign() != null) {
            AnnassignContext ann = ctx.annassign();
            Expr value = ann.yield_expr() != null ? yieldExpr(ann.yield_expr())
                    : ann.testlist_star_expr() != null ? testlistStarExpr(ann.testlist_star_expr()) : null;
            return new Stmt.AnnAssign(p, first, test(ann.test()), value);
        }
        if (ctx.augassign() != null) {
            String op = ctx.augassign().getText();
            Expr value = ctx.yield_expr().isEmpty() ? testlistStarExpr(ctx.testlist_star_expr(1))
                    : yieldExpr(ctx.yield_expr(0));
            return new Stmt.AugAssign(p, first, op.substring(0, op.length() - 1), value);
        }
        List<Expr> parts = new ArrayList<>();
        for (ParseTree child : ctx.children) {
            if (child instanceof Testlist_star_exprContext t) {
                parts.add(testlistStarExpr(t));
            } else if (child instanceof Yield_exprContext y) {
                parts.add(yieldExpr(y));
            }
        }
        if (parts.size() == 1) {
            return new Stmt.ExprStmt(p, first);
        }
        return new Stmt.Assign(p, List.copyOf(parts.subList(0, parts.size() - 1)), parts.get(parts.size() - 1));
    }

    private Stmt importName(Import_nameContext ctx) {
        List<Stmt.Alias> aliases = new ArrayList<>();
        for (Dotted_as_nameContext d : ctx.dotted_as_names().dotted_as_name()) {
            aliases.add(new Stmt.Alias(d.dotted_name().getText(), d.name() == null ? null : d.name().getText()));
        }
        return new Stmt.Import(pos(ctx), List.copyOf(aliases));
    }

    private Stmt importFrom(Import_fromContext ctx) {
        int level = 0;
        for (TerminalNode dot : ctx.DOT()) {
            level += dot.getText().length();
        }
        for (TerminalNode dots : ctx.ELLIPSIS()) {
            level += dots.getText().length();
        }
        String module = ctx.dotted_name() == null ? null : ctx.dotted_name().getText();
        List<Stmt.Alias> aliases = new ArrayList<>();
        if (ctx.STAR() != null) {
            aliases.add(new Stmt.Alias("*", null));
        } else {
            for (Import_as_nameContext n : ctx.import_as_names().import_as_name()) {
                aliases.add(new Stmt.Alias(n.name(0).getText(), n.name().size() > 1 ? n.name(1).getText() : null));
            }
        }
        return new Stmt.ImportFrom(pos(ctx), module, level, List.copyOf(aliases));
    }

    private Stmt compound(Compound_stmtContext ctx) {
        if (ctx.if_stmt() != null) {
            return ifStmt(ctx.if_stmt());
        }
        if (ctx.while_stmt() != null) {
            While_stmtContext w = ctx.while_stmt();
            return new Stmt.While(pos(w), namedexprTest(w.namedexpr_test()), block(w.block(0)),
                    w.block().size() > 1 ? block(w.block(1)) : List.of());
        }
        if (ctx.for_stmt() != null) {
            return forStmt(ctx.for_stmt(), false);
        }
        if (ctx.try_stmt() != null) {
            return tryStmt(ctx.try_stmt());
        }
        if (ctx.with_stmt() != null) {
            return withStmt(ctx.with_stmt(), false);
        }
        if (ctx.funcdef() != null) {
            return funcdef(ctx.funcdef(), List.of(), false, null);
        }
        if (ctx.classdef() != null) {
            return classdef(ctx.classdef(), List.of(), null);
        }
        if (ctx.decorated() != null) {
            return decorated(ctx.decorated());
        }
        if (ctx.async_stmt() != null) {
            Async_stmtContext a = ctx.async_stmt();
            if (a.funcdef() != null) {
                return funcdef(a.funcdef(), List.of(), true, a.getStart());
            }
            return a.with_stmt() != null ? withStmt(a.with_stmt(), true) : forStmt(a.for_stmt(), true);
        }
        return matchStmt(ctx.match_stmt());
    }

    private Stmt ifStmt(If_stmtContext ctx) {
        List<Namedexpr_testContext> tests = ctx.namedexpr_test();
        List<BlockContext> blocks = ctx.block();
        // An else block exists when there is one block more than conditions.
        List<Stmt> orElse = blocks.size() > tests.size() ? block(blocks.get(blocks.size() - 1)) : List.of();
        for (int i = tests.size() - 1; i >= 1; i--) {
            Namedexpr_testContext t = tests.get(i);
            Stmt elif = new Stmt.If(pos(t.getStart(), ctx.getStop()), namedexprTest(t), block(blocks.get(i)), orElse);
            orElse = List.of(elif);
        }
        return new Stmt.If(pos(ctx), namedexprTest(tests.get(0)), block(blocks.get(0)), orElse);
    }

    private Stmt forStmt(For_stmtContext ctx, boolean async) {
        return new Stmt.For(pos(ctx), exprlist(ctx.exprlist()), testlistStarExpr(ctx.testlist_star_expr()),
                block(ctx.block(0)), ctx.block().size() > 1 ? block(ctx.block(1)) : List.of(), async);
    }

    private Stmt tryStmt(Try_stmtContext ctx) {
        List<Stmt> body = null;
        List<Stmt.Handler> handlers = new ArrayList<>();
        List<Stmt> orElse = List.of();
        List<Stmt> finalBody = List.of();
        boolean star = false;
        Except_clauseContext pendingExcept = null;
        String pendingKeyword = "try";
        for (ParseTree child : ctx.children) {
            if (child instanceof TerminalNode t) {
                int type = t.getSymbol().getType();
                if (type == PythonLexer.ELSE) {
                    pendingKeyword = "else";
                } else if (type == PythonLexer.FINALLY) {
                    pendingKeyword = "finally";
                }
            } else if (child instanceof Except_clauseContext e) {
                pendingExcept = e;
                pendingKeyword = "except";
                star |= e.STAR() != null;
            } else if (child instanceof BlockContext b) {
                List<Stmt> stmts = block(b);
                switch (pendingKeyword) {
                    case "try" -> body = stmts;
                    case "except" -> handlers.add(new Stmt.Handler(pos(pendingExcept),
                            exceptType(pendingExcept),
                            pendingExcept.name() == null ? null : pendingExcept.name().getText(), stmts));
                    case "else" -> orElse = stmts;
                    default -> finalBody = stmts;
                }
            }
        }
        return new Stmt.Try(pos(ctx), body, List.copyOf(handlers), orElse, finalBody, star);
    }

    /** The caught type; PEP 758's `except A, B:` is the tuple (A, B). */
    private Expr exceptType(Except_clauseContext e) {
        if (e.test().isEmpty()) {
            return null;
        }
        if (e.test().size() == 1) {
            return test(e.test(0));
        }
        return new Expr.TupleExpr(pos(e.test(0).getStart(), e.getStop()), tests(e.test()));
    }

    private Stmt withStmt(With_stmtContext ctx, boolean async) {
        List<Stmt.WithItem> items = new ArrayList<>();
        for (With_itemContext item : ctx.with_item()) {
            items.add(new Stmt.WithItem(test(item.test()), item.expr() == null ? null : expr(item.expr())));
        }
        return new Stmt.With(pos(ctx), List.copyOf(items), block(ctx.block()), async);
    }

    private Stmt decorated(DecoratedContext ctx) {
        List<Expr> decorators = new ArrayList<>();
        for (DecoratorContext d : ctx.decorator()) {
            decorators.add(namedexprTest(d.namedexpr_test()));
        }
        Token start = ctx.getStart();
        if (ctx.classdef() != null) {
            return classdef(ctx.classdef(), List.copyOf(decorators), start);
        }
        if (ctx.funcdef() != null) {
            return funcdef(ctx.funcdef(), List.copyOf(decorators), false, start);
        }
        return funcdef(ctx.async_funcdef().funcdef(), List.copyOf(decorators), true, start);
    }

    private Stmt funcdef(FuncdefContext ctx, List<Expr> decorators, boolean async, Token start) {
        // Python's ast puts a function at its `def` (or `async`) line, decorators aside.
        Token first = async && start != null && start.getType() == PythonLexer.ASYNC ? start : ctx.getStart();
        List<Param> params = ctx.parameters().typedargslist() == null ? List.of()
                : typedParams(ctx.parameters().typedargslist());
        return new Stmt.FunctionDef(pos(first, ctx.getStop()), ctx.name().getText(), params,
                ctx.test() == null ? null : test(ctx.test()), decorators, block(ctx.block()), async);
    }

    private Stmt classdef(ClassdefContext ctx, List<Expr> decorators, Token start) {
        List<Expr> bases = new ArrayList<>();
        List<Expr.Keyword> keywords = new ArrayList<>();
        if (ctx.arglist() != null) {
            arguments(ctx.arglist(), bases, keywords);
        }
        return new Stmt.ClassDef(pos(ctx), ctx.name().getText(), List.copyOf(bases), List.copyOf(keywords),
                decorators, block(ctx.block()));
    }

    private Stmt matchStmt(Match_stmtContext ctx) {
        List<Expr> exprs = new ArrayList<>();
        exprs.add(subject(ctx.subject_expr()));
        List<List<Stmt>> bodies = new ArrayList<>();
        for (Case_blockContext c : ctx.case_block()) {
            if (c.namedexpr_test() != null) {
                exprs.add(namedexprTest(c.namedexpr_test()));
            }
            bodies.add(block(c.block()));
        }
        return new Stmt.Other(pos(ctx), "Match", List.copyOf(exprs), List.copyOf(bodies));
    }

    private Expr subject(Subject_exprContext ctx) {
        return sequence(ctx, ctx.children, ctx.COMMA().isEmpty());
    }

    // ------------------------------------------------------------------ parameters

    private List<Param> typedParams(TypedargslistContext ctx) {
        List<Param> params = new ArrayList<>();
        boolean keywordOnly = false;
        for (Typed_paramContext p : ctx.typed_param()) {
            if (p.DIV() != null) {
                markPositionalOnly(params);
            } else if (p.STAR() != null) {
                keywordOnly = true;
                if (p.name() != null) {
                    Expr annotation = p.test() != null ? test(p.test()) : p.star_expr() != null ? starExpr(p.star_expr()) : null;
                    params.add(new Param(pos(p), p.name().getText(), Param.Kind.VAR_POSITIONAL, annotation, null));
                }
            } else if (p.POWER() != null) {
                TfpdefContext d = p.tfpdef();
                params.add(new Param(pos(p), d.name().getText(), Param.Kind.VAR_KEYWORD,
                        d.test() == null ? null : test(d.test()), null));
            } else {
                TfpdefContext d = p.tfpdef();
                params.add(new Param(pos(p), d.name().getText(), keywordOnly ? Param.Kind.KEYWORD_ONLY : Param.Kind.POSITIONAL,
                        d.test() == null ? null : test(d.test()), p.test() == null ? null : test(p.test())));
            }
        }
        return List.copyOf(params);
    }

    private List<Param> lambdaParams(VarargslistContext ctx) {
        List<Param> params = new ArrayList<>();
        boolean keywordOnly = false;
        for (Lambda_paramContext p : ctx.lambda_param()) {
            if (p.DIV() != null) {
                markPositionalOnly(params);
            } else if (p.STAR() != null) {
                keywordOnly = true;
                if (p.name() != null) {
                    params.add(new Param(pos(p), p.name().getText(), Param.Kind.VAR_POSITIONAL, null, null));
                }
            } else if (p.POWER() != null) {
                params.add(new Param(pos(p), p.name().getText(), Param.Kind.VAR_KEYWORD, null, null));
            } else {
                params.add(new Param(pos(p), p.name().getText(), keywordOnly ? Param.Kind.KEYWORD_ONLY : Param.Kind.POSITIONAL,
                        null, p.test() == null ? null : test(p.test())));
            }
        }
        return List.copyOf(params);
    }

    private static void markPositionalOnly(List<Param> params) {
        for (int i = 0; i < params.size(); i++) {
            Param q = params.get(i);
            params.set(i, new Param(q.pos(), q.name(), Param.Kind.POSITIONAL_ONLY, q.annotation(), q.defaultValue()));
        }
    }

    // ------------------------------------------------------------------ expressions

    private List<Expr> tests(List<TestContext> ctxs) {
        List<Expr> out = new ArrayList<>(ctxs.size());
        for (TestContext t : ctxs) {
            out.add(test(t));
        }
        return List.copyOf(out);
    }

    private List<Expr> names(List<NameContext> ctxs) {
        List<Expr> out = new ArrayList<>(ctxs.size());
        for (NameContext n : ctxs) {
            out.add(name(n));
        }
        return List.copyOf(out);
    }

    private Expr name(NameContext ctx) {
        return new Expr.Name(pos(ctx), ctx.getText());
    }

    Expr namedexprTest(Namedexpr_testContext ctx) {
        if (ctx.WALRUS() == null) {
            return test(ctx.test(0));
        }
        return new Expr.Other(pos(ctx), "NamedExpr", List.of(test(ctx.test(0)), test(ctx.test(1))));
    }

    Expr test(TestContext ctx) {
        if (ctx.lambdef() != null) {
            LambdefContext l = ctx.lambdef();
            return new Expr.Lambda(pos(l), l.varargslist() == null ? List.of() : lambdaParams(l.varargslist()), test(l.test()));
        }
        if (ctx.IF() == null) {
            return orTest(ctx.or_test(0));
        }
        return new Expr.Other(pos(ctx), "IfExp", List.of(orTest(ctx.or_test(1)), orTest(ctx.or_test(0)), test(ctx.test())));
    }

    private Expr orTest(Or_testContext ctx) {
        return boolOp(ctx, "Or", ctx.and_test(), this::andTest);
    }

    private Expr andTest(And_testContext ctx) {
        return boolOp(ctx, "And", ctx.not_test(), this::notTest);
    }

    /** `a or b or c` is one node with three operands, as in Python's ast; a single operand is itself. */
    private <T extends ParserRuleContext> Expr boolOp(ParserRuleContext ctx, String kind, List<T> operands,
                                                      java.util.function.Function<T, Expr> build) {
        if (operands.size() == 1) {
            return build.apply(operands.get(0));
        }
        List<Expr> values = new ArrayList<>(operands.size());
        for (T operand : operands) {
            values.add(build.apply(operand));
        }
        return new Expr.Other(pos(ctx), kind, List.copyOf(values));
    }

    private Expr notTest(Not_testContext ctx) {
        if (ctx.NOT() != null) {
            return new Expr.UnaryOp(pos(ctx), "not", notTest(ctx.not_test()));
        }
        ComparisonContext c = ctx.comparison();
        if (c.expr().size() == 1) {
            return expr(c.expr(0));
        }
        List<Expr> operands = new ArrayList<>();
        for (ExprContext e : c.expr()) {
            operands.add(expr(e));
        }
        return new Expr.Other(pos(c), "Compare", List.copyOf(operands));
    }

    private Expr starExpr(Star_exprContext ctx) {
        return new Expr.Starred(pos(ctx), expr(ctx.expr()));
    }

    Expr expr(ExprContext ctx) {
        return binaryChain(ctx);
    }

    /**
     * The binary operator levels (| ^ & << >> + - * @ / % //) all have the shape
     * operand (operator operand)*: fold them left, as Python does.
     */
    private Expr binaryChain(ParserRuleContext ctx) {
        List<ParseTree> children = ctx.children;
        Expr left = operand(children.get(0));
        for (int i = 1; i + 1 < children.size(); i += 2) {
            Expr right = operand(children.get(i + 1));
            left = new Expr.BinOp(pos(ctx.getStart(), ((ParserRuleContext) children.get(i + 1)).getStop()),
                    left, children.get(i).getText(), right);
        }
        return left;
    }

    private Expr operand(ParseTree tree) {
        if (tree instanceof FactorContext f) {
            return factor(f);
        }
        return binaryChain((ParserRuleContext) tree);
    }

    private Expr factor(FactorContext ctx) {
        if (ctx.power() != null) {
            return power(ctx.power());
        }
        return new Expr.UnaryOp(pos(ctx), ctx.getChild(0).getText(), factor(ctx.factor()));
    }

    private Expr power(PowerContext ctx) {
        Expr e = atom(ctx.atom());
        Token start = ctx.atom().getStart();
        for (TrailerContext t : ctx.trailer()) {
            e = trailer(e, t, start);
        }
        if (ctx.AWAIT() != null) {
            e = new Expr.Other(pos(ctx.getStart(), ctx.trailer().isEmpty() ? ctx.atom().getStop()
                    : ctx.trailer(ctx.trailer().size() - 1).getStop()), "Await", List.of(e));
        }
        if (ctx.factor() != null) {
            e = new Expr.BinOp(pos(ctx), e, "**", factor(ctx.factor()));
        }
        return e;
    }

    private Expr trailer(Expr value, TrailerContext t, Token start) {
        Pos p = pos(start, t.getStop());
        if (t.DOT() != null) {
            return new Expr.Attribute(p, value, t.name().getText());
        }
        if (t.OPEN_PAREN() != null) {
            List<Expr> args = new ArrayList<>();
            List<Expr.Keyword> keywords = new ArrayList<>();
            if (t.arglist() != null) {
                arguments(t.arglist(), args, keywords);
            }
            return new Expr.Call(p, value, List.copyOf(args), List.copyOf(keywords));
        }
        List<Expr> index = new ArrayList<>();
        for (SubscriptContext s : t.subscriptlist().subscript()) {
            index.add(subscript(s));
        }
        return new Expr.Subscript(p, value, List.copyOf(index));
    }

    private Expr subscript(SubscriptContext ctx) {
        if (ctx.COLON().isEmpty()) {
            return ctx.star_expr() != null ? starExpr(ctx.star_expr()) : namedexprTest(ctx.namedexpr_test());
        }
        return new Expr.Other(pos(ctx), "Slice", tests(ctx.test()));
    }

    private void arguments(ArglistContext ctx, List<Expr> args, List<Expr.Keyword> keywords) {
        for (ArgumentContext a : ctx.argument()) {
            if (a.ASSIGN() != null) {
                keywords.add(new Expr.Keyword(pos(a), a.name().getText(), test(a.test())));
            } else if (a.WALRUS() != null) {
                args.add(new Expr.Other(pos(a), "NamedExpr", List.of(name(a.name()), test(a.test()))));
            } else if (a.POWER() != null) {
                keywords.add(new Expr.Keyword(pos(a), null, test(a.test())));
            } else if (a.STAR() != null) {
                args.add(new Expr.Starred(pos(a), test(a.test())));
            } else if (a.comp_for() != null) {
                args.add(comprehension(pos(a), "GeneratorExp", List.of(test(a.test())), a.comp_for()));
            } else {
                args.add(test(a.test()));
            }
        }
    }

    private Expr comprehension(Pos p, String kind, List<Expr> elements, Comp_forContext first) {
        List<Expr> children = new ArrayList<>(elements);
        ParserRuleContext clause = first;
        while (clause != null) {
            if (clause instanceof Comp_forContext f) {
                children.add(exprlist(f.exprlist()));
                children.add(orTest(f.or_test()));
                clause = f.comp_for() != null ? f.comp_for() : f.comp_if();
            } else {
                Comp_ifContext i = (Comp_ifContext) clause;
                children.add(orTest(i.or_test()));
                clause = i.comp_for() != null ? i.comp_for() : i.comp_if();
            }
        }
        return new Expr.Other(p, kind, List.copyOf(children));
    }

    private Expr atom(AtomContext ctx) {
        Pos p = pos(ctx);
        if (ctx.name() != null) {
            return new Expr.Name(p, ctx.getText());
        }
        if (ctx.NUMBER() != null) {
            return Literals.number(p, ctx.NUMBER().getText());
        }
        if (ctx.strings() != null) {
            return Literals.strings(p, ctx.strings().children);
        }
        if (ctx.OPEN_PAREN() != null) {
            if (ctx.yield_expr() != null) {
                return yieldExpr(ctx.yield_expr());
            }
            if (ctx.testlist_comp() == null) {
                return new Expr.TupleExpr(p, List.of());
            }
            Testlist_compContext t = ctx.testlist_comp();
            if (t.comp_for() != null) {
                return comprehension(p, "GeneratorExp", List.of(element(t.getChild(0))), t.comp_for());
            }
            if (t.COMMA().isEmpty()) {
                return element(t.getChild(0)); // parentheses only group
            }
            return new Expr.TupleExpr(p, elements(t.children));
        }
        if (ctx.OPEN_BRACK() != null) {
            Testlist_compContext t = ctx.testlist_comp();
            if (t == null) {
                return new Expr.ListExpr(p, List.of());
            }
            if (t.comp_for() != null) {
                return comprehension(p, "ListComp", List.of(element(t.getChild(0))), t.comp_for());
            }
            return new Expr.ListExpr(p, elements(t.children));
        }
        if (ctx.OPEN_BRACE() != null) {
            return braces(p, ctx.dictorsetmaker());
        }
        if (ctx.ELLIPSIS() != null) {
            return new Expr.Constant(p, Expr.Constant.Kind.ELLIPSIS);
        }
        if (ctx.NONE() != null) {
            return new Expr.Constant(p, Expr.Constant.Kind.NONE);
        }
        return new Expr.Constant(p, ctx.TRUE() != null ? Expr.Constant.Kind.TRUE : Expr.Constant.Kind.FALSE);
    }

    private Expr braces(Pos p, DictorsetmakerContext ctx) {
        if (ctx == null) {
            return new Expr.DictExpr(p, List.of(), List.of());
        }
        if (ctx.dict_item().isEmpty()) {
            if (ctx.comp_for() != null) {
                return comprehension(p, "SetComp", List.of(element(ctx.getChild(0))), ctx.comp_for());
            }
            return new Expr.SetExpr(p, elements(ctx.children));
        }
        if (ctx.comp_for() != null) {
            Dict_itemContext item = ctx.dict_item(0);
            List<Expr> kv = item.POWER() != null ? List.of(expr(item.expr()))
                    : List.of(test(item.test(0)), test(item.test(1)));
            return comprehension(p, "DictComp", kv, ctx.comp_for());
        }
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        for (Dict_itemContext item : ctx.dict_item()) {
            if (item.POWER() != null) {
                keys.add(null);
                values.add(expr(item.expr()));
            } else {
                keys.add(test(item.test(0)));
                values.add(test(item.test(1)));
            }
        }
        return new Expr.DictExpr(p, java.util.Collections.unmodifiableList(keys), List.copyOf(values));
    }

    private Expr yieldExpr(Yield_exprContext ctx) {
        List<Expr> children = ctx.test() != null ? List.of(test(ctx.test()))
                : ctx.testlist_star_expr() != null ? List.of(testlistStarExpr(ctx.testlist_star_expr())) : List.of();
        return new Expr.Other(pos(ctx), ctx.FROM() != null ? "YieldFrom" : "Yield", children);
    }

    private Expr testlistStarExpr(Testlist_star_exprContext ctx) {
        return sequence(ctx, ctx.children, ctx.COMMA().isEmpty());
    }

    private Expr exprlist(ExprlistContext ctx) {
        return sequence(ctx, ctx.children, ctx.COMMA().isEmpty());
    }

    /** A comma-separated list is a tuple; a single element without a comma is just that element. */
    private Expr sequence(ParserRuleContext ctx, List<ParseTree> children, boolean noComma) {
        List<Expr> elts = elements(children);
        if (noComma && elts.size() == 1) {
            return elts.get(0);
        }
        return new Expr.TupleExpr(pos(ctx), elts);
    }

    private List<Expr> elements(List<ParseTree> children) {
        List<Expr> out = new ArrayList<>();
        for (ParseTree child : children) {
            if (!(child instanceof TerminalNode)) {
                out.add(element(child));
            }
        }
        return List.copyOf(out);
    }

    private Expr element(ParseTree child) {
        if (child instanceof TestContext t) {
            return test(t);
        }
        if (child instanceof Namedexpr_testContext n) {
            return namedexprTest(n);
        }
        if (child instanceof Star_exprContext s) {
            return starExpr(s);
        }
        if (child instanceof ExprContext e) {
            return expr(e);
        }
        throw new IllegalStateException("unexpected element " + child.getClass().getSimpleName());
    }
}
