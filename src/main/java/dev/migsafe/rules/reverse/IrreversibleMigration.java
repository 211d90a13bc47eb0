package dev.migsafe.rules.reverse;

import dev.migsafe.migration.DjangoNames;
import dev.migsafe.migration.Migration;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Reversibility;
import dev.migsafe.migration.Severity;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.eval.ModuleScope;
import dev.migsafe.python.eval.StaticEvaluator;
import dev.migsafe.rules.MigrationContext;
import dev.migsafe.rules.MigrationRule;
import dev.migsafe.rules.RuleInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * R305: a migration or an operation that declares itself irreversible, as far as the migration
 * file shows it:
 * <ul>
 * <li>the Migration class, or a base class defined in the same file, overrides {@code unapply()}
 *     with a body that raises (reported on the class line);</li>
 * <li>an operation whose class is defined in the migration file and sets {@code reversible =
 *     False}, or whose {@code database_backwards()} raises, or which derives from Django's base
 *     {@code Operation} without defining {@code database_backwards()} (the base raises
 *     NotImplementedError).</li>
 * </ul>
 * Classes imported from elsewhere are not visible to a static reader: P004 already asks for a
 * review of unknown operations. RunPython/RunSQL without a reverse are R301/R302. Inside
 * SeparateDatabaseAndState only database_operations run backwards, so only they are checked; the
 * whole operation is then irreversible (it carries the finding).
 */
public final class IrreversibleMigration extends MigrationRule {

    private static final String DJANGO_OPERATION = DjangoNames.MIGRATIONS + "Operation";

    public IrreversibleMigration() {
        super(RuleInfo.of("R305", "irreversible-migration", Severity.WARNING)
                .reversibility(Reversibility.NO)
                .summary("A migration or operation that declares itself irreversible.")
                .why("""
                        Django refuses to unapply an operation with `reversible = False` (IrreversibleError),
                        and a Migration whose unapply() raises, or a custom operation without a working
                        database_backwards(), fails the same way. A rollback with `migrate app <previous>` then
                        stops here, with this and every later migration still applied.""")
                .example("""
                        class AddAuditTrigger(Operation):
                            reversible = False

                            def database_forwards(self, app_label, schema_editor, from_state, to_state):
                                schema_editor.execute("CREATE TRIGGER audit ...")

                        operations = [AddAuditTrigger()]""")
                .instead("""
                        Implement the reverse and drop the flag:
                            class AddAuditTrigger(Operation):
                                def database_backwards(self, app_label, schema_editor, from_state, to_state):
                                    schema_editor.execute("DROP TRIGGER audit ON shop_order")
                        If it truly cannot be undone, keep it alone in its own migration and write the manual
                        rollback step in the release notes.""")
                .others("""
                        django-migration-linter checks RunPython/RunSQL reverses only; strong_migrations leaves
                        irreversibility to Rails' IrreversibleMigration at run time. migsafe reads custom
                        operation and Migration classes defined in the migration file itself."""));
    }

