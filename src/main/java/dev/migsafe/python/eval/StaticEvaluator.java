package dev.migsafe.python.eval;

import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Resolves expressions to {@link Value}s without running anything: literals, containers,
 * names through the module's imports and constants, calls (callee and arguments), string and
 * list concatenation. Whatever needs the interpreter becomes {@link Value.Opaque} with a reason.
 */
public final class StaticEvaluator {

    /** Opaque values quote at most this much source, so a huge expression cannot bloat output. */
    private static final int MAX_SOURCE = 300;
    private static final int MAX_DEPTH = 200;

    /**
     * What one evaluator may build: values counted as the trees the rest of migsafe walks (a step
     * per node evaluated, and a memoised constant's whole size at each use), and characters
     * joined by string concatenation. A real migration stays far below: even 20,000 fields that
     * each use a 200-item choices constant are 12 million values. A doubling bomb (`L1 = L0 + L0`
     * twenty-six times over, or `[L0, L0]`) reaches it after a few dozen steps.
     */
    static final long MAX_VALUES = 50_000_000;
    static final long MAX_CHARS = 64_000_000;

    /** A constant's value, the scope it was evaluated in, and its size as a tree. */
    private record Memo(Object scope, Value value, long size) {}

    /** The scope key of module-level constants (class-body names are keyed by their locals map). */
    private static final Object MODULE = new Object();

    private final Module module;
    private final ModuleScope scope;
    /** Module constants and class-body names evaluated once each: a name used many times costs one step per use. */
    private final Map<Expr, Memo> memo = new java.util.IdentityHashMap<>();
    private long values;
    private long chars;
    private final UnaryOperator<String> canonical;
    private final Set<String> resolving = new HashSet<>();
    private int depth;

    public StaticEvaluator(Module module, ModuleScope scope) {
        this(module, scope, UnaryOperator.identity());
    }

    /**
     * @param canonical maps a qualified name to its canonical form (a library can be imported
     *     from several modules); applied to every resolved reference and callee
     */
    public StaticEvaluator(Module module, ModuleScope scope, UnaryOperator<String> canonical) {
        this.module = module;
        this.scope = scope;
        this.canonical = canonical;
    }

    public ModuleScope scope() {
        return scope;
    }

    /** Evaluates at module level. */
    public Value eval(Expr e) {
        return eval(e, Map.of());
    }

    /**
     * Evaluates with a local scope first (e.g. the names bound earlier in a class body).
     * A local bound to null is known to be bound but unknowable (conditional).
     */
    public Value eval(Expr e, Map<String, Expr> locals) {
        count(1, e);
        if (++depth > MAX_DEPTH) {
            depth--;
            return opaque(e, "nested too deeply to evaluate");
        }
        try {
            return evalInner(e, locals);
        } finally {
            depth--;
        }
    }

    private Value evalInner(Expr e, Map<String, Expr> locals) {
        int line = e.pos().line();
        int col = e.pos().column();
        if (e instanceof Expr.Str s) {
            return new Value.Str(s.value(), s.bytes(), line, col);
        }
        if (e instanceof Expr.Int i) {
            return new Value.Num(i.value(), line, col);
        }
        if (e instanceof Expr.Float f) {
            return new Value.Num(f.value(), line, col);
        }
        if (e instanceof Expr.Constant c) {
            return switch (c.kind()) {
                case TRUE -> new Value.Bool(true, line, col);
                case FALSE -> new Value.Bool(false, line, col);
                case NONE -> new Value.None(line, col);
                case ELLIPSIS -> opaque(e, "Ellipsis");
            };
        }
        if (e instanceof Expr.ListExpr l) {
            return new Value.ListV(items(l.elts(), locals), line, col);
        }
        if (e instanceof Expr.TupleExpr t) {
            return new Value.TupleV(items(t.elts(), locals), line, col);
        }
        if (e instanceof Expr.SetExpr s) {
            return new Value.SetV(items(s.elts(), locals), line, col);
        }
        if (e instanceof Expr.DictExpr d) {
            return dict(d, locals);
        }
        if (e instanceof Expr.Name n) {
            return name(n, locals);
        }
        if (e instanceof Expr.Attribute a) {
            return reference(a, locals);
        }
        if (e instanceof Expr.Call c) {
            return call(c, locals);
        }
        if (e instanceof Expr.BinOp b) {
            return binOp(b, locals);
        }
        if (e instanceof Expr.UnaryOp u) {
            return unary(u, locals);
        }
        if (e instanceof Expr.Other o && o.kind().equals("IfExp")) {
            Boolean taken = truth(o.children().get(0), locals);
            if (taken != null) {
                return eval(o.children().get(taken ? 1 : 2), locals);
            }
        }
        if (e instanceof Expr.Other o) {
            return opaque(e, describe(o.kind()));
        }
        return opaque(e, e instanceof Expr.FString ? "f-string"
                : e instanceof Expr.Imaginary ? "complex number"
                : e instanceof Expr.Starred ? "unpacking"
                : e instanceof Expr.Subscript ? "subscript"
                : "lambda");
    }

