package dev.migsafe.rules.structure;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Severity;
import dev.migsafe.rules.DocumentedRule;
import dev.migsafe.rules.Rule;
import dev.migsafe.rules.RuleInfo;
import java.util.List;

/**
 * The documentation of the parsing rules whose findings the migration reader produces
 * (MigrationReader, ModuleParser, LoadedSnapshot): P001 syntax-error, P002 not-a-migration,
 * P003 dynamic-operations, P005 input-too-large, P006 unreadable-file, and P007 rule-failed, which the
 * analyzer reports when a rule fails on an operation. P004 is a rule of its own ({@link UnknownOperation}).
 */
final class ParsingRuleDocs {

    private ParsingRuleDocs() {}

    static List<Rule> all() {
        return List.of(syntaxError(), notAMigration(), dynamicOperations(), inputTooLarge(), unreadableFile(),
                ruleFailed());
    }

    static Rule syntaxError() {
        return new DocumentedRule(RuleInfo.of("P001", "syntax-error", Severity.ERROR)
                .summary("A migration file that is not valid Python (or cannot be decoded).")
                .why("""
                        Django imports every module of a migrations package when it builds the migration graph,
                        so one file that does not parse stops `migrate`, `makemigrations` and even `runserver`'s
                        migration check for the whole project. migsafe reports where Python would: the line and
                        column of the first error, with Python's own wording where it has one ("invalid
                        syntax", "unexpected indent", "unterminated string literal", "source code cannot contain
                        null bytes", "unknown encoding: ...", a byte the declared encoding cannot decode). A file
                        migsafe may not read at all is P006 (unreadable-file) instead. The file then has no operations and no dependencies for migsafe: later migrations are
                        replayed without its changes, and it counts as a leaf of its app, so a G001 next to it is
                        usually a consequence of this error.""")
                .example("""
                        class Migration(migrations.Migration):
                            operations = [
                                migrations.AddField("order", "note", models.TextField(null=True)
                            ]""")
                .instead("""
                        Fix the error at the reported line and column; `python -m py_compile <file>` shows the
                        same message. For an encoding error, save the file as UTF-8 (Django writes migrations
                        in UTF-8) or correct its `# -*- coding: ... -*-` line."""));
    }

    static Rule notAMigration() {
        return new DocumentedRule(RuleInfo.of("P002", "not-a-migration", Severity.INFO)
                .summary("A module in a migrations folder without a top-level `class Migration`; migsafe skips it.")
                .why("""
                        migsafe reads every `*.py` module of a `migrations` folder except `__init__.py` and names
                        starting with `_` or `~`, as Django's loader does. A module without a top-level
                        `class Migration` is skipped: it is no node of the graph and changes no state. Django is
                        stricter than migsafe here: its loader imports that module too and raises
                        BadMigrationError ("Migration <name> in app <app> has no Migration class"), so `migrate`
                        fails for the project. A module that gets its Migration class by import
                        (`from .base import Migration`) satisfies Django but is reported here, because migsafe
                        reads only classes written in the file.""")
                .example("""
                        # shop/orders/migrations/helpers.py
                        def copy_prices(apps, schema_editor):
                            ...""")
                .instead("""
                        Move helper code out of the migrations package (e.g. shop/orders/migration_utils.py) and
                        import it from the migrations that use it, or give the module a name starting with an
                        underscore (`_helpers.py`), which Django's loader and migsafe both skip."""));
    }

    static Rule dynamicOperations() {
        return new DocumentedRule(RuleInfo.classifying("P003", "dynamic-operations", DeployClass.REVIEW)
                .summary("`operations`, `dependencies`, `replaces` or `run_before` that cannot be read without running the file.")
                .why("""
                        migsafe never executes project code: it evaluates the Migration class statically (imports,
                        module constants, string and list concatenation, module-level functions). It reports
                        P003, at the place it gave up, when one of these is not a literal it can follow: the
                        attribute is assigned inside if/for/try, changed after its definition (`+=`, `append`,
                        `extend`, `insert`, or `Migration.operations` assigned after the class), computed by a
                        call or a comprehension, written `A if cond else B` (both branches are read), or holds
                        an item that is not resolvable (an operation that is not a call, a dependency that is not
                        an ("app", "name") pair of strings or swappable_dependency(...), a CreateModel field that
                        is not a ("name", Field(...)) pair, a SeparateDatabaseAndState or RunSQL
                        state_operations that is not a list). Everything it could read is still analysed; what
                        it could not read is missing from the graph and the replayed state, so verdicts on later
                        operations of the same models may be incomplete.""")
                .example("""
                        class Migration(migrations.Migration):
                            operations = [
                                migrations.AddField("order", name, models.TextField(null=True))
                                for name in ("note", "memo")
                            ]""")
                .instead("""
                        Write the list out literally, as makemigrations does:
                            operations = [
                                migrations.AddField("order", "note", models.TextField(null=True)),
                                migrations.AddField("order", "memo", models.TextField(null=True)),
                            ]
                        A generated list is also hard for a reviewer to read; if it must stay, review this
                        migration by hand and suppress the finding with a reason.""")
                .others("""
                        django-migration-linter imports the project and asks Django for each migration's SQL, so
                        it sees the computed list (and runs the project's code to get it). migsafe reads the files
                        without importing them, which makes it safe on untrusted pull requests and usable without
                        a database or settings, at the cost of this finding for code it cannot follow."""));
    }

