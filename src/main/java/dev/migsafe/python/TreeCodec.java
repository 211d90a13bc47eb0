package dev.migsafe.python;

import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Param;
import dev.migsafe.python.ast.Pos;
import dev.migsafe.python.ast.Stmt;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A compact binary form of a parse result ({@link ModuleParser.Parsed}), for the parse cache:
 * the whole syntax tree with positions, the decoded source and the comments, so that a decoded
 * tree is equal to the parsed one and every rule sees exactly what a fresh parse gives.
 *
 * Written by hand rather than by reflection or Java serialization: decoding must be many times
 * faster than parsing on a cold JVM, and a node kind the codec does not know must fail loudly
 * (the cache then simply does not store that file). Integers are varints; each distinct string
 * is written once per file and referred to by index afterwards.
 */
public final class TreeCodec {

    private TreeCodec() {}

    public static byte[] encode(ModuleParser.Parsed parsed) {
        Writer w = new Writer();
        w.bool(parsed.usedLl());
        if (parsed.ok()) {
            w.varint(1);
            Module m = parsed.module();
            w.text(m.source());
            w.varint(m.comments().size());
            for (Module.Comment c : m.comments()) {
                w.varint(c.line());
                w.varint(c.column());
                w.string(c.text());
            }
            w.stmts(m.body());
        } else {
            w.varint(0);
            SyntaxProblem p = parsed.problem();
            w.string(p.rule());
            w.varint(p.line());
            w.varint(p.column());
            w.string(p.message());
        }
        return w.toBytes();
    }

    public static ModuleParser.Parsed decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** Decodes the {@code length} bytes of {@code bytes} from {@code offset}. */
    public static ModuleParser.Parsed decode(byte[] bytes, int offset, int length) {
        if (length < 0) {
            throw new CompactIO.Malformed("bad range");
        }
        Reader r = new Reader(bytes, offset, offset + length);
        try {
            boolean usedLl = r.bool();
            int kind = r.varint();
            ModuleParser.Parsed out;
            if (kind == 1) {
                String source = r.text();
                int n = r.count();
                Module.Comment[] comments = new Module.Comment[n];
                for (int i = 0; i < n; i++) {
                    comments[i] = new Module.Comment(r.varint(), r.varint(), r.string());
                }
                out = new ModuleParser.Parsed(new Module(r.stmts(), source, List.of(comments)), null, usedLl);
            } else if (kind == 0) {
                out = new ModuleParser.Parsed(null, new SyntaxProblem(r.string(), r.varint(), r.varint(), r.string()), usedLl);
            } else {
                throw new CompactIO.Malformed("unknown result kind " + kind);
            }
            if (!r.atEnd()) {
                throw new CompactIO.Malformed("trailing bytes");
            }
            return out;
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException | IllegalArgumentException e) {
            throw new CompactIO.Malformed("truncated or corrupt: " + e);
        }
    }

    // Node tags. Append new kinds at the end; changing one changes the parser fingerprint anyway.
    private static final int NULL = 0;
    private static final int E_NAME = 1, E_ATTRIBUTE = 2, E_CALL = 3, E_STR = 4, E_FSTRING = 5, E_INT = 6,
            E_FLOAT = 7, E_IMAGINARY = 8, E_CONSTANT = 9, E_LIST = 10, E_TUPLE = 11, E_SET = 12, E_DICT = 13,
            E_STARRED = 14, E_BINOP = 15, E_UNARYOP = 16, E_SUBSCRIPT = 17, E_LAMBDA = 18, E_OTHER = 19;
    private static final int S_EXPR = 1, S_ASSIGN = 2, S_AUGASSIGN = 3, S_ANNASSIGN = 4, S_IMPORT = 5,
            S_IMPORTFROM = 6, S_FUNCTIONDEF = 7, S_CLASSDEF = 8, S_RETURN = 9, S_IF = 10, S_FOR = 11,
            S_WHILE = 12, S_WITH = 13, S_TRY = 14, S_OTHER = 15;

    private static final class Writer extends CompactIO.Writer {
        void pos(Pos p) {
            varint(p.line());
            varint(p.column());
            // start and stop can be -1 for synthesized nodes: shift by one.
            varint(p.start() + 1);
            varint(p.stop() - p.start() + 1);
        }

        void exprs(List<Expr> list) {
            varint(list.size());
            for (Expr e : list) {
                expr(e);
            }
        }