    /**
     * Whether a condition is true, when that is known without running the module: a literal, an
     * emptiness test of a known container, or a name bound to an import, function or class. A
     * name imported in a {@code try} body counts as imported even when the {@code except}
     * handler rebinds it to None: migsafe judges a project on the Django it supports, where the
     * import succeeds (see {@link ModuleScope}). Null when it is not known.
     */
    public Boolean truth(Expr condition, Map<String, Expr> locals) {
        if (condition instanceof Expr.UnaryOp u && u.op().equals("not")) {
            Boolean inner = truth(u.operand(), locals);
            return inner == null ? null : !inner;
        }
        Value v = eval(condition, locals);
        Boolean literal = Value.truthOf(v);
        if (literal != null) {
            return literal;
        }
        if (condition instanceof Expr.Name && v instanceof Value.Ref r && (r.kind() == Value.RefKind.IMPORT
                || r.kind() == Value.RefKind.FUNCTION || r.kind() == Value.RefKind.CLASS)) {
            return true; // a module, class or function (an attribute of one, e.g. a setting, may be anything)
        }
        return null;
    }

    private static String describe(String kind) {
        return switch (kind) {
            case "ListComp", "SetComp", "DictComp", "GeneratorExp" -> "comprehension";
            case "IfExp" -> "conditional expression";
            case "And", "Or" -> "boolean operator";
            case "Compare" -> "comparison";
            default -> kind;
        };
    }

    /** Items of a display; `*NAME` elements whose value is a known list or tuple are spliced in. */
    private List<Value> items(List<Expr> elts, Map<String, Expr> locals) {
        List<Value> out = new ArrayList<>(elts.size());
        for (Expr elt : elts) {
            if (elt instanceof Expr.Starred s) {
                Value inner = eval(s.value(), locals);
                if (inner instanceof Value.ListV l) {
                    out.addAll(l.items());
                    continue;
                }
                if (inner instanceof Value.TupleV t) {
                    out.addAll(t.items());
                    continue;
                }
                out.add(opaque(elt, "unpacking of a value that is not a known list"));
                continue;
            }
            out.add(eval(elt, locals));
        }
        return Collections.unmodifiableList(out);
    }

    private Value dict(Expr.DictExpr d, Map<String, Expr> locals) {
        List<Value> keys = new ArrayList<>();
        List<Value> values = new ArrayList<>();
        for (int i = 0; i < d.keys().size(); i++) {
            Expr k = d.keys().get(i);
            keys.add(k == null ? opaque(d.values().get(i), "**mapping") : eval(k, locals));
            values.add(eval(d.values().get(i), locals));
        }
        return new Value.DictV(List.copyOf(keys), List.copyOf(values), d.pos().line(), d.pos().column());
    }

    private Value name(Expr.Name n, Map<String, Expr> locals) {
        String id = n.id();
        int line = n.pos().line();
        int col = n.pos().column();
        if (locals.containsKey(id)) {
            Expr local = locals.get(id);
            if (local == null) {
                return opaque(n, "'" + id + "' is assigned conditionally");
            }
            Map<String, Expr> without = new LinkedHashMap<>(locals);
            without.remove(id); // a class attribute's value sees only names bound before it
            return constantValue("local:" + id, local, without, n, locals);
        }
        String imported = scope.imports().get(id);
        if (imported != null) {
            return new Value.Ref(id, canonical.apply(imported), Value.RefKind.IMPORT, line, col);
        }
        if (scope.isConditional(id)) {
            return opaque(n, "'" + id + "' is assigned conditionally or more than once");
        }
        if (scope.functions().containsKey(id)) {
            return new Value.Ref(id, id, Value.RefKind.FUNCTION, line, col);
        }
        if (scope.classes().containsKey(id)) {
            return new Value.Ref(id, id, Value.RefKind.CLASS, line, col);
        }
        Expr constant = scope.constant(id);
        if (constant != null) {
            return constantValue(id, constant, Map.of(), n, MODULE);
        }
        return new Value.Ref(id, null, Value.RefKind.UNKNOWN, line, col);
    }