    @Override
    public void check(MigrationContext ctx) {
        MigrationFile file = ctx.file();
        Migration m = ctx.migration();
        if (file.module() == null || file.scope() == null || m == null) {
            return;
        }
        Classes classes = new Classes(file.module(), file.scope());
        Stmt.ClassDef cls = migrationClass(file.module());
        if (cls != null) {
            String where = classes.raisingUnapply(cls, new HashSet<>());
            if (where != null) {
                ctx.report(this, m.line(), m.column(), null, "Migration " + ctx.app() + "." + ctx.name() + ": " + where
                                + " raises, so `manage.py migrate " + ctx.app() + "` back past it fails",
                        "remove the unapply() override and let Django unapply the operations (give RunPython/RunSQL a "
                                + "reverse); if it truly cannot be undone, write the manual rollback step in the release notes");
            }
        }
        List<Operation> ops = ctx.operations();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            check(ctx, classes, op, i);
            if ("SeparateDatabaseAndState".equals(op.type())) {
                for (Operation db : op.databaseOperations()) {
                    check(ctx, classes, db, i);
                }
            }
        }
    }

    private void check(MigrationContext ctx, Classes classes, Operation op, int index) {
        if (op.type() == null || op.qualified() == null) {
            return;
        }
        Stmt.ClassDef c = classes.scope.classes().get(op.qualified());
        if (c == null || classes.scope.imports().containsKey(op.qualified())) {
            return;
        }
        String reason = null;
        if (Boolean.FALSE.equals(classes.reversible(c, new HashSet<>()))) {
            reason = "sets reversible = False";
        } else {
            Backwards b = classes.backwards(c, new HashSet<>());
            if (b == Backwards.RAISES) {
                reason = "has a database_backwards() that raises";
            } else if (b == Backwards.MISSING) {
                reason = "derives from Operation without a database_backwards() (Django's raises NotImplementedError)";
            }
        }
        if (reason != null) {
            ctx.report(this, op, index, c.name() + " (defined in " + ctx.name() + ") " + reason + ": `manage.py migrate "
                            + ctx.app() + "` back past this migration fails",
                    "implement " + c.name() + ".database_backwards() so that it undoes database_forwards()"
                            + (reason.startsWith("sets") ? " and remove `reversible = False`" : "")
                            + "; if it truly cannot be undone, keep it alone in its own migration and write the manual "
                            + "rollback step in the release notes");
        }
    }

    /** Django's loader takes the module's last top-level class named Migration. */
    private static Stmt.ClassDef migrationClass(Module module) {
        Stmt.ClassDef found = null;
        for (Stmt s : module.body()) {
            if (s instanceof Stmt.ClassDef c && c.name().equals("Migration")) {
                found = c;
            }
        }
        return found;
    }

    private enum Backwards { DEFINED, RAISES, MISSING, UNKNOWN }

    /** The classes of one migration file, looked up along their in-file bases. */
    private static final class Classes {
        private final ModuleScope scope;
        private final StaticEvaluator eval;

        Classes(Module module, ModuleScope scope) {
            this.scope = scope;
            this.eval = new StaticEvaluator(module, scope, DjangoNames::canonical);
        }

        /** Where an unapply() that raises is defined ("its unapply()", "unapply() of base X"), or null. */
        String raisingUnapply(Stmt.ClassDef c, Set<String> seen) {
            if (!seen.add(c.name())) {
                return null;
            }
            Stmt.FunctionDef unapply = method(c, "unapply");
            if (unapply != null) {
                return raises(unapply) ? (c.name().equals("Migration") ? "its unapply()" : "unapply() of its base " + c.name())
                        : null;
            }
            for (Expr base : c.bases()) {
                Stmt.ClassDef inFile = inFile(base);
                if (inFile != null) {
                    String found = raisingUnapply(inFile, seen);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        }

        /** The class attribute `reversible` along the bases: null when not known. Django's classes: True. */
        Boolean reversible(Stmt.ClassDef c, Set<String> seen) {
            if (!seen.add(c.name())) {
                return null;
            }
            for (Stmt s : c.body()) {
                if (s instanceof Stmt.Assign a && a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name n
                        && n.id().equals("reversible") && a.value() instanceof Expr.Constant k) {
                    if (k.kind() == Expr.Constant.Kind.FALSE) {
                        return false;
                    }
                    if (k.kind() == Expr.Constant.Kind.TRUE) {
                        return true;
                    }
                }
            }
            for (Expr base : c.bases()) {
                Stmt.ClassDef inFile = inFile(base);
                Boolean r = inFile != null ? reversible(inFile, seen) : isDjango(base) ? Boolean.TRUE : null;
                if (r != null) {
                    return r;
                }
            }
            return null;
        }

        Backwards backwards(Stmt.ClassDef c, Set<String> seen) {
            if (!seen.add(c.name())) {
                return Backwards.UNKNOWN;
            }
            Stmt.FunctionDef f = method(c, "database_backwards");
            if (f != null) {
                return raises(f) ? Backwards.RAISES : Backwards.DEFINED;
            }
            for (Expr base : c.bases()) {
                Stmt.ClassDef inFile = inFile(base);
                Backwards b;
                if (inFile != null) {
                    b = backwards(inFile, seen);
                } else if (DJANGO_OPERATION.equals(qualified(base))) {
                    b = Backwards.MISSING;
                } else if (isDjango(base)) {
                    b = Backwards.DEFINED; // Django's own operations all define it
                } else {
                    b = Backwards.UNKNOWN;
                }
                if (b != Backwards.UNKNOWN) {
                    return b;
                }
            }
            return Backwards.UNKNOWN;
        }

        private Stmt.ClassDef inFile(Expr base) {
            if (base instanceof Expr.Name n && !scope.imports().containsKey(n.id())) {
                return scope.classes().get(n.id());
            }
            return null;
        }

        private String qualified(Expr base) {
            String q = eval.qualify(base, Map.of());
            return q == null ? null : DjangoNames.canonical(q);
        }

        private boolean isDjango(Expr base) {
            String q = qualified(base);
            return q != null && (q.startsWith(DjangoNames.MIGRATIONS) || q.startsWith(DjangoNames.POSTGRES_OPERATIONS));
        }
    }

    private static Stmt.FunctionDef method(Stmt.ClassDef c, String name) {
        Stmt.FunctionDef found = null;
        for (Stmt s : c.body()) {
            if (s instanceof Stmt.FunctionDef f && f.name().equals(name)) {
                found = f;
            }
        }
        return found;
    }

    /** A body that raises unconditionally: a top-level raise statement. */
    private static boolean raises(Stmt.FunctionDef f) {
        for (Stmt s : f.body()) {
            if (s instanceof Stmt.Other o && o.kind().equals("Raise")) {
                return true;
            }
            if (s instanceof Stmt.Return) {
                return false;
            }
        }
        return false;
    }
}