        void stmts(List<Stmt> list) {
            varint(list.size());
            for (Stmt s : list) {
                stmt(s);
            }
        }

        void keywords(List<Expr.Keyword> list) {
            varint(list.size());
            for (Expr.Keyword k : list) {
                pos(k.pos());
                string(k.name());
                expr(k.value());
            }
        }

        void params(List<Param> list) {
            varint(list.size());
            for (Param p : list) {
                pos(p.pos());
                string(p.name());
                varint(p.kind().ordinal());
                expr(p.annotation());
                expr(p.defaultValue());
            }
        }

        void aliases(List<Stmt.Alias> list) {
            varint(list.size());
            for (Stmt.Alias a : list) {
                string(a.name());
                string(a.asName());
            }
        }

        void expr(Expr e) {
            if (e == null) {
                varint(NULL);
                return;
            }
            if (e instanceof Expr.Name n) {
                varint(E_NAME);
                pos(e.pos());
                string(n.id());
            } else if (e instanceof Expr.Attribute a) {
                varint(E_ATTRIBUTE);
                pos(e.pos());
                expr(a.value());
                string(a.attr());
            } else if (e instanceof Expr.Call c) {
                varint(E_CALL);
                pos(e.pos());
                expr(c.func());
                exprs(c.args());
                keywords(c.keywords());
            } else if (e instanceof Expr.Str s) {
                varint(E_STR);
                pos(e.pos());
                string(s.value());
                bool(s.bytes());
            } else if (e instanceof Expr.FString) {
                varint(E_FSTRING);
                pos(e.pos());
            } else if (e instanceof Expr.Int i) {
                varint(E_INT);
                pos(e.pos());
                string(i.value().toString(16));
            } else if (e instanceof Expr.Float f) {
                varint(E_FLOAT);
                pos(e.pos());
                long bits = Double.doubleToRawLongBits(f.value());
                varint((int) (bits >>> 32));
                varint((int) bits);
            } else if (e instanceof Expr.Imaginary i) {
                varint(E_IMAGINARY);
                pos(e.pos());
                string(i.text());
            } else if (e instanceof Expr.Constant c) {
                varint(E_CONSTANT);
                pos(e.pos());
                varint(c.kind().ordinal());
            } else if (e instanceof Expr.ListExpr l) {
                varint(E_LIST);
                pos(e.pos());
                exprs(l.elts());
            } else if (e instanceof Expr.TupleExpr t) {
                varint(E_TUPLE);
                pos(e.pos());
                exprs(t.elts());
            } else if (e instanceof Expr.SetExpr s) {
                varint(E_SET);
                pos(e.pos());
                exprs(s.elts());
            } else if (e instanceof Expr.DictExpr d) {
                varint(E_DICT);
                pos(e.pos());
                exprs(d.keys());
                exprs(d.values());
            } else if (e instanceof Expr.Starred s) {
                varint(E_STARRED);
                pos(e.pos());
                expr(s.value());
            } else if (e instanceof Expr.BinOp b) {
                varint(E_BINOP);
                pos(e.pos());
                expr(b.left());
                string(b.op());
                expr(b.right());
            } else if (e instanceof Expr.UnaryOp u) {
                varint(E_UNARYOP);
                pos(e.pos());
                string(u.op());
                expr(u.operand());
            } else if (e instanceof Expr.Subscript s) {
                varint(E_SUBSCRIPT);
                pos(e.pos());
                expr(s.value());
                exprs(s.index());
            } else if (e instanceof Expr.Lambda l) {
                varint(E_LAMBDA);
                pos(e.pos());
                params(l.params());
                expr(l.body());
            } else if (e instanceof Expr.Other o) {
                varint(E_OTHER);
                pos(e.pos());
                string(o.kind());
                exprs(o.children());
            } else {
                throw new IllegalStateException("TreeCodec does not know " + e.getClass().getSimpleName());
            }
        }