    /** @param scope what the value depends on besides {@code expr}: the same scope gives the same value */
    private Value constantValue(String key, Expr expr, Map<String, Expr> locals, Expr use, Object scope) {
        Memo known = memo.get(expr);
        if (known != null && known.scope() == scope) {
            count(known.size(), use);
            return known.value();
        }
        if (!resolving.add(key)) {
            return opaque(use, "'" + key + "' refers to itself");
        }
        long before = values;
        try {
            Value v = eval(expr, locals);
            memo.put(expr, new Memo(scope, v, values - before));
            return v;
        } finally {
            resolving.remove(key);
        }
    }

    /** Counts values against {@link #MAX_VALUES}. */
    private void count(long n, Expr where) {
        values += n;
        if (values > MAX_VALUES) {
            throw new EvaluationLimit("it builds more than " + MAX_VALUES
                    + " values (a constant built from itself again and again?)", where.pos().line(), where.pos().column());
        }
    }

    /** An attribute chain: qualified through the imports when its root is imported. */
    private Value reference(Expr.Attribute a, Map<String, Expr> locals) {
        String qualified = qualify(a, locals);
        Value.RefKind kind = Value.RefKind.IMPORT;
        if (qualified == null) {
            String root = rootName(a);
            if (root != null && scope.classes().containsKey(root)) {
                qualified = dotted(a);
                kind = Value.RefKind.CLASS_ATTRIBUTE;
            } else {
                kind = Value.RefKind.UNKNOWN;
            }
        }
        if (kind == Value.RefKind.IMPORT) {
            qualified = canonical.apply(qualified);
        }
        return new Value.Ref(source(a), qualified, kind, a.pos().line(), a.pos().column());
    }

    /** The qualified name of a Name/Attribute chain whose root is an import; null otherwise. */
    public String qualify(Expr e, Map<String, Expr> locals) {
        if (e instanceof Expr.Name n) {
            return locals.containsKey(n.id()) ? null : scope.imports().get(n.id());
        }
        if (e instanceof Expr.Attribute a) {
            String base = qualify(a.value(), locals);
            return base == null ? null : base + "." + a.attr();
        }
        return null;
    }

    private static String rootName(Expr e) {
        while (e instanceof Expr.Attribute a) {
            e = a.value();
        }
        return e instanceof Expr.Name n ? n.id() : null;
    }

    private static String dotted(Expr e) {
        if (e instanceof Expr.Name n) {
            return n.id();
        }
        if (e instanceof Expr.Attribute a) {
            String base = dotted(a.value());
            return base == null ? null : base + "." + a.attr();
        }
        return null;
    }

    private Value call(Expr.Call c, Map<String, Expr> locals) {
        String qualified = qualify(c.func(), locals);
        String calleeSource = source(c.func());
        if (qualified == null && c.func() instanceof Expr.Name n && scope.functions().containsKey(n.id())) {
            qualified = n.id();
        }
        String callee = qualified != null ? canonical.apply(qualified) : calleeSource;
        List<Value> args = new ArrayList<>(items(c.args(), locals));
        Map<String, Value> kwargs = new LinkedHashMap<>();
        for (Expr.Keyword k : c.keywords()) {
            if (k.name() == null) {
                Value mapping = eval(k.value(), locals);
                if (mapping instanceof Value.DictV d && d.keys().stream().allMatch(v -> v instanceof Value.Str)) {
                    for (int i = 0; i < d.keys().size(); i++) {
                        kwargs.put(((Value.Str) d.keys().get(i)).value(), d.values().get(i));
                    }
                } else {
                    args.add(opaque(k.value(), "**mapping"));
                }
            } else {
                kwargs.put(k.name(), eval(k.value(), locals));
            }
        }
        Value folded = qualified == null ? builtinContainer(c, args, kwargs) : null;
        if (folded != null) {
            return folded;
        }
        return new Value.Call(callee, calleeSource, Collections.unmodifiableList(args),
                Collections.unmodifiableMap(kwargs), c.pos().line(), c.pos().column());
    }

