package dev.migsafe.rules.structure;

import dev.migsafe.migration.Severity;
import dev.migsafe.rules.DocumentedRule;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import java.util.List;

/**
 * The documentation of the graph and history rules whose findings the graph code produces:
 * MigrationGraph (G001, G003, G004, G008), Divergence (G002, G009) and ChangeSet (G005, G006,
 * G007). G010 is a rule of the stage family.
 */
final class GraphRuleDocs {

    private GraphRuleDocs() {}

    static List<Rule> all() {
        return List.of(multipleLeaves(), branchDivergence(), missingDependency(), dependencyCycle(),
                modifiedMigration(), deletedMigration(), renamedMigration(), duplicateNumber(), semanticConflict());
    }

    static Rule multipleLeaves() {
        return new DocumentedRule(RuleInfo.of("G001", "multiple-leaves", Severity.ERROR)
                .summary("An app has more than one leaf migration at the analysed commit.")
                .why("""
                        A leaf is a migration of the app that no other migration of the same app depends on.
                        With two leaves Django does not know their order: `migrate` stops with "Conflicting
                        migrations detected; multiple leaf nodes in the migration graph" and nothing is applied,
                        for any app. It happens when two branches each added a migration to the app and were
                        merged without a merge migration. migsafe builds the graph as Django does (dependencies,
                        run_before, __first__/__latest__, squashes standing in for what they replace) and reports
                        the app once, on its last leaf's Migration class line, naming every leaf.""")
                .example("""
                        orders/migrations/0007_order_note.py       dependencies = [("orders", "0006_order_total")]
                        orders/migrations/0007_order_channel.py    dependencies = [("orders", "0006_order_total")]""")
                .instead("""
                        Either run `python manage.py makemigrations --merge orders`, which writes a migration
                        depending on both leaves, or (when neither leaf has reached a shared database yet)
                        renumber one of them and point its dependencies at the other:
                            # orders/migrations/0008_order_channel.py
                            dependencies = [("orders", "0007_order_note")]
                        Renumbering keeps history linear, but only for migrations no database has applied.""")
                .others("""
                        Django refuses to migrate, and `makemigrations --check` fails, once the conflict is on
                        disk. django-linear-migrations makes the conflict appear earlier, as a git merge conflict
                        on a max_migration.txt file per app. migsafe reports it on the analysed commit (this
                        rule) and before the merge (G002)."""));
    }

    static Rule branchDivergence() {
        return new DocumentedRule(RuleInfo.of("G002", "branch-divergence", Severity.ERROR)
                .summary("Merging the refs would give an app two leaves: both sides added migrations to it since their merge base.")
                .why("""
                        Each branch is consistent on its own, so each one's CI passes; the conflict exists only
                        once both are merged, and then `migrate` stops with "Conflicting migrations detected" on
                        the target branch (G001). `migsafe divergence` compares each side with the merge base:
                        when both sides added migrations to one app (a migration both sides added under the same
                        name, a cherry-pick, does not count), the finding names both sides and their migrations
                        and is reported on the first migration of the second side. `migsafe analyze A...B` (and
                        `A..B`) checks B against A, the branch the range merges into, so a pull request into a
                        release branch is compared with that branch and a commit reviewed against its parent
                        diverges from nothing; `analyze REF` and `analyze` alone check against the default branch.""")
                .example("""
                        main:    orders/migrations/0007_order_note.py
                        feature: orders/migrations/0007_order_channel.py   (both depend on 0006_order_total)""")
                .instead("""
                        Before merging, rebase the feature branch and renumber its migration to follow the
                        other side's leaf, with the exact dependency:
                            mv orders/migrations/0007_order_channel.py orders/migrations/0008_order_channel.py
                            dependencies = [("orders", "0007_order_note")]
                        or, after merging, run `python manage.py makemigrations --merge orders`. Renumbering is
                        only safe while the branch's migration has not been applied to a shared database.""")
                .others("""
                        django-linear-migrations turns the same situation into a git conflict on
                        max_migration.txt and offers `rebase_migration` to renumber; Django itself only notices
                        after the merge. migsafe warns before the merge and also checks G009 (both sides changing
                        the same field), which neither a merge migration nor a renumbering resolves."""));
    }

    static Rule missingDependency() {
        return new DocumentedRule(RuleInfo.of("G003", "missing-dependency", Severity.ERROR)
                .summary("A dependency (or run_before) on a migration of an app in the repository that does not exist.")
                .why("""
                        Django raises NodeNotFoundError ("Migration orders.0008_x dependencies reference
                        nonexistent parent node ('orders', '0007_y')") and migrates nothing. migsafe checks every
                        literal dependency after applying squashes (a dependency on a migration that a squash
                        replaces points at the squash), every run_before entry, and `__first__`/`__latest__` on an
                        app of the repository that has no migrations. Apps outside the repository (auth,
                        contenttypes, third-party packages) are known only by name and are never reported
                        missing; a swappable dependency resolves through the configured `swappable` map.""")
                .example("""
                        dependencies = [("orders", "0007_order_channel")]   # the file was renamed to 0008_...""")
                .instead("""
                        Point the dependency at a migration that exists (the finding names the app's latest), or
                        restore the missing file. If the target was squashed and deleted, depend on the squash.""")
                .others("Django's own loader fails the same way at startup; migsafe reports it per line, before deploying."));
    }

