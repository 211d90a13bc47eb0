package dev.migsafe.rules;

import dev.migsafe.migration.DjangoNames;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.Operation;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Param;
import dev.migsafe.python.ast.Pos;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.ast.Walker;
import dev.migsafe.python.eval.Bindings;
import dev.migsafe.python.eval.StaticEvaluator;
import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL a RunPython's forward code sends to the database itself, bypassing the ORM:
 * {@code schema_editor.execute(sql)}, {@code cursor.execute(sql)} on a cursor from
 * {@code connection.cursor()} / {@code schema_editor.connection.cursor()} (also in a
 * {@code with ... as cursor} block), and {@code migrations.RunSQL(sql)} run by hand through
 * {@code .database_forwards(...)} or a call. Module-level functions the code calls are followed.
 * Such SQL can be DDL (a trigger, a constraint, a dropped column), so RunPython is no longer
 * "no schema change" once it runs any.
 */
public final class RunPythonSql {

    /**
     * One statement site. {@code sql} is the literal text (folded from module constants and names
     * the function assigns once), or null when it is built at run time; {@code source} is the
     * argument as written; {@code function} the function it is in; {@code template} the literal
     * text of SQL built by {@code "...".format(...)} or {@code "..." % (...)} (its placeholders fill
     * in names and values, its verbs are in the text), else null.
     */
    public record Executed(String function, Pos pos, String how, String sql, String source, String template) {}

    private static final int MAX_FUNCTIONS = 20;

    private final MigrationFile file;
    private final StaticEvaluator eval;
    private final List<Executed> out = new ArrayList<>();
    private final Set<String> visited = new HashSet<>();
    /** Loop variables over a literal list of SQL: name to the joined statements it takes in turn. */
    private final Map<String, String> loops = new HashMap<>();

    private RunPythonSql(MigrationFile file) {
        this.file = file;
        this.eval = new StaticEvaluator(file.module(), file.scope(), DjangoNames::canonical);
    }

    /** The SQL that RunPython's forward code runs by hand, in source order; empty when none (or unknown code). */
    public static List<Executed> forward(Operation op, MigrationFile file) {
        if (file == null || file.module() == null || file.scope() == null) {
            return List.of();
        }
        RunPythonFunction f = RunPythonFunction.forward(op, file);
        if (f == null) {
            return List.of();
        }
        RunPythonSql reader = new RunPythonSql(file);
        reader.visited.add(f.name());
        Set<String> editors = new HashSet<>(Set.of("schema_editor"));
        if (f.params().size() >= 2) {
            editors.add(f.params().get(1).name());
        }
        reader.read(f.display(), f.params(), f.body(), f.lambdaBody(), editors);
        return reader.out;
    }

    /** @param editors the names the schema editor has in this function */
    private void read(String function, List<Param> params, List<Stmt> body, Expr lambdaBody, Set<String> editors) {
        Map<String, Expr> locals = locals(params, body);
        Set<String> cursors = new HashSet<>();
        params.stream().map(Param::name).filter(n -> n.equals("cursor")).forEach(cursors::add); // a helper's cursor parameter
        Set<String> runSqls = new HashSet<>();
        Walker walker = new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                if (s instanceof Stmt.For f && f.target() instanceof Expr.Name n) {
                    String each = literalStatements(eval.eval(f.iter(), locals));
                    if (each != null) {
                        loops.put(n.id(), each); // for statement in SQL: execute(statement) runs each literal
                    } else {
                        loops.remove(n.id());
                    }
                }
                if (s instanceof Stmt.With w) {
                    for (Stmt.WithItem item : w.items()) {
                        if (isCursor(item.context(), cursors) && item.target() instanceof Expr.Name n) {
                            cursors.add(n.id());
                        }
                    }
                } else if (s instanceof Stmt.Assign a && a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name n) {
                    if (isCursor(a.value(), cursors)) {
                        cursors.add(n.id());
                    } else if (isRunSql(a.value(), locals)) {
                        runSqls.add(n.id());
                    }
                }
                return true;
            }

