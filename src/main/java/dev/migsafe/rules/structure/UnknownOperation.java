package dev.migsafe.rules.structure;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.DjangoNames;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.eval.ModuleScope;
import dev.migsafe.rules.OperationContext;
import dev.migsafe.rules.OperationRule;
import dev.migsafe.rules.RuleInfo;
import dev.migsafe.state.ModelState;
import java.util.Map;
import java.util.Set;

/**
 * P004: an operation migsafe has no verdict for. Django's own operations and contrib.postgres'
 * are judged by the other rules; anything else (a third-party operation, a class written in the
 * migration file, a name that does not resolve through the file's imports) is review, unless the
 * project's {@code custom-operations} classifies it. A configured class other than compatible is
 * reported under this rule with that class, so that it still decides the operation's verdict.
 */
public final class UnknownOperation extends OperationRule {

    /** django.db.migrations' operations (Django 5.2 added AlterConstraint). */
    static final Set<String> DJANGO = Set.of("CreateModel", "DeleteModel", "RenameModel", "AlterModelTable",
            "AlterModelTableComment", "AlterModelOptions", "AlterModelManagers", "AlterUniqueTogether",
            "AlterIndexTogether", "AlterOrderWithRespectTo", "AddField", "RemoveField", "AlterField", "RenameField",
            "AddIndex", "RemoveIndex", "RenameIndex", "AddConstraint", "RemoveConstraint", "AlterConstraint",
            "SeparateDatabaseAndState", "RunSQL", "RunPython");

    /** django.contrib.postgres.operations' operations. */
    static final Set<String> POSTGRES = Set.of("CreateExtension", "BloomExtension", "BtreeGinExtension",
            "BtreeGistExtension", "CITextExtension", "CryptoExtension", "HStoreExtension", "TrigramExtension",
            "UnaccentExtension", "CreateCollation", "RemoveCollation", "AddIndexConcurrently",
            "RemoveIndexConcurrently", "AddConstraintNotValid", "ValidateConstraint");

    public UnknownOperation() {
        super(RuleInfo.classifying("P004", "unknown-operation", DeployClass.REVIEW)
                .summary("An operation that is neither Django's, contrib.postgres', nor listed in `custom-operations`.")
                .why("""
                        migsafe judges an operation by what Django does for it: which DDL it runs, which state it
                        changes. A third-party operation (django-pgtrigger's AddTrigger, django-syzygy's AddField,
                        a project's own Operation subclass, a class written in the migration file itself) can run
                        any SQL, so migsafe cannot tell whether old code keeps working, how long it locks, or
                        whether it can be reversed. It does not guess: the operation is review until someone
                        says what it is. The replay also leaves the state unchanged for it, so later verdicts on
                        the same model may rest on a state that misses what this operation did.""")
                .example("""
                        import pgtrigger.migrations

                        class Migration(migrations.Migration):
                            operations = [
                                pgtrigger.migrations.AddTrigger(
                                    model_name="order",
                                    trigger=pgtrigger.Protect(name="protect_deletes", operation=pgtrigger.Delete),
                                ),
                            ]""")
                .instead("""
                        Read what the operation runs (`python manage.py sqlmigrate <app> <migration>`), decide its
                        class once, and record it in the configuration so every later use is judged the same way:
                            [tool.migsafe.custom-operations]
                            "pgtrigger.AddTrigger" = "compatible"
                        A key matches the operation's qualified name as its imports resolve it
                        (pgtrigger.migrations.AddTrigger), the same name without its middle modules
                        (pgtrigger.AddTrigger), or a bare class name (AddTrigger). A class of compatible silences
                        this finding; review, two-phase or downtime make every use of the operation that class
                        (with its severity: warning for review, error otherwise). django-migration-linter's
                        IgnoreMigration() is understood as a marker, not an operation.""")
                .others("""
                        django-migration-linter analyses the SQL Django generates (sqlmigrate), so a custom
                        operation is judged by its SQL when it has a database connection, and RunPython or an
                        operation without SQL passes. strong_migrations (Rails) checks the methods it knows and
                        lets every other migration method through. migsafe reads migrations without running
                        them, so it never sees a custom operation's SQL: it says so (review) instead of passing
                        it, and lets the project classify it once in `custom-operations`."""));
    }