    /**
     * set([...]), frozenset(...), tuple([...]) and list(...) of a literal container (or of
     * nothing), as old migrations write unique_together: the container itself. Only for the
     * builtins, never for a name the module defines or imports.
     */
    private Value builtinContainer(Expr.Call c, List<Value> args, Map<String, Value> kwargs) {
        if (!(c.func() instanceof Expr.Name n) || !kwargs.isEmpty() || args.size() > 1
                || scope.functions().containsKey(n.id()) || scope.classes().containsKey(n.id())
                || scope.constant(n.id()) != null) {
            return null;
        }
        List<Value> items;
        if (args.isEmpty()) {
            items = List.of();
        } else if (args.get(0) instanceof Value.ListV l) {
            items = l.items();
        } else if (args.get(0) instanceof Value.TupleV t) {
            items = t.items();
        } else if (args.get(0) instanceof Value.SetV st) {
            items = st.items();
        } else {
            return null;
        }
        int line = c.pos().line();
        int col = c.pos().column();
        return switch (n.id()) {
            case "set", "frozenset" -> new Value.SetV(items, line, col);
            case "tuple" -> new Value.TupleV(items, line, col);
            case "list" -> new Value.ListV(items, line, col);
            default -> null;
        };
    }

    private Value binOp(Expr.BinOp b, Map<String, Expr> locals) {
        if (b.op().equals("+")) {
            Value left = eval(b.left(), locals);
            Value right = eval(b.right(), locals);
            int line = b.pos().line();
            int col = b.pos().column();
            if (left instanceof Value.Str l && right instanceof Value.Str r && l.bytes() == r.bytes()) {
                join((long) l.value().length() + r.value().length(), b);
                return new Value.Str(l.value() + r.value(), l.bytes(), line, col);
            }
            if (left instanceof Value.ListV l && right instanceof Value.ListV r) {
                return new Value.ListV(concat(l.items(), r.items()), line, col);
            }
            if (left instanceof Value.TupleV l && right instanceof Value.TupleV r) {
                return new Value.TupleV(concat(l.items(), r.items()), line, col);
            }
        }
        return opaque(b, "operator '" + b.op() + "' on values not known statically");
    }

    /** Counts the characters a string concatenation joins against {@link #MAX_CHARS}, before joining them. */
    private void join(long length, Expr where) {
        chars += length;
        if (chars > MAX_CHARS) {
            throw new EvaluationLimit("its string concatenations build more than " + MAX_CHARS
                    + " characters (a constant doubled again and again?)", where.pos().line(), where.pos().column());
        }
    }

    private static List<Value> concat(List<Value> a, List<Value> b) {
        List<Value> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return Collections.unmodifiableList(out);
    }

    private Value unary(Expr.UnaryOp u, Map<String, Expr> locals) {
        Value operand = eval(u.operand(), locals);
        if (operand instanceof Value.Num n && (u.op().equals("-") || u.op().equals("+"))) {
            Number v = n.value();
            if (u.op().equals("-")) {
                v = v instanceof BigInteger bi ? bi.negate() : (Number) (-v.doubleValue());
            }
            return new Value.Num(v, u.pos().line(), u.pos().column());
        }
        if (operand instanceof Value.Bool b && u.op().equals("not")) {
            return new Value.Bool(!b.value(), u.pos().line(), u.pos().column());
        }
        return opaque(u, "operator '" + u.op() + "'");
    }

    public Value.Opaque opaque(Expr e, String reason) {
        return new Value.Opaque(source(e), reason, e.pos().line(), e.pos().column());
    }

    /** The source text of an expression, shortened for output. */
    public String source(Expr e) {
        String text = module.text(e.pos());
        if (text.length() > MAX_SOURCE) {
            return text.substring(0, MAX_SOURCE - 3) + "...";
        }
        return text;
    }
}