            @Override
            public boolean expr(Expr e) {
                if (!(e instanceof Expr.Call c)) {
                    return true;
                }
                if (c.func() instanceof Expr.Attribute a && (a.attr().equals("execute") || a.attr().equals("executemany"))
                        && !c.args().isEmpty()) {
                    boolean byEditor = a.value() instanceof Expr.Name n && editors.contains(n.id());
                    if (byEditor || isCursor(a.value(), cursors)) {
                        add(function, c.pos(), byEditor ? "schema_editor.execute" : "cursor." + a.attr(), c.args().get(0), locals);
                    }
                } else if (c.func() instanceof Expr.Attribute a && a.attr().equals("alter_db_table") && c.args().size() >= 3
                        && a.value() instanceof Expr.Name n && editors.contains(n.id())) {
                    // The schema editor renames a table: the statement it runs, judged as SQL is.
                    Value from = eval.eval(c.args().get(1), locals);
                    Value to = eval.eval(c.args().get(2), locals);
                    String sql = from instanceof Value.Str f && to instanceof Value.Str t
                            ? "ALTER TABLE \"" + f.value().replace("\"", "\"\"") + "\" RENAME TO \""
                            + t.value().replace("\"", "\"\"") + "\"" : null;
                    out.add(new Executed(function, c.pos(), "schema_editor.alter_db_table", sql, eval.source(c), null));
                } else if (c.func() instanceof Expr.Attribute a && a.attr().equals("database_forwards")
                        && (isRunSql(a.value(), locals) || a.value() instanceof Expr.Name n && runSqls.contains(n.id()))) {
                    runSql(function, a.value(), locals);
                } else if (isRunSql(c.func(), locals)) {
                    runSql(function, c.func(), locals); // RunSQL(sql)(...): not how Django runs it, but it would run
                } else if (c.func() instanceof Expr.Name n && !locals.containsKey(n.id())
                        && file.scope().functions().containsKey(n.id()) && visited.size() < MAX_FUNCTIONS
                        && visited.add(n.id())) {
                    Stmt.FunctionDef helper = file.scope().functions().get(n.id());
                    read(helper.name(), helper.params(), helper.body(), null, Set.of("schema_editor", "editor"));
                }
                return true;
            }
        };
        if (lambdaBody != null) {
            walker.walk(lambdaBody);
        } else {
            walker.walk(body);
        }
    }

    private void runSql(String function, Expr construction, Map<String, Expr> locals) {
        Expr target = construction;
        if (construction instanceof Expr.Name n && locals.get(n.id()) != null) {
            target = locals.get(n.id());
        }
        if (target instanceof Expr.Call call) {
            Expr sql = call.args().isEmpty() ? keyword(call, "sql") : call.args().get(0);
            if (sql != null) {
                add(function, call.pos(), "RunSQL", sql, locals);
            }
        }
    }

    private static Expr keyword(Expr.Call call, String name) {
        for (Expr.Keyword k : call.keywords()) {
            if (name.equals(k.name())) {
                return k.value();
            }
        }
        return null;
    }

    private void add(String function, Pos pos, String how, Expr arg, Map<String, Expr> locals) {
        Value v = eval.eval(arg, locals);
        String sql = null;
        if (arg instanceof Expr.Name n && loops.containsKey(n.id())) {
            sql = loops.get(n.id());
        } else if (v instanceof Value.Str s) {
            sql = s.value();
        } else {
            sql = literalStatements(v);
        }
        out.add(new Executed(function, pos, how, sql, eval.source(arg), sql == null ? template(arg, locals, 0) : null));
    }

    /**
     * The statements of a statically known list or tuple of literal SQL (or of (sql, params)
     * pairs), joined with ";" so the splitter judges each; null when an item is not a literal.
     */
    private static String literalStatements(Value v) {
        if (Py.items(v) == null) {
            return null;
        }
        StringBuilder joined = new StringBuilder();
        for (Value item : Py.items(v)) {
            Value text = Py.items(item) != null && !Py.items(item).isEmpty() ? Py.items(item).get(0) : item;
            if (!(text instanceof Value.Str s)) {
                return null;
            }
            joined.append(s.value()).append(";\n");
        }
        return joined.toString();
    }

    /** The literal text of `"...".format(...)` or `"..." % x`, also through a local name; null otherwise. */
    private String template(Expr e, Map<String, Expr> locals, int depth) {
        if (depth > 5) {
            return null;
        }
        if (e instanceof Expr.Name n && locals.get(n.id()) != null) {
            return template(locals.get(n.id()), locals, depth + 1);
        }
        Expr literal = null;
        if (e instanceof Expr.Call c && c.func() instanceof Expr.Attribute a && a.attr().equals("format")) {
            literal = a.value();
        } else if (e instanceof Expr.BinOp b && b.op().equals("%")) {
            literal = b.left();
        }
        return literal != null && eval.eval(literal, locals) instanceof Value.Str s ? s.value() : null;
    }

    private boolean isRunSql(Expr e, Map<String, Expr> locals) {
        if (!(e instanceof Expr.Call c)) {
            return false;
        }
        String q = eval.qualify(c.func(), locals);
        if (q != null) {
            return q.startsWith("django.") && q.endsWith(".RunSQL");
        }
        return c.func() instanceof Expr.Name n && n.id().equals("RunSQL") && !locals.containsKey("RunSQL");
    }

    /** x.cursor() (connection, connections["default"], schema_editor.connection), or a name bound to one. */
    private static boolean isCursor(Expr e, Set<String> cursors) {
        if (e instanceof Expr.Name n) {
            return cursors.contains(n.id());
        }
        return e instanceof Expr.Call c && c.func() instanceof Expr.Attribute a && a.attr().equals("cursor");
    }

    /**
     * The names a function binds: each name assigned exactly once by a plain `name = value` maps to
     * its value (so `sql = "..."; cursor.execute(sql)` is read), every other bound name (parameters,
     * loop and with targets, names assigned twice) maps to null, so a module constant of the same
     * name is not taken for it.
     */
    private static Map<String, Expr> locals(List<Param> params, List<Stmt> body) {
        Map<String, Expr> out = new HashMap<>();
        Set<String> many = new HashSet<>();
        params.forEach(p -> many.add(p.name()));
        new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                if (s instanceof Stmt.Assign a) {
                    for (Expr t : a.targets()) {
                        if (t instanceof Expr.Name n && !out.containsKey(n.id()) && !many.contains(n.id())) {
                            out.put(n.id(), a.value());
                        } else {
                            Bindings.names(t, many);
                        }
                    }
                } else if (s instanceof Stmt.AugAssign a) {
                    Bindings.names(a.target(), many);
                } else if (s instanceof Stmt.AnnAssign a) {
                    Bindings.names(a.target(), many);
                } else if (s instanceof Stmt.For f) {
                    Bindings.names(f.target(), many);
                } else if (s instanceof Stmt.With w) {
                    w.items().forEach(i -> Bindings.names(i.target(), many));
                } else if (s instanceof Stmt.FunctionDef f) {
                    many.add(f.name());
                    return false;
                } else if (s instanceof Stmt.ClassDef c) {
                    many.add(c.name());
                    return false;
                }
                return true;
            }
        }.walk(body);
        many.forEach(n -> out.put(n, null));
        return out;
    }

}
