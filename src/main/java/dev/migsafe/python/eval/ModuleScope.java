package dev.migsafe.python.eval;

import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Stmt;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The module-level names of a file, as a static reader can know them: imports (alias to
 * qualified name), constants assigned exactly once at top level, functions and classes. A name
 * bound more than once, or bound inside if/try/for/with, is "conditional": its value is not
 * known without running the module.
 */
public final class ModuleScope {

    private final Map<String, String> imports = new LinkedHashMap<>();
    private final Map<String, Expr> constants = new HashMap<>();
    private final Map<String, Stmt.FunctionDef> functions = new LinkedHashMap<>();
    private final Map<String, Stmt.ClassDef> classes = new LinkedHashMap<>();
    private final Set<String> conditional = new HashSet<>();
    private final Map<String, Integer> bindings = new HashMap<>();

    /**
     * @param module the parsed file
     * @param packageName the dotted package the file lives in (for relative imports), or ""
     */
    public ModuleScope(Module module, String packageName) {
        for (Stmt s : module.body()) {
            bindTopLevel(s, packageName);
        }
        for (Map.Entry<String, Integer> e : bindings.entrySet()) {
            if (e.getValue() > 1) {
                conditional.add(e.getKey());
            }
        }
        constants.keySet().removeAll(conditional);
    }

    private void bindTopLevel(Stmt s, String packageName) {
        if (s instanceof Stmt.Import i) {
            for (Stmt.Alias a : i.names()) {
                if (a.asName() != null) {
                    bindImport(a.asName(), a.name());
                } else {
                    String root = a.name().contains(".") ? a.name().substring(0, a.name().indexOf('.')) : a.name();
                    bindImport(root, root);
                }
            }
        } else if (s instanceof Stmt.ImportFrom f) {
            String base = resolveRelative(f.module(), f.level(), packageName);
            for (Stmt.Alias a : f.names()) {
                if (!a.name().equals("*")) {
                    bindImport(a.asName() != null ? a.asName() : a.name(), base.isEmpty() ? a.name() : base + "." + a.name());
                }
            }
        } else if (s instanceof Stmt.Assign a) {
            for (Expr target : a.targets()) {
                if (target instanceof Expr.Name n) {
                    bind(n.id());
                    if (a.targets().size() == 1) {
                        constants.put(n.id(), a.value());
                    }
                } else {
                    bindAll(target);
                }
            }
        } else if (s instanceof Stmt.AnnAssign a) {
            if (a.target() instanceof Expr.Name n) {
                bind(n.id());
                if (a.value() != null) {
                    constants.put(n.id(), a.value());
                }
            }
        } else if (s instanceof Stmt.AugAssign a) {
            if (a.target() instanceof Expr.Name n) {
                conditional.add(n.id());
            }
        } else if (s instanceof Stmt.FunctionDef f) {
            bind(f.name());
            functions.put(f.name(), f);
        } else if (s instanceof Stmt.ClassDef c) {
            bind(c.name());
            classes.put(c.name(), c);
        } else if (s instanceof Stmt.If i) {
            nested(i.body(), packageName);
            nested(i.orElse(), packageName);
        } else if (s instanceof Stmt.Try t) {
            nested(t.body(), packageName);
            for (Stmt.Handler h : t.handlers()) {
                nested(h.body(), packageName);
            }
            nested(t.orElse(), packageName);
            nested(t.finalBody(), packageName);
        } else if (s instanceof Stmt.For f) {
            bindAll(f.target());
            nested(f.body(), packageName);
        } else if (s instanceof Stmt.While w) {
            nested(w.body(), packageName);
        } else if (s instanceof Stmt.With w) {
            nested(w.body(), packageName);
        }
    }

    /**
     * Inside if/try blocks: imports still count (the usual `try: import x except ImportError:`
     * keeps the first), every other binding is conditional.
     */
    private void nested(java.util.List<Stmt> body, String packageName) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Import || s instanceof Stmt.ImportFrom) {
                bindTopLevel(s, packageName);
            } else {
                ModuleScope inner = new ModuleScope(new Module(java.util.List.of(s), "", java.util.List.of()), packageName);
                for (String name : inner.allNames()) {
                    conditional.add(name);
                    bind(name);
                }
            }
        }
    }

    private Set<String> allNames() {
        Set<String> names = new HashSet<>(bindings.keySet());
        names.addAll(conditional);
        return names;
    }

    private void bindImport(String local, String qualified) {
        imports.putIfAbsent(local, qualified);
    }

    private void bind(String name) {
        bindings.merge(name, 1, Integer::sum);
    }

    private void bindAll(Expr target) {
        if (target instanceof Expr.Name n) {
            conditional.add(n.id());
        } else if (target instanceof Expr.TupleExpr t) {
            t.elts().forEach(this::bindAll);
        } else if (target instanceof Expr.ListExpr l) {
            l.elts().forEach(this::bindAll);
        } else if (target instanceof Expr.Starred s) {
            bindAll(s.value());
        }
    }

    /** A `from ..module import x` module as an absolute dotted name, from the package the importing file is in. */
    public static String resolveRelative(String module, int level, String packageName) {
        if (level == 0) {
            return module == null ? "" : module;
        }
        String base = packageName;
        for (int i = 1; i < level && !base.isEmpty(); i++) {
            int dot = base.lastIndexOf('.');
            base = dot < 0 ? "" : base.substring(0, dot);
        }
        if (module == null) {
            return base;
        }
        return base.isEmpty() ? module : base + "." + module;
    }

    public Map<String, String> imports() {
        return Collections.unmodifiableMap(imports);
    }

    public Map<String, Stmt.FunctionDef> functions() {
        return Collections.unmodifiableMap(functions);
    }

    public Map<String, Stmt.ClassDef> classes() {
        return Collections.unmodifiableMap(classes);
    }

    /** The expression of a constant bound exactly once, unconditionally; null otherwise. */
    public Expr constant(String name) {
        return constants.get(name);
    }

    public boolean isConditional(String name) {
        return conditional.contains(name);
    }

    /**
     * A name or dotted attribute chain ({@code models.Model}, {@code Base}) as a qualified name
     * through this module's imports and its own classes; null when it is neither.
     *
     * @param module this module's dotted name (its own classes are qualified with it)
     */
    public String qualify(Expr e, String module) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        Expr cur = e;
        while (cur instanceof Expr.Attribute a) {
            parts.add(0, a.attr());
            cur = a.value();
        }
        if (!(cur instanceof Expr.Name n)) {
            return null;
        }
        String head = imports.get(n.id());
        if (head == null) {
            head = classes.containsKey(n.id()) ? module + "." + n.id() : null;
        }
        if (head == null) {
            return null;
        }
        return parts.isEmpty() ? head : head + "." + String.join(".", parts);
    }
}
