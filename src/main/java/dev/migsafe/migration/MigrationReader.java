package dev.migsafe.migration;

import dev.migsafe.git.LocalFile;
import dev.migsafe.python.CompactIO;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ParseCache;
import dev.migsafe.python.SyntaxProblem;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.eval.ModuleScope;
import dev.migsafe.python.eval.EvaluationLimit;
import dev.migsafe.python.eval.StaticEvaluator;
import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads a migration file into the {@link Migration} model: parses it, finds the {@code Migration}
 * class, and evaluates its attributes statically. What cannot be resolved is reported as P003
 * with the reason, and the resolvable parts are still extracted. One reader serves a whole run.
 */
public final class MigrationReader {

    private final ModuleParser parser;
    /** Files read by path and blob id, when remembering: both sides of a range share most files. */
    private final Map<String, MigrationFile> read;

    public MigrationReader() {
        this(new ModuleParser());
    }

    public MigrationReader(ModuleParser parser) {
        this(parser, false);
    }

    /** @param remember keep every file read by blob id for the run, and read each one only once */
    public MigrationReader(ModuleParser parser, boolean remember) {
        this.parser = parser;
        this.read = remember ? new java.util.HashMap<>() : null;
    }

    /** @param path the file's path relative to the repository root, with '/' separators */
    public MigrationFile read(String path, byte[] bytes) {
        return read(parser.parse(bytes, path), path);
    }

    /**
     * Reads a file known by its git blob id. With a cache, a file read before comes back with its
     * model from the cache and its tree decoded only when asked for; the bytes are read only to
     * parse what the cache does not have (or cannot be trusted with).
     */
    public MigrationFile read(String path, String blobId, Supplier<byte[]> bytes) {
        if (read == null || blobId == null) {
            return readBlob(path, blobId, bytes);
        }
        // The model depends on the path too (relative imports, the file's name).
        return read.computeIfAbsent(path + '\0' + blobId, k -> readBlob(path, blobId, bytes));
    }

    private MigrationFile readBlob(String path, String blobId, Supplier<byte[]> bytes) {
        ParseCache cache = parser.cache();
        ParseCache.Entry entry = cache.get(blobId);
        String packageName = packageOf(path);
        if (entry != null && entry.summary() != null) {
            try {
                MigrationFile f = ModelCodec.decode(entry.summary(), path, packageName,
                        () -> treeOf(entry, bytes, path));
                if (f != null) {
                    return f;
                }
            } catch (CompactIO.Malformed e) {
                // not trusted: read from the tree (or the bytes) below, and the entry is rewritten
            }
        }
        ModuleParser.Parsed parsed = entry == null ? null : entry.parsed();
        if (parsed == null) {
            byte[] content;
            try {
                content = bytes.get();
            } catch (LocalFile.Unreadable e) {
                return read(ModuleParser.unreadable(e), path); // a finding of this file, not cached
            }
            parsed = parser.parse(content, path);
        }
        MigrationFile file = read(parsed, path);
        byte[] summary;
        try {
            summary = ModelCodec.encode(file, packageName);
        } catch (RuntimeException e) {
            summary = null; // a value the codec does not know: the tree alone is cached
        }
        cache.put(blobId, parsed, summary);
        return file;
    }

    /** The tree of a file whose model came from the cache; parsed again if the cached tree fails to decode. */
    private Module treeOf(ParseCache.Entry entry, Supplier<byte[]> bytes, String path) {
        ModuleParser.Parsed parsed = entry.parsed();
        if (parsed == null) {
            try {
                parsed = parser.parse(bytes.get(), path);
            } catch (LocalFile.Unreadable e) {
                return null; // the model came from the cache; only its tree is missing
            }
        }
        return parsed.module();
    }