        void stmt(Stmt s) {
            if (s instanceof Stmt.ExprStmt e) {
                varint(S_EXPR);
                pos(s.pos());
                expr(e.value());
            } else if (s instanceof Stmt.Assign a) {
                varint(S_ASSIGN);
                pos(s.pos());
                exprs(a.targets());
                expr(a.value());
            } else if (s instanceof Stmt.AugAssign a) {
                varint(S_AUGASSIGN);
                pos(s.pos());
                expr(a.target());
                string(a.op());
                expr(a.value());
            } else if (s instanceof Stmt.AnnAssign a) {
                varint(S_ANNASSIGN);
                pos(s.pos());
                expr(a.target());
                expr(a.annotation());
                expr(a.value());
            } else if (s instanceof Stmt.Import i) {
                varint(S_IMPORT);
                pos(s.pos());
                aliases(i.names());
            } else if (s instanceof Stmt.ImportFrom f) {
                varint(S_IMPORTFROM);
                pos(s.pos());
                string(f.module());
                varint(f.level());
                aliases(f.names());
            } else if (s instanceof Stmt.FunctionDef f) {
                varint(S_FUNCTIONDEF);
                pos(s.pos());
                string(f.name());
                params(f.params());
                expr(f.returns());
                exprs(f.decorators());
                stmts(f.body());
                bool(f.async());
            } else if (s instanceof Stmt.ClassDef c) {
                varint(S_CLASSDEF);
                pos(s.pos());
                string(c.name());
                exprs(c.bases());
                keywords(c.keywords());
                exprs(c.decorators());
                stmts(c.body());
            } else if (s instanceof Stmt.Return r) {
                varint(S_RETURN);
                pos(s.pos());
                expr(r.value());
            } else if (s instanceof Stmt.If i) {
                varint(S_IF);
                pos(s.pos());
                expr(i.test());
                stmts(i.body());
                stmts(i.orElse());
            } else if (s instanceof Stmt.For f) {
                varint(S_FOR);
                pos(s.pos());
                expr(f.target());
                expr(f.iter());
                stmts(f.body());
                stmts(f.orElse());
                bool(f.async());
            } else if (s instanceof Stmt.While w) {
                varint(S_WHILE);
                pos(s.pos());
                expr(w.test());
                stmts(w.body());
                stmts(w.orElse());
            } else if (s instanceof Stmt.With w) {
                varint(S_WITH);
                pos(s.pos());
                varint(w.items().size());
                for (Stmt.WithItem item : w.items()) {
                    expr(item.context());
                    expr(item.target());
                }
                stmts(w.body());
                bool(w.async());
            } else if (s instanceof Stmt.Try t) {
                varint(S_TRY);
                pos(s.pos());
                stmts(t.body());
                varint(t.handlers().size());
                for (Stmt.Handler h : t.handlers()) {
                    pos(h.pos());
                    expr(h.type());
                    string(h.name());
                    stmts(h.body());
                }
                stmts(t.orElse());
                stmts(t.finalBody());
                bool(t.star());
            } else if (s instanceof Stmt.Other o) {
                varint(S_OTHER);
                pos(s.pos());
                string(o.kind());
                exprs(o.exprs());
                varint(o.bodies().size());
                for (List<Stmt> body : o.bodies()) {
                    stmts(body);
                }
            } else {
                throw new IllegalStateException("TreeCodec does not know " + (s == null ? "null" : s.getClass().getSimpleName()));
            }
        }
    }

    private static final class Reader extends CompactIO.Reader {

        Reader(byte[] buf, int at, int end) {
            super(buf, at, end);
        }

        Pos pos() {
            int line = varint();
            int column = varint();
            int start = varint() - 1;
            int stop = start + varint() - 1;
            return new Pos(line, column, start, stop);
        }

        /** Lists may hold nulls (dict keys of ** entries, omitted slice bounds): no List.copyOf. */
        List<Expr> exprs() {
            int n = count();
            if (n == 0) {
                return List.of();
            }
            Expr[] items = new Expr[n];
            for (int i = 0; i < n; i++) {
                items[i] = expr();
            }
            return Collections.unmodifiableList(Arrays.asList(items));
        }

        List<Stmt> stmts() {
            int n = count();
            if (n == 0) {
                return List.of();
            }
            Stmt[] items = new Stmt[n];
            for (int i = 0; i < n; i++) {
                items[i] = stmt();
            }
            return List.of(items);
        }

        List<Expr.Keyword> keywords() {
            int n = count();
            if (n == 0) {
                return List.of();
            }
            Expr.Keyword[] items = new Expr.Keyword[n];
            for (int i = 0; i < n; i++) {
                items[i] = new Expr.Keyword(pos(), string(), expr());
            }
            return List.of(items);
        }

        List<Param> params() {
            int n = count();
            if (n == 0) {
                return List.of();
            }
            Param[] items = new Param[n];
            for (int i = 0; i < n; i++) {
                items[i] = new Param(pos(), string(), enumValue(Param.Kind.values()), expr(), expr());
            }
            return List.of(items);
        }