    static Rule dependencyCycle() {
        return new DocumentedRule(RuleInfo.of("G004", "dependency-cycle", Severity.ERROR)
                .summary("A cycle through dependencies and run_before.")
                .why("""
                        Django cannot order migrations that depend on each other and raises
                        CircularDependencyError. Cycles usually come from run_before, or from two apps whose
                        migrations each depend on the other's later migration (often after a model moved
                        between apps). migsafe reports each cycle once, with the path (a -> b -> a), on one
                        migration of the cycle.""")
                .example("""
                        # billing/migrations/0003_invoice_order.py
                        dependencies = [("orders", "0005_order_invoice")]
                        # orders/migrations/0005_order_invoice.py
                        dependencies = [("billing", "0003_invoice_order")]""")
                .instead("""
                        Remove the dependency (or run_before entry) that closes the cycle. When two apps need
                        each other's tables, split one migration in two: create the table first, add the
                        foreign key in a second migration that depends on the other app.""")
                .others("Django fails the same way at startup; migsafe names the whole cycle."));
    }

    static Rule modifiedMigration() {
        return new DocumentedRule(RuleInfo.of("G005", "modified-migration", Severity.ERROR)
                .summary("A migration that exists at the base was changed in the range.")
                .why("""
                        Django records applied migrations by name only. A database that applied the old version
                        never runs the new one, so production, staging and every developer's database drift
                        apart silently, while fresh databases (tests, new environments) get the new version.
                        migsafe compares syntax trees and judges what the edit means for databases that applied
                        the migration:
                        - comments or formatting only: info;
                        - only `dependencies`/`run_before` added or reordered (the operations and everything
                          else unchanged): info. Dependencies only order migrations that have not run yet;
                        - a dependency added on a migration that is new in the range: error. Databases that
                          applied the edited migration have not applied its new parent, and Django refuses to
                          migrate them (InconsistentMigrationHistory);
                        - a dependency (or run_before) removed whose target no longer comes before (after) the
                          migration through another path: warning. Deployed databases are unaffected, but new
                          databases may run the two in the other order;
                        - the same operations with the same effect on the database (same types, targets and
                          arguments, apart from field arguments Django never sends to the database: blank,
                          choices, editable, error_messages, help_text, limit_choices_to, on_delete,
                          related_name, related_query_name, validators, verbose_name, upload_to, storage; and
                          model options of AlterModelOptions/AlterModelManagers or CreateModel such as
                          ordering, permissions, verbose_name), the Migration class otherwise unchanged:
                          - only the code RunPython runs changed (its functions, the module's imports):
                            warning. Databases that applied the migration keep what the old code did; new
                            databases (fresh installs, test databases) run the new code. That is right when the
                            old code crashes on new databases (a model class imported instead of
                            `apps.get_model`, the fix D401 asks for) and both versions leave the data the same,
                            and wrong when the new code does more or other work, which deployed databases never
                            get; a reviewer decides, so it is no error;
                          - only such Python-side arguments (a validator's import path, a help_text) or imports:
                            info. No database differs;
                        - anything else (a schema argument, a RunPython or RunSQL argument, module code that no
                          RunPython runs, which may be a field's default or class, class attributes such as
                          atomic or initial): error.

                        Dependencies on apps outside the repository are assumed applied on deployed databases.""")
                .example("""
                        # base:  migrations.AddField("order", "note", models.TextField(null=True))
                        # head:  migrations.AddField("order", "note", models.TextField(null=True, db_index=True))""")
                .instead("""
                        Revert the change to the shipped migration and put it in a new migration
                        (`python manage.py makemigrations orders`; for a data migration, RunPython or RunSQL only,
                        `python manage.py makemigrations orders --empty` and move the code there, since
                        makemigrations writes no data migration by itself). When the old code must not run on new
                        databases any more (it fails there), making it a no-op is the accepted way out; the new
                        migration must then bring both kinds of database, those that ran the old version and new
                        ones, to the same state, and the error stays for a reviewer to confirm that (suppress it
                        once confirmed). Editing a shipped migration is only safe for changes that databases do not
                        need (comments, formatting, dependencies on migrations every database already has,
                        Python-side field arguments), and those are the info cases. Keep an edit of RunPython code
                        (the warning) only when the old code fails on new databases; otherwise put the new code
                        in a new migration.""")
                .others("""
                        Neither Django nor django-migration-linter notices an edited migration; strong_migrations
                        has no counterpart (Rails keys migrations by version number in the same way)."""));
    }