    private MigrationFile read(ModuleParser.Parsed parsed, String path) {
        if (!parsed.ok()) {
            SyntaxProblem p = parsed.problem();
            Diagnostic error = new Diagnostic(p.rule(), p.line(), p.column(), p.message());
            return new MigrationFile(path, MigrationFile.Status.ERROR, error, List.of(error), null, null, null,
                    parsed.usedLl());
        }
        Module module = parsed.module();
        ModuleScope scope = new ModuleScope(module, packageOf(path));
        Stmt.ClassDef cls = migrationClass(module);
        if (cls == null) {
            Diagnostic d = new Diagnostic(Diagnostic.NOT_A_MIGRATION, 1, 1,
                    "no `class Migration` in this module of a migrations folder: Django's loader stops on it (BadMigrationError); migsafe skips it");
            return new MigrationFile(path, MigrationFile.Status.NOT_A_MIGRATION, null, List.of(d), null, module, scope,
                    parsed.usedLl());
        }
        List<Diagnostic> diagnostics = new ArrayList<>();
        Migration migration;
        try {
            migration = new ClassReader(module, scope, cls, diagnostics).read();
        } catch (EvaluationLimit e) {
            // Nothing of it can be trusted: the file is treated like one that does not parse.
            Diagnostic d = new Diagnostic(Diagnostic.DYNAMIC, e.line(), e.column(),
                    "this migration cannot be read statically: " + e.getMessage());
            return new MigrationFile(path, MigrationFile.Status.ERROR, d, List.of(d), null, module, scope, parsed.usedLl());
        }
        return new MigrationFile(path, MigrationFile.Status.OK, null, List.copyOf(diagnostics), migration, module, scope,
                parsed.usedLl());
    }

