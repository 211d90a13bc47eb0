package dev.migsafe.python.ast;

import java.util.List;

/**
 * Visits every statement and expression of a body (a function's, a module's), parents before children. A visit
 * method returns false to skip the node's children.
 */
public abstract class Walker {

    public boolean stmt(Stmt s) {
        return true;
    }

    public boolean expr(Expr e) {
        return true;
    }

    public final void walk(List<Stmt> body) {
        for (Stmt s : body) {
            walk(s);
        }
    }

    public final void walk(Stmt s) {
        if (s == null || !stmt(s)) {
            return;
        }
        if (s instanceof Stmt.ExprStmt e) {
            walk(e.value());
        } else if (s instanceof Stmt.Assign a) {
            a.targets().forEach(this::walk);
            walk(a.value());
        } else if (s instanceof Stmt.AugAssign a) {
            walk(a.target());
            walk(a.value());
        } else if (s instanceof Stmt.AnnAssign a) {
            walk(a.target());
            walk(a.annotation());
            walk(a.value());
        } else if (s instanceof Stmt.FunctionDef f) {
            f.decorators().forEach(this::walk);
            params(f.params());
            walk(f.returns());
            walk(f.body());
        } else if (s instanceof Stmt.ClassDef c) {
            c.bases().forEach(this::walk);
            c.keywords().forEach(k -> walk(k.value()));
            c.decorators().forEach(this::walk);
            walk(c.body());
        } else if (s instanceof Stmt.Return r) {
            walk(r.value());
        } else if (s instanceof Stmt.If i) {
            walk(i.test());
            walk(i.body());
            walk(i.orElse());
        } else if (s instanceof Stmt.For f) {
            walk(f.target());
            walk(f.iter());
            walk(f.body());
            walk(f.orElse());
        } else if (s instanceof Stmt.While w) {
            walk(w.test());
            walk(w.body());
            walk(w.orElse());
        } else if (s instanceof Stmt.With w) {
            for (Stmt.WithItem item : w.items()) {
                walk(item.context());
                walk(item.target());
            }
            walk(w.body());
        } else if (s instanceof Stmt.Try t) {
            walk(t.body());
            for (Stmt.Handler h : t.handlers()) {
                walk(h.type());
                walk(h.body());
            }
            walk(t.orElse());
            walk(t.finalBody());
        } else if (s instanceof Stmt.Other o) {
            o.exprs().forEach(this::walk);
            o.bodies().forEach(this::walk);
        }
        // Import, ImportFrom: no expressions
    }

    public final void walk(Expr e) {
        if (e == null || !expr(e)) {
            return;
        }
        if (e instanceof Expr.Attribute a) {
            walk(a.value());
        } else if (e instanceof Expr.Call c) {
            walk(c.func());
            c.args().forEach(this::walk);
            c.keywords().forEach(k -> walk(k.value()));
        } else if (e instanceof Expr.ListExpr l) {
            l.elts().forEach(this::walk);
        } else if (e instanceof Expr.TupleExpr t) {
            t.elts().forEach(this::walk);
        } else if (e instanceof Expr.SetExpr s) {
            s.elts().forEach(this::walk);
        } else if (e instanceof Expr.DictExpr d) {
            d.keys().forEach(this::walk);
            d.values().forEach(this::walk);
        } else if (e instanceof Expr.Starred s) {
            walk(s.value());
        } else if (e instanceof Expr.BinOp b) {
            walk(b.left());
            walk(b.right());
        } else if (e instanceof Expr.UnaryOp u) {
            walk(u.operand());
        } else if (e instanceof Expr.Subscript s) {
            walk(s.value());
            s.index().forEach(this::walk);
        } else if (e instanceof Expr.Lambda l) {
            params(l.params());
            walk(l.body());
        } else if (e instanceof Expr.Other o) {
            o.children().forEach(this::walk);
        }
    }

    private void params(List<Param> params) {
        for (Param p : params) {
            walk(p.annotation());
            walk(p.defaultValue());
        }
    }
}