    @Override
    public void check(OperationContext ctx) {
        String type = ctx.type();
        String qualified = ctx.op().qualified();
        if (type == null || qualified == null) {
            return;
        }
        if (isKnown(ctx, type, qualified) || type.equals("IgnoreMigration")) {
            return; // django-migration-linter's IgnoreMigration() is a suppression marker, not an operation
        }
        Map.Entry<String, DeployClass> configured = configured(ctx.settings().customOperations(), qualified);
        if (configured != null) {
            DeployClass cls = configured.getValue();
            if (cls != DeployClass.COMPATIBLE && cls != null) {
                ctx.report(this, cls, ctx.op().line(), ctx.op().column(),
                        qualified + " on " + where(ctx) + " is classified " + cls.label()
                                + " by custom-operations (\"" + configured.getKey() + "\")",
                        cls == DeployClass.REVIEW ? "Review what it runs (`python manage.py sqlmigrate " + ctx.app() + " "
                                + ctx.migration().name() + "`)."
                                : "Ship it as the configuration says a " + cls.label() + " change must ship, "
                                + "or change its class in custom-operations if it no longer applies.");
            }
            return;
        }
        if (qualified.startsWith(DjangoNames.MIGRATIONS) || qualified.startsWith(DjangoNames.POSTGRES_OPERATIONS)) {
            String module = qualified.substring(0, qualified.length() - type.length() - 1);
            ctx.report(this, module + " has no operation " + type + " (in " + ctx.app() + "." + ctx.migration().name()
                            + "): misspelt, or newer than the Django releases migsafe knows, so what it does to "
                            + where(ctx) + " cannot be told",
                    "Correct the name (Django fails to import the migration otherwise); if it is an operation of a"
                            + " newer Django release, classify it in [tool.migsafe.custom-operations] \"" + qualified
                            + "\" until migsafe knows it.");
            return;
        }
        ctx.report(this, "operation " + qualified + " (in " + ctx.app() + "." + ctx.migration().name() + ") is "
                        + origin(ctx, qualified) + ": migsafe does not know what SQL it runs, so whether old code"
                        + " keeps working on " + where(ctx) + " cannot be told",
                "Check its SQL with `python manage.py sqlmigrate " + ctx.app() + " " + ctx.migration().name()
                        + "`, then classify it once in the configuration: [tool.migsafe.custom-operations] \""
                        + suggestedKey(qualified) + "\" = \"compatible\" (or review, two-phase, downtime).");
    }

    /** Django's or contrib.postgres' operation, resolved through the imports (or a star import of them). */
    static boolean isKnown(OperationContext ctx, String type, String qualified) {
        if (qualified.equals(DjangoNames.MIGRATIONS + type)) {
            return DJANGO.contains(type);
        }
        if (qualified.equals(DjangoNames.POSTGRES_OPERATIONS + type)) {
            return POSTGRES.contains(type);
        }
        if (qualified.equals(type) && (DJANGO.contains(type) || POSTGRES.contains(type))) {
            return starImported(ctx, type);
        }
        return false;
    }

    /** `from django.db.migrations.operations import *` and the like: a bare name that is not defined in the file. */
    private static boolean starImported(OperationContext ctx, String type) {
        ModuleScope scope = ctx.migration().file().scope();
        if (ctx.migration().file().module() == null || scope == null || scope.classes().containsKey(type)) {
            return false;
        }
        for (Stmt s : ctx.migration().file().module().body()) {
            if (s instanceof Stmt.ImportFrom f && f.level() == 0 && f.module() != null
                    && f.names().stream().anyMatch(a -> a.name().equals("*"))) {
                String module = DjangoNames.canonical(f.module() + ".X");
                String pkg = module.substring(0, module.length() - 1);
                if (pkg.equals(DjangoNames.MIGRATIONS) && DJANGO.contains(type)
                        || pkg.equals(DjangoNames.POSTGRES_OPERATIONS) && POSTGRES.contains(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The custom-operations entry for an operation: its qualified name exactly; the key's first
     * module and class name around any middle modules (pgtrigger.AddTrigger matches
     * pgtrigger.migrations.AddTrigger); or a bare class name. The most specific key wins.
     */
    static Map.Entry<String, DeployClass> configured(Map<String, DeployClass> custom, String qualified) {
        if (custom == null || custom.isEmpty()) {
            return null;
        }
        Map.Entry<String, DeployClass> best = null;
        int bestRank = 0;
        for (Map.Entry<String, DeployClass> e : custom.entrySet()) {
            int rank = rank(e.getKey(), qualified);
            if (rank > bestRank) {
                best = e;
                bestRank = rank;
            }
        }
        return best;
    }

    private static int rank(String key, String qualified) {
        if (key.equals(qualified)) {
            return 3;
        }
        String last = DjangoNames.lastName(qualified);
        if (!key.contains(".")) {
            return key.equals(last) ? 1 : 0;
        }
        String keyLast = DjangoNames.lastName(key);
        String keyPackage = key.substring(0, key.length() - keyLast.length());
        return keyLast.equals(last) && qualified.startsWith(keyPackage) ? 2 : 0;
    }

    private static String origin(OperationContext ctx, String qualified) {
        ModuleScope scope = ctx.migration().file().scope();
        if (scope == null) {
            return "not one of Django's or contrib.postgres' operations";
        }
        String root = qualified.contains(".") ? qualified.substring(0, qualified.indexOf('.')) : qualified;
        if (scope.classes().containsKey(root)) {
            return "a class defined in the migration file itself";
        }
        boolean imported = scope.imports().values().stream()
                .anyMatch(m -> qualified.equals(m) || qualified.startsWith(m + "."));
        return imported ? "not one of Django's or contrib.postgres' operations"
                : "a name that does not resolve through the file's imports";
    }

    /** The model the operation names (model_name=, name=, or its first argument) when the state has it, else "the database". */
    private static String where(OperationContext ctx) {
        String name = ctx.str(-1, "model_name");
        if (name == null) {
            name = ctx.str(-1, "name");
        }
        if (name == null) {
            name = ctx.str(0, "model_name"); // a first positional argument, when it names a model of the state
        }
        ModelState m = name == null ? null : ctx.state().model(ctx.app(), name);
        return m != null ? m.label() + " (table " + m.table() + ")" : "the database";
    }

    /** The key to suggest: the package and class (pgtrigger.AddTrigger), as PRODUCT.md writes it. */
    private static String suggestedKey(String qualified) {
        int first = qualified.indexOf('.');
        if (first < 0) {
            return qualified;
        }
        return qualified.substring(0, first) + "." + DjangoNames.lastName(qualified);
    }
}