    /** The dotted package of a file: shop/orders/migrations/0001_initial.py -> shop.orders.migrations. */
    static String packageOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash).replace('/', '.');
    }

    /** Django's loader takes the module's `Migration` attribute: the last top-level class of that name. */
    private static Stmt.ClassDef migrationClass(Module module) {
        Stmt.ClassDef found = null;
        for (Stmt s : module.body()) {
            if (s instanceof Stmt.ClassDef c && c.name().equals("Migration")) {
                found = c;
            }
        }
        return found;
    }

    /** Reads one Migration class. */
    private static final class ClassReader {
        private final Module module;
        private final ModuleScope scope;
        private final Stmt.ClassDef cls;
        private final List<Diagnostic> diagnostics;
        private final StaticEvaluator eval;
        /** Class-body names in binding order; null values are bound conditionally. */
        private final Map<String, Expr> attributes = new LinkedHashMap<>();
        /** Where a conditionally bound attribute is assigned (first place). */
        private final Map<String, Stmt> conditionalAt = new LinkedHashMap<>();
        /** Every assignment of each attribute, in source order (for conditional ones). */
        private final Map<String, List<Expr>> assignments = new LinkedHashMap<>();

        ClassReader(Module module, ModuleScope scope, Stmt.ClassDef cls, List<Diagnostic> diagnostics) {
            this.module = module;
            this.scope = scope;
            this.cls = cls;
            this.diagnostics = diagnostics;
            this.eval = new StaticEvaluator(module, scope, DjangoNames::canonical);
        }

        Migration read() {
            collect(cls.body(), false, null);
            List<String> bases = new ArrayList<>();
            for (Expr b : cls.bases()) {
                String q = eval.qualify(b, Map.of());
                bases.add(q != null ? DjangoNames.canonical(q) : eval.source(b));
            }
            checkModifiedAfterClass();

            List<Dependency> dependencies = new ArrayList<>();
            boolean depsResolved = readList("dependencies", (v, out) -> dependencies.add(dependency(v)));
            List<MigrationKey> replaces = new ArrayList<>();
            readList("replaces", (v, out) -> addKey(v, replaces, "replaces"));
            List<MigrationKey> runBefore = new ArrayList<>();
            readList("run_before", (v, out) -> addKey(v, runBefore, "run_before"));
            List<Operation> operations = new ArrayList<>();
            boolean opsResolved = readList("operations", (v, out) -> operations.add(operation(v)));

            Map<String, Value> values = new LinkedHashMap<>();
            for (Map.Entry<String, Expr> e : attributes.entrySet()) {
                values.put(e.getKey(), e.getValue() == null
                        ? new Value.Opaque("", "assigned conditionally", conditionalAt.get(e.getKey()).pos().line(),
                        conditionalAt.get(e.getKey()).pos().column())
                        : eval.eval(e.getValue(), localsBefore(e.getKey())));
            }
            return new Migration(cls.pos().line(), cls.pos().column(), List.copyOf(bases), List.copyOf(dependencies),
                    depsResolved, List.copyOf(replaces), List.copyOf(runBefore), bool(values.get("initial")),
                    bool(values.get("atomic")), List.copyOf(operations), opsResolved,
                    Collections.unmodifiableMap(values));
        }

        /** Collects class-body bindings; inside if/for/try they are conditional. */
        private void collect(List<Stmt> body, boolean conditional, Stmt outer) {
            for (Stmt s : body) {
                if (s instanceof Stmt.Assign a) {
                    for (Expr t : a.targets()) {
                        if (t instanceof Expr.Name n) {
                            bind(n.id(), a.value(), conditional, outer == null ? s : outer);
                        }
                    }
                } else if (s instanceof Stmt.AnnAssign a && a.target() instanceof Expr.Name n && a.value() != null) {
                    bind(n.id(), a.value(), conditional, outer == null ? s : outer);
                } else if (s instanceof Stmt.AugAssign a && a.target() instanceof Expr.Name n) {
                    bind(n.id(), null, true, outer == null ? s : outer);
                    assignments.computeIfAbsent(n.id(), k -> new ArrayList<>()).add(a.value());
                } else if (s instanceof Stmt.If i) {
                    collect(i.body(), true, outer == null ? s : outer);
                    collect(i.orElse(), true, outer == null ? s : outer);
                } else if (s instanceof Stmt.Try t) {
                    collect(t.body(), true, outer == null ? s : outer);
                    for (Stmt.Handler h : t.handlers()) {
                        collect(h.body(), true, outer == null ? s : outer);
                    }
                    collect(t.orElse(), true, outer == null ? s : outer);
                    collect(t.finalBody(), true, outer == null ? s : outer);
                } else if (s instanceof Stmt.For f) {
                    collect(f.body(), true, outer == null ? s : outer);
                } else if (s instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call c
                        && c.func() instanceof Expr.Attribute m && m.value() instanceof Expr.Name n
                        && List.of("append", "extend", "insert").contains(m.attr())) {
                    // operations.append(...) in the class body
                    bind(n.id(), null, true, outer == null ? s : outer);
                }
            }
        }

        private void bind(String name, Expr value, boolean conditional, Stmt where) {
            if (value != null) {
                assignments.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            if (conditional || attributes.containsKey(name) && attributes.get(name) == null) {
                attributes.put(name, null);
                conditionalAt.putIfAbsent(name, where);
                return;
            }
            if (attributes.containsKey(name)) {
                // Re-bound unconditionally: the last binding wins, as when Python runs the body.
                attributes.remove(name);
            }
            attributes.put(name, value);
        }

        /** Names bound in the class body before {@code name}: what its value may refer to. */
        private Map<String, Expr> localsBefore(String name) {
            Map<String, Expr> locals = new LinkedHashMap<>();
            for (Map.Entry<String, Expr> e : attributes.entrySet()) {
                if (e.getKey().equals(name)) {
                    break;
                }
                locals.put(e.getKey(), e.getValue());
            }
            return locals;
        }

        /** Module-level code after the class that changes Migration.operations/dependencies. */
        private void checkModifiedAfterClass() {
            boolean after = false;
            for (Stmt s : module.body()) {
                if (s == cls) {
                    after = true;
                    continue;
                }
                if (!after) {
                    continue;
                }
                String attr = modifiedMigrationAttribute(s);
                if (attr != null) {
                    conditionalAt.putIfAbsent(attr, s);
                    attributes.put(attr, null);
                }
            }
        }

        private static String modifiedMigrationAttribute(Stmt s) {
            Expr target = null;
            if (s instanceof Stmt.Assign a && a.targets().size() == 1) {
                target = a.targets().get(0);
            } else if (s instanceof Stmt.AugAssign a) {
                target = a.target();
            } else if (s instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call c
                    && c.func() instanceof Expr.Attribute m) {
                target = m.value();
            }
            if (target instanceof Expr.Attribute a && a.value() instanceof Expr.Name n && n.id().equals("Migration")) {
                return a.attr();
            }
            return null;
        }

        /** Parts of `A + B + ...` chains read so far, against {@link #MAX_PARTS}. */
        private int parts;
        private static final int MAX_PARTS = 100_000;

        private interface ItemSink {
            void accept(Value item, List<Value> unused);
        }

        /**
         * Reads a list attribute item by item. `A + B` chains (also through module constants)
         * are split so that the resolvable operands still yield their items. Returns false,
         * with a P003 diagnostic, when any part is not statically known.
         */
        private boolean readList(String name, ItemSink sink) {
            if (!attributes.containsKey(name)) {
                return true;
            }
            Expr value = attributes.get(name);
            if (value == null) {
                Stmt where = conditionalAt.get(name);
                diagnostics.add(new Diagnostic(Diagnostic.DYNAMIC, where.pos().line(), where.pos().column(),
                        "`" + name + "` is assigned conditionally or changed after it is defined; "
                                + "only the statically written parts are analysed"));
                for (Expr e : assignments.getOrDefault(name, List.of())) {
                    readParts(name, e, Map.of(), sink, 0);
                }
                return false;
            }
            return readParts(name, value, localsBefore(name), sink, 0);
        }

        private boolean readParts(String name, Expr e, Map<String, Expr> locals, ItemSink sink, int depth) {
            if (++parts > MAX_PARTS) {
                // `X1 = X0 + X0` ... splits into exponentially many parts: no real list has this many.
                throw new EvaluationLimit("`" + name + "` splits into more than " + MAX_PARTS
                        + " concatenated parts (a constant built from itself again and again?)", e.pos().line(), e.pos().column());
            }
            if (e instanceof Expr.BinOp b && b.op().equals("+") && depth < 50) {
                boolean left = readParts(name, b.left(), locals, sink, depth + 1);
                boolean right = readParts(name, b.right(), locals, sink, depth + 1);
                return left && right;
            }
            if (e instanceof Expr.Name n && depth < 50) {
                Expr bound = locals.containsKey(n.id()) ? locals.get(n.id())
                        : scope.imports().containsKey(n.id()) ? null : scope.constant(n.id());
                if (bound != null && bound instanceof Expr.BinOp) {
                    return readParts(name, bound, locals, sink, depth + 1);
                }
            }
            if (e instanceof Expr.Other o && o.kind().equals("IfExp") && depth < 50) {
                // `A if cond else B` (children: cond, A, B): a condition known statically (an
                // optional import, see StaticEvaluator.truth) picks its branch; otherwise both
                // branches are possible, and what each says is read.
                Boolean taken = eval.truth(o.children().get(0), locals);
                if (taken != null) {
                    return readParts(name, o.children().get(taken ? 1 : 2), locals, sink, depth + 1);
                }
                diagnostics.add(dynamic(name, eval.opaque(e, "conditional expression")));
                readParts(name, o.children().get(1), locals, sink, depth + 1);
                readParts(name, o.children().get(2), locals, sink, depth + 1);
                return false;
            }
            Value v = eval.eval(e, locals);
            if (v instanceof Value.ListV l) {
                return items(name, l.items(), sink);
            }
            if (v instanceof Value.TupleV t) {
                return items(name, t.items(), sink);
            }
            diagnostics.add(dynamic(name, v));
            return false;
        }

        private boolean items(String name, List<Value> items, ItemSink sink) {
            boolean resolved = true;
            for (Value item : items) {
                if (item instanceof Value.Opaque o) {
                    if (!name.equals("dependencies")) { // dependency() reports its own
                        diagnostics.add(dynamic(name, o));
                    }
                    resolved = false;
                }
                if (!(item instanceof Value.Opaque) || name.equals("operations") || name.equals("dependencies")) {
                    sink.accept(item, null);
                }
            }
            return resolved;
        }

        private Diagnostic dynamic(String name, Value v) {
            String what = v instanceof Value.Opaque o ? o.reason() + ": " + oneLine(o.source())
                    : v instanceof Value.Call c ? "a call of " + c.calleeSource() + "()"
                    : v instanceof Value.Ref r ? "a reference to " + r.source()
                    : "a value that is not a list";
            return new Diagnostic(Diagnostic.DYNAMIC, v.line(), v.column(),
                    "`" + name + "` is not statically resolvable (" + what + ")");
        }

        /** Source quoted in a one-line message: whitespace folded, long text cut. */
        private static String oneLine(String source) {
            String folded = source.replaceAll("\\s+", " ").trim();
            return folded.length() > 100 ? folded.substring(0, 97) + "..." : folded;
        }

        private Dependency dependency(Value v) {
            List<Value> pair = v instanceof Value.TupleV t ? t.items() : v instanceof Value.ListV l ? l.items() : null;
            if (pair != null && pair.size() == 2 && pair.get(0) instanceof Value.Str app
                    && pair.get(1) instanceof Value.Str name) {
                Dependency.Kind kind = name.value().equals("__first__") ? Dependency.Kind.FIRST
                        : name.value().equals("__latest__") ? Dependency.Kind.LATEST : Dependency.Kind.LITERAL;
                return new Dependency(app.value(), name.value(), kind, null, null, v.line(), v.column());
            }
            if (v instanceof Value.Call c && c.simpleName().equals("swappable_dependency") && c.args().size() == 1
                    && c.args().get(0) instanceof Value.Ref r && r.source().contains(".")) {
                String setting = r.source().substring(r.source().lastIndexOf('.') + 1);
                return new Dependency(null, "__first__", Dependency.Kind.SWAPPABLE, setting, null, v.line(), v.column());
            }
            String source = v instanceof Value.Opaque o ? oneLine(o.source()) : describe(v);
            diagnostics.add(new Diagnostic(Diagnostic.DYNAMIC, v.line(), v.column(),
                    "dependency is not statically resolvable: " + source));
            return new Dependency(null, null, Dependency.Kind.UNRESOLVED, null, source, v.line(), v.column());
        }

        private void addKey(Value v, List<MigrationKey> out, String attribute) {
            List<Value> pair = v instanceof Value.TupleV t ? t.items() : v instanceof Value.ListV l ? l.items() : null;
            if (pair != null && pair.size() == 2 && pair.get(0) instanceof Value.Str app
                    && pair.get(1) instanceof Value.Str name) {
                out.add(new MigrationKey(app.value(), name.value()));
            } else {
                diagnostics.add(new Diagnostic(Diagnostic.DYNAMIC, v.line(), v.column(),
                        "`" + attribute + "` entry is not an (app, name) pair: " + describe(v)));
            }
        }

        private static String describe(Value v) {
            if (v instanceof Value.Ref r) {
                return r.source();
            }
            if (v instanceof Value.Call c) {
                return c.calleeSource() + "(...)";
            }
            if (v instanceof Value.Str s) {
                return "'" + s.value() + "'";
            }
            return v.getClass().getSimpleName();
        }

        private Operation operation(Value v) {
            if (!(v instanceof Value.Call c)) {
                if (!(v instanceof Value.Opaque)) {
                    diagnostics.add(new Diagnostic(Diagnostic.DYNAMIC, v.line(), v.column(),
                            "operation is not a call: " + describe(v)));
                }
                return new Operation(null, null, v.line(), v.column(), List.of(v), Map.of(), null, List.of(),
                        List.of(), List.of());
            }
            String qualified = DjangoNames.canonical(c.callee());
            String type = c.simpleName();
            FieldSpec field = null;
            List<FieldSpec> fields = List.of();
            List<Operation> database = List.of();
            List<Operation> state = List.of();
            switch (type) {
                case "AddField", "AlterField" -> field = fieldSpec(c.arg(1, "name"), c.arg(2, "field"));
                case "CreateModel" -> fields = fieldList(c.arg(1, "fields"));
                case "SeparateDatabaseAndState" -> {
                    database = nested(c.arg(0, "database_operations"), "database_operations");
                    state = nested(c.arg(1, "state_operations"), "state_operations");
                }
                case "RunSQL" -> state = nested(c.arg(2, "state_operations"), "state_operations");
                default -> { }
            }
            return new Operation(type, qualified, c.line(), c.column(), c.args(), c.kwargs(), field, fields,
                    database, state);
        }

        private List<Operation> nested(Value v, String what) {
            if (v == null || v instanceof Value.None) {
                return List.of();
            }
            List<Value> items = v instanceof Value.ListV l ? l.items() : v instanceof Value.TupleV t ? t.items() : null;
            if (items == null) {
                diagnostics.add(dynamic(what, v));
                return List.of();
            }
            List<Operation> out = new ArrayList<>();
            for (Value item : items) {
                if (item instanceof Value.Opaque o) {
                    diagnostics.add(dynamic(what, o));
                }
                out.add(operation(item));
            }
            return List.copyOf(out);
        }

        private FieldSpec fieldSpec(Value name, Value field) {
            if (!(field instanceof Value.Call c)) {
                return null;
            }
            return new FieldSpec(name instanceof Value.Str s ? s.value() : null, DjangoNames.canonical(c.callee()),
                    c.args(), c.kwargs(), c.line(), c.column());
        }

        private List<FieldSpec> fieldList(Value v) {
            List<Value> items = v instanceof Value.ListV l ? l.items() : v instanceof Value.TupleV t ? t.items() : null;
            if (items == null) {
                if (v != null) {
                    diagnostics.add(dynamic("fields", v));
                }
                return List.of();
            }
            List<FieldSpec> out = new ArrayList<>();
            for (Value item : items) {
                List<Value> pair = item instanceof Value.TupleV t ? t.items() : item instanceof Value.ListV l ? l.items() : null;
                FieldSpec spec = pair != null && pair.size() == 2 ? fieldSpec(pair.get(0), pair.get(1)) : null;
                if (spec == null) {
                    diagnostics.add(dynamic("fields", item));
                } else {
                    out.add(spec);
                }
            }
            return List.copyOf(out);
        }

        private static Boolean bool(Value v) {
            return v instanceof Value.Bool b ? b.value() : null;
        }
    }
}