    static Rule inputTooLarge() {
        return new DocumentedRule(RuleInfo.of("P005", "input-too-large", Severity.ERROR)
                .summary("A file over the size limit (16 MB), or nested deeper than the parser can take.")
                .why("""
                        Each file is read in isolation, so an oversized or absurdly nested one becomes a finding
                        instead of stopping the run. P005 is reported for a file over 16 MB; for more than 200
                        nested brackets or more than 100 indentation levels (CPython's own tokenizer limits, so
                        Python would refuse the file too); and for expressions nested so deeply that the parser
                        runs out of stack. migsafe learns a file's size before opening it and never reads more
                        than the limit (a 3 GB sparse file costs nothing). The file is then treated like one with a syntax error: no operations, no dependencies.""")
                .example("""
                        # a generated data migration holding a 40 MB literal list of rows
                        ROWS = [(1, "a"), (2, "b"), ...]""")
                .instead("""
                        Keep bulk data out of migration source: load it from a fixture or a data file in a
                        RunPython function, or split the migration. If the file is legitimate and Python accepts
                        it, report it to migsafe's maintainers with its size and nesting depth."""));
    }

    static Rule unreadableFile() {
        return new DocumentedRule(RuleInfo.of("P006", "unreadable-file", Severity.ERROR)
                .summary("A migration file (or an app's apps.py) whose content cannot be read: from git, or from the work tree.")
                .why("""
                        migsafe reads files from git objects. In a partial clone (`git clone --filter=blob:none`,
                        actions/checkout with `filter:`) the blobs of commits that were never checked out are
                        not in the clone until git fetches them on demand, which migsafe never does: it does not
                        go to the network. A damaged clone may lack or garble objects too. And a migration
                        committed as a symbolic link is a path in git, not a file: Django imports the file the
                        link points to, which migsafe does not follow. In the work tree and for files named on
                        the command line, a path that holds no regular file (a named pipe, a device, a socket, a
                        folder named like a module) or that migsafe may not read (permission denied, an I/O
                        error) is P006 too: migsafe learns a file's type before opening it and never opens such
                        a file (a pipe would wait forever, /dev/zero never ends). Each such file is reported on its own, with
                        the object's id, and the others are analysed as usual. The file is then treated like one
                        with a syntax error: no operations, no dependencies, so graph findings next to it (two
                        leaves, a missing dependency) may be consequences of this one. An apps.py that cannot be
                        read leaves its app labelled by its folder's name. Files whose parse is in migsafe's
                        cache are not read again and are analysed from the cache.""")
                .example("""
                        # a partial clone: the release branch's version of 0041 was never checked out
                        $ git clone --filter=blob:none https://example.com/shop.git && cd shop
                        $ migsafe analyze origin/release...HEAD
                        shop/orders/migrations/0041_order_note.py:1:1: error P006 the object 3044281053... of
                            shop/orders/migrations/0041_order_note.py is missing (a partial clone): fetch it with
                            `git cat-file -p 3044281053...` (git fetches missing objects on demand), or clone
                            without --filter""")
                .instead("""
                        Fetch the objects: in a partial clone `git cat-file -p <id>` (or any git command that reads
                        the file, such as `git show <commit>:<path>`) fetches a missing object from the promisor
                        remote; in CI, clone without a filter. For a damaged clone, run `git fsck` and clone
                        again. Commit a migration as a regular file, not as a link."""));
    }

    static Rule ruleFailed() {
        return new DocumentedRule(RuleInfo.classifying("P007", "rule-failed", DeployClass.REVIEW)
                .summary("A rule could not finish judging an operation: the operation needs a human verdict.")
                .why("""
                        Migration files can hold anything Python allows, and migsafe reads them without running
                        them, so a rule may meet a value it did not expect: a field name computed by a call, an
                        argument left out, a list where a string belongs. Such a value must never stop the run:
                        when a rule (or the replay it relies on) fails on an operation, migsafe reports P007 on
                        that operation, names the rule and the failure, and goes on with every other rule,
                        operation and file. The operation's verdict is review, because at least one rule could
                        not say whether it is safe; the other rules' findings on it still stand.""")
                .example("""
                        shop/orders/migrations/0042_order_note.py:9:9: warning P007 rule C101 (add-field-not-null)
                            could not finish judging this operation (NullPointerException at AddFieldNotNull.java:99);
                            judge it by hand""")
                .instead("""
                        Judge the operation by hand with `migsafe explain` for the rules it names. Writing the
                        operation's arguments out literally, as makemigrations does, usually lets every rule
                        judge it. Please also report the finding to migsafe's maintainers with the operation's
                        source: a rule failing is a bug in migsafe, never in the migration."""));
    }
}