    static Rule deletedMigration() {
        return new DocumentedRule(RuleInfo.of("G006", "deleted-migration", Severity.ERROR)
                .summary("A migration present at the base is gone, and no squashed migration replaces it.")
                .why("""
                        Databases that applied it keep its row in django_migrations while the graph no longer
                        has it; migrations that depended on it now fail to load (G003), and fresh databases never
                        get its changes. The only sanctioned way to retire migrations is a squash whose
                        `replaces` lists them, kept until every database has applied it.""")
                .example("""
                        # base: orders/migrations/0004_order_status.py   head: (deleted, nothing replaces it)""")
                .instead("""
                        Restore the file. To retire old migrations, run
                        `python manage.py squashmigrations orders 0004_order_status`, deploy the squash, and
                        delete the originals only once every database has applied it.""")
                .others("Django reports the dangling dependencies only at load time; the deletion itself goes unnoticed."));
    }

    static Rule renamedMigration() {
        return new DocumentedRule(RuleInfo.of("G007", "renamed-migration", Severity.ERROR)
                .summary("A base migration reappears under another name with the same content (dependencies aside).")
                .why("""
                        Django knows an applied migration by its name. After a rename, every database that
                        applied the old name sees a new, unapplied migration and runs it again: AddField fails
                        on the existing column, RunPython runs twice. migsafe matches a deleted base file with an
                        added head file by blob or by syntax tree, and also when the two differ only in
                        `dependencies` and `run_before` (a renumbering that points the migration at its new
                        predecessor; the message says so). Migrations without operations (merge migrations are
                        nothing but dependencies) are matched only by identical content.""")
                .example("""
                        # base: orders/migrations/0007_auto_20240101_1200.py
                        # head: orders/migrations/0007_order_channel.py   (same content)""")
                .instead("""
                        Keep the old name. If the new name is needed, fake it on every database once
                        (`python manage.py migrate orders 0007_order_channel --fake`), or keep the old file and
                        make the new one an empty migration that depends on it.""")
                .others("Renames are invisible to Django's checks and to django-migration-linter."));
    }

    static Rule duplicateNumber() {
        return new DocumentedRule(RuleInfo.of("G008", "duplicate-number", Severity.INFO)
                .summary("Two migrations of one app share a number prefix.")
                .why("""
                        Django orders migrations by dependencies, not by number, so a duplicate number is legal.
                        It is the trace of two branches that each added a migration and were reconciled with a
                        merge migration (or by hand), and it makes the history harder to follow. Each member is
                        reported at its own file, so a range that adds one of them shows it.""")
                .example("""
                        orders/migrations/0007_order_note.py
                        orders/migrations/0007_order_channel.py
                        orders/migrations/0008_merge_20240102_0900.py""")
                .instead("""
                        Nothing to do for migrations that databases have applied. For ones that have not shipped
                        yet, renumber one and point its dependencies at the other, instead of a merge migration.""")
                .others("django-linear-migrations prevents the situation; Django accepts it."));
    }

    static Rule semanticConflict() {
        return new DocumentedRule(RuleInfo.of("G009", "semantic-conflict", Severity.WARNING)
                .summary("Two branches that each add migrations change the same model field, or one deletes or renames a model the other changes.")
                .why("""
                        A merge migration makes Django accept two leaves, but it orders the two branches'
                        operations arbitrarily: two AlterFields of one field leave whichever runs last, an
                        AlterField after the other side's RemoveField fails, a RenameField on one side breaks the
                        other side's operations on the old name. `migsafe divergence` lists what each side's new
                        migrations touch and reports, on the second side's operation: any two operations on the
                        same field (AddField, AlterField, RemoveField, RenameField by old or new name); a field
                        operation on one side and DeleteModel or RenameModel of its model on the other; two
                        model-level operations on one model when one of them deletes or renames it (two option
                        changes such as AlterModelOptions merge fine and are not reported). A side brings the
                        operations of the migrations it adds (or renames); of a migration that exists at the
                        merge base and that the side edited (e.g. reformatted), only the operations the edit
                        changed, since the others are on both sides already (the edit itself is G005's).""")
                .example("""
                        main:    migrations.AlterField("order", "status", models.CharField(max_length=40))
                        feature: migrations.AlterField("order", "status", models.CharField(max_length=20, db_index=True))""")
                .instead("""
                        Decide the final state of the field on one branch, rebase the other branch onto it, and
                        regenerate its migration (`python manage.py makemigrations orders`) so that it starts from
                        the merged state.""")
                .others("""
                        Django's `makemigrations --merge` lists both sides' operations and writes a migration that
                        depends on both, without checking whether they touch the same field;
                        django-linear-migrations forces a rebase but does not compare what the sides change.
                        migsafe names the field both sides touch."""));
    }
}