        List<Stmt.Alias> aliases() {
            int n = count();
            Stmt.Alias[] items = new Stmt.Alias[n];
            for (int i = 0; i < n; i++) {
                items[i] = new Stmt.Alias(requiredString(), string());
            }
            return List.of(items);
        }

        Expr expr() {
            int tag = varint();
            if (tag == NULL) {
                return null;
            }
            Pos p = pos();
            return switch (tag) {
                case E_NAME -> new Expr.Name(p, requiredString());
                case E_ATTRIBUTE -> new Expr.Attribute(p, expr(), requiredString());
                case E_CALL -> new Expr.Call(p, expr(), exprs(), keywords());
                case E_STR -> new Expr.Str(p, requiredString(), bool());
                case E_FSTRING -> new Expr.FString(p);
                case E_INT -> new Expr.Int(p, new BigInteger(requiredString(), 16));
                case E_FLOAT -> new Expr.Float(p, Double.longBitsToDouble(((long) varint() << 32) | (varint() & 0xFFFFFFFFL)));
                case E_IMAGINARY -> new Expr.Imaginary(p, requiredString());
                case E_CONSTANT -> new Expr.Constant(p, enumValue(Expr.Constant.Kind.values()));
                case E_LIST -> new Expr.ListExpr(p, exprs());
                case E_TUPLE -> new Expr.TupleExpr(p, exprs());
                case E_SET -> new Expr.SetExpr(p, exprs());
                case E_DICT -> new Expr.DictExpr(p, exprs(), exprs());
                case E_STARRED -> new Expr.Starred(p, expr());
                case E_BINOP -> new Expr.BinOp(p, expr(), requiredString(), expr());
                case E_UNARYOP -> new Expr.UnaryOp(p, requiredString(), expr());
                case E_SUBSCRIPT -> new Expr.Subscript(p, expr(), exprs());
                case E_LAMBDA -> new Expr.Lambda(p, params(), expr());
                case E_OTHER -> new Expr.Other(p, requiredString(), exprs());
                default -> throw new CompactIO.Malformed("unknown expression tag " + tag);
            };
        }

        Stmt stmt() {
            int tag = varint();
            Pos p = pos();
            return switch (tag) {
                case S_EXPR -> new Stmt.ExprStmt(p, expr());
                case S_ASSIGN -> new Stmt.Assign(p, exprs(), expr());
                case S_AUGASSIGN -> new Stmt.AugAssign(p, expr(), requiredString(), expr());
                case S_ANNASSIGN -> new Stmt.AnnAssign(p, expr(), expr(), expr());
                case S_IMPORT -> new Stmt.Import(p, aliases());
                case S_IMPORTFROM -> new Stmt.ImportFrom(p, string(), varint(), aliases());
                case S_FUNCTIONDEF -> new Stmt.FunctionDef(p, requiredString(), params(), expr(), exprs(), stmts(), bool());
                case S_CLASSDEF -> new Stmt.ClassDef(p, requiredString(), exprs(), keywords(), exprs(), stmts());
                case S_RETURN -> new Stmt.Return(p, expr());
                case S_IF -> new Stmt.If(p, expr(), stmts(), stmts());
                case S_FOR -> new Stmt.For(p, expr(), expr(), stmts(), stmts(), bool());
                case S_WHILE -> new Stmt.While(p, expr(), stmts(), stmts());
                case S_WITH -> new Stmt.With(p, withItems(), stmts(), bool());
                case S_TRY -> new Stmt.Try(p, stmts(), handlers(), stmts(), stmts(), bool());
                case S_OTHER -> new Stmt.Other(p, requiredString(), exprs(), bodies());
                default -> throw new CompactIO.Malformed("unknown statement tag " + tag);
            };
        }

        List<Stmt.WithItem> withItems() {
            int n = count();
            Stmt.WithItem[] items = new Stmt.WithItem[n];
            for (int i = 0; i < n; i++) {
                items[i] = new Stmt.WithItem(expr(), expr());
            }
            return List.of(items);
        }

        List<Stmt.Handler> handlers() {
            int n = count();
            Stmt.Handler[] items = new Stmt.Handler[n];
            for (int i = 0; i < n; i++) {
                items[i] = new Stmt.Handler(pos(), expr(), string(), stmts());
            }
            return List.of(items);
        }

        List<List<Stmt>> bodies() {
            int n = count();
            List<List<Stmt>> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(stmts());
            }
            return Collections.unmodifiableList(out);
        }
    }
}
