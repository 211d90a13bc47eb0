package dev.migsafe.graph;

import dev.migsafe.migration.Dependency;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Migration;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.SyntaxFingerprint;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Stmt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * G005: what an edit of a shipped migration means for the databases that already applied it.
 *
 * Comments and formatting: nothing (info). Dependencies and run_before only: they order
 * migrations that have not run yet, so a database that applied the migration is unaffected,
 * with two exceptions judged from the graphs: a dependency added on a migration that is new in
 * the range makes Django refuse to migrate those databases (the applied migration's new parent
 * is not applied: InconsistentMigrationHistory), an error; a dependency or run_before removed
 * whose target no longer comes before (or after) the migration lets new databases run them in
 * the other order, a warning. The same operations with the same effect on the database (see
 * {@link OperationText#databaseEffect}): only the code RunPython runs changed is a warning (new
 * databases run other code than deployed ones ran), only Python-side arguments or imports is
 * info. Anything else changes what fresh databases get and deployed ones never will: an error.
 */
final class ShippedEdit {

    private static final Set<String> ORDERING = Set.of("dependencies", "run_before");
    private static final Set<String> DATA_OPERATIONS = Set.of("RunPython", "RunSQL");

    private ShippedEdit() {}

    static Finding judge(MigrationGraph.LabeledFile f, MigrationGraph.LabeledFile old, LoadedSnapshot base,
                         LoadedSnapshot head) {
        String path = f.file().path();
        String name = MigrationGraph.migrationName(path);
        String what = "shipped migration " + f.app() + "." + name;
        Module before = old.file().module();
        Module after = f.file().module();
        if (before != null && after != null && SyntaxFingerprint.of(before).equals(SyntaxFingerprint.of(after))) {
            return new Finding("G005", Severity.INFO, path, 1, 1, f.app(), name,
                    what + " was edited, but only in comments or formatting",
                    "Nothing to do: the operations are unchanged.");
        }
        Migration was = old.file().migration();
        Migration is = f.file().migration();
        if (before != null && after != null && was != null && is != null
                && SyntaxFingerprint.of(withoutOrdering(before)).equals(SyntaxFingerprint.of(withoutOrdering(after)))) {
            return orderingOnly(f, was, is, base, head);
        }
        Finding noSchemaEffect = withoutSchemaEffect(f, before, after, was, is);
        if (noSchemaEffect != null) {
            return noSchemaEffect;
        }
        return new Finding("G005", Severity.ERROR, path, line(f.file()), 1, f.app(), name,
                what + " was changed: databases that already applied it will never run the new version",
                isDataMigration(was) || isDataMigration(is)
                        ? "Revert the change to " + path + " and put the new code in a new migration "
                                + "(`python manage.py makemigrations " + f.app() + " --empty`, then move the "
                                + "RunPython/RunSQL there). If the old code must not run on new databases any more (it "
                                + "fails there), keep this one a no-op and make the new migration bring both kinds of "
                                + "database, those that ran the old version and new ones, to the same state."
                        : "Revert the change to " + path + " and put it in a new migration (`python manage.py "
                                + "makemigrations " + f.app() + "`).");
    }

    /**
     * An edit that leaves the operations' effect on the database as it was: the same operations
     * with the same targets and database arguments, the Migration class otherwise unchanged.
     * Then only the code RunPython runs (a warning: deployed databases keep what the old code
     * did, new ones run the new code), or only Python-side arguments and imports (info) may have
     * changed. Null for anything else, which stays an error: module-level code that no RunPython
     * runs may be a field's default or a field class, and those reach the database.
     */
    private static Finding withoutSchemaEffect(MigrationGraph.LabeledFile f, Module before, Module after,
                                               Migration was, Migration is) {
        if (before == null || after == null || was == null || is == null
                || !fingerprint(migrationClass(before)).equals(fingerprint(migrationClass(after)))
                || !OperationText.databaseEffect(was.operations()).equals(OperationText.databaseEffect(is.operations()))) {
            return null;
        }
        boolean arguments = !OperationText.of(was.operations()).equals(OperationText.of(is.operations()));
        boolean code = !fingerprint(moduleCode(before, false)).equals(fingerprint(moduleCode(after, false)));
        boolean imports = !fingerprint(moduleCode(before, true)).equals(fingerprint(moduleCode(after, true)));
        boolean runsCode = runsPython(was) || runsPython(is);
        String path = f.file().path();
        String name = MigrationGraph.migrationName(path);
        String what = "shipped migration " + f.app() + "." + name;
        if (runsCode && (code || imports)) {
            return new Finding("G005", Severity.WARNING, path, line(f.file()), 1, f.app(), name,
                    what + " was changed only in the code its RunPython runs" + (arguments ? " and in arguments "
                            + "that never reach the database" : "") + ": databases that applied it keep what the old "
                            + "version did, while new databases (fresh installs, test databases) run the new one",
                    "Keep the edit only if the old code fails on new databases (e.g. it imported a model class "
                            + "instead of using `apps.get_model`) and both versions leave the data the same; otherwise "
                            + "revert it and put the new code in a new migration (`python manage.py makemigrations "
                            + f.app() + " --empty`, then move the RunPython there).");
        }
        if (code) {
            return null;
        }
        return new Finding("G005", Severity.INFO, path, line(f.file()), 1, f.app(), name,
                what + " was changed only in " + (arguments ? "field arguments or model options that never reach "
                        + "the database (validators, help_text, upload_to, verbose_name...)" : "its imports")
                        + ": databases that applied it are unaffected",
                "Nothing to do: Django makes no SQL for these arguments. Keep them in step with the model, or the "
                        + "next `makemigrations` writes an AlterField for the difference.");
    }

    /** The Migration class with its operations left out (dependencies, atomic, replaces... kept). */
    private static List<Stmt> migrationClass(Module m) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : m.body()) {
            if (s instanceof Stmt.ClassDef c && c.name().equals("Migration")) {
                out.addAll(c.body().stream().filter(x -> !isAssignmentTo(x, Set.of("operations"))).toList());
            }
        }
        return out;
    }

    /** The module's statements outside the Migration class: its imports, or everything else. */
    private static List<Stmt> moduleCode(Module m, boolean imports) {
        return m.body().stream()
                .filter(s -> !(s instanceof Stmt.ClassDef c && c.name().equals("Migration")))
                .filter(s -> imports == (s instanceof Stmt.Import || s instanceof Stmt.ImportFrom))
                .toList();
    }

    private static String fingerprint(List<Stmt> body) {
        return SyntaxFingerprint.of(new Module(body, "", List.of()));
    }

    private static boolean runsPython(Migration m) {
        return m.operations().stream().anyMatch(op -> "RunPython".equals(op.type()));
    }

    private static Finding orderingOnly(MigrationGraph.LabeledFile f, Migration was, Migration is, LoadedSnapshot base,
                                        LoadedSnapshot head) {
        String path = f.file().path();
        String name = MigrationGraph.migrationName(path);
        MigrationKey self = new MigrationKey(f.app(), name);
        String what = "shipped migration " + f.app() + "." + name;
        Set<String> oldDeps = keys(was.dependencies());
        Set<String> newDeps = keys(is.dependencies());
        // An added dependency on a migration no deployed database has applied yet.
        for (Dependency d : is.dependencies()) {
            if (oldDeps.contains(key(d)) || d.kind() != Dependency.Kind.LITERAL) {
                continue;
            }
            MigrationKey target = new MigrationKey(d.app(), d.name());
            if (head.graph().node(target) != null && base.graph().node(target) == null) {
                return new Finding("G005", Severity.ERROR, path, d.line(), d.column(), f.app(), name,
                        what + " now depends on " + d.app() + "." + d.name() + ", which is new in this range: "
                                + "databases that applied " + name + " do not have it, and Django refuses to migrate "
                                + "them (InconsistentMigrationHistory)",
                        "Remove the dependency from " + path + "; if the new migration must run first on new "
                                + "databases too, make it depend on " + name + " instead, or order the later migrations.");
            }
        }
        // A removed dependency (run_before) whose target no longer comes before (after) it.
        List<String> loosened = new ArrayList<>();
        for (Dependency d : was.dependencies()) {
            if (!newDeps.contains(key(d)) && d.kind() == Dependency.Kind.LITERAL
                    && !before(head.graph(), new MigrationKey(d.app(), d.name()), self)) {
                loosened.add("no longer runs after " + d.app() + "." + d.name());
            }
        }
        for (MigrationKey r : was.runBefore()) {
            if (!is.runBefore().contains(r) && !before(head.graph(), self, r)) {
                loosened.add("no longer runs before " + r.app() + "." + r.name());
            }
        }
        if (!loosened.isEmpty()) {
            return new Finding("G005", Severity.WARNING, path, line(f.file()), 1, f.app(), name,
                    what + " " + String.join(" and ", loosened) + ": databases that applied it are unaffected, "
                            + "but new databases may now run them in the other order",
                    "Keep the dependency unless it was wrong; check that " + name + " does not use what the other "
                            + "migration creates, or the reverse (a fresh `python manage.py migrate` shows it).");
        }
        return new Finding("G005", Severity.INFO, path, line(f.file()), 1, f.app(), name,
                what + " was edited, but only in the order it runs in (dependencies or run_before): databases "
                        + "that applied it are unaffected",
                "Nothing to do: dependencies only order migrations that have not run yet.");
    }

    /** Whether {@code first} is an ancestor of {@code then} in the graph (squashes followed). */
    private static boolean before(MigrationGraph graph, MigrationKey first, MigrationKey then) {
        MigrationGraph.Node target = graph.node(first);
        MigrationGraph.Node start = graph.node(then);
        if (target == null || start == null) {
            return !graph.apps().contains(first.app()); // another project's app: assumed applied first
        }
        Deque<MigrationKey> todo = new ArrayDeque<>(start.parents());
        Set<MigrationKey> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            MigrationKey k = todo.pop();
            if (k.equals(target.key())) {
                return true;
            }
            MigrationGraph.Node n = graph.node(k);
            if (seen.add(k) && n != null) {
                todo.addAll(n.parents());
            }
        }
        return false;
    }

    /** The module with the Migration class's dependencies and run_before left out. */
    static Module withoutOrdering(Module m) {
        List<Stmt> body = new ArrayList<>();
        for (Stmt s : m.body()) {
            if (s instanceof Stmt.ClassDef c && c.name().equals("Migration")) {
                List<Stmt> inner = c.body().stream().filter(x -> !isOrdering(x)).toList();
                body.add(new Stmt.ClassDef(c.pos(), c.name(), c.bases(), c.keywords(), c.decorators(), inner));
            } else {
                body.add(s);
            }
        }
        return new Module(body, m.source(), m.comments());
    }

    private static boolean isOrdering(Stmt s) {
        return isAssignmentTo(s, ORDERING);
    }

    private static boolean isAssignmentTo(Stmt s, Set<String> names) {
        if (s instanceof Stmt.Assign a) {
            return a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name n && names.contains(n.id());
        }
        return s instanceof Stmt.AnnAssign a && a.target() instanceof Expr.Name n && names.contains(n.id());
    }

    /** RunPython/RunSQL only: `makemigrations` writes no such migration without `--empty`. */
    private static boolean isDataMigration(Migration m) {
        if (m == null || m.operations().isEmpty()) {
            return false;
        }
        for (Operation op : m.operations()) {
            if (op.type() == null || !DATA_OPERATIONS.contains(op.type())) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> keys(List<Dependency> deps) {
        Set<String> out = new LinkedHashSet<>();
        deps.forEach(d -> out.add(key(d)));
        return out;
    }

    private static String key(Dependency d) {
        return switch (d.kind()) {
            case LITERAL -> d.app() + "." + d.name();
            case FIRST -> d.app() + ".__first__";
            case LATEST -> d.app() + ".__latest__";
            case SWAPPABLE -> "swappable:" + d.setting();
            case UNRESOLVED -> "source:" + d.source();
        };
    }

    private static int line(MigrationFile f) {
        return f.migration() == null ? 1 : f.migration().line();
    }
}
