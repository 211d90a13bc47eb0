"""django_plan.py against Django itself running `migrate` on SQLite.

A small project is written into a throw-away git repository in four versions (squashes fully
and partly applied, a squash whose replaced files are deleted, a swappable user dependency,
run_before, `__first__`/`__latest__`, a dependency on django.contrib.contenttypes). For each
move, real Django (imports the project's files, an SQLite database) migrates to FROM and then
to TO; the migrations it prints as applied on the second run must be django_plan.py's plan.

Run with a python3 that has Django: python3 -m unittest discover -s bench/plan
"""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "django_plan.py")
sys.path.insert(0, HERE)

from migration_ast import USER_MODEL, MigrationSourceError, Swappable, read_migration  # noqa: E402

try:
    import django  # noqa: F401
    HAVE_DJANGO = True
except ImportError:
    HAVE_DJANGO = False

APPS = ["accounts", "shop", "stock", "extra"]
SWAPPABLE = "migrations.swappable_dependency(settings.AUTH_USER_MODEL)"


def migration(dependencies=(), replaces=(), run_before=(), initial=None):
    def pairs(items):
        return "".join("        %s,\n" % (item if isinstance(item, str) else repr(tuple(item))) for item in items)
    return ("from django.conf import settings\nfrom django.db import migrations\n\n\n"
            "class Migration(migrations.Migration):\n"
            + ("    initial = %r\n" % initial if initial is not None else "")
            + "    dependencies = [\n%s    ]\n" % pairs(dependencies)
            + ("    replaces = [\n%s    ]\n" % pairs(replaces) if replaces else "")
            + ("    run_before = [\n%s    ]\n" % pairs(run_before) if run_before else "")
            + "    operations = []\n")


def m(app, name):
    return "proj/%s/migrations/%s.py" % (app, name)


# Version 1: four apps' beginnings, the user model in accounts, a test app that is not installed.
V1 = {
    "proj/settings.py": 'AUTH_USER_MODEL = "accounts.User"\n',
    m("accounts", "0001_initial"): migration([("contenttypes", "0002_remove_content_type_name")], initial=True),
    m("accounts", "0002_a"): migration([("accounts", "0001_initial")]),
    m("shop", "0001_initial"): migration([SWAPPABLE], initial=True),
    m("shop", "0002_b"): migration([("shop", "0001_initial"), ("accounts", "0002_a")]),
    m("stock", "0001_initial"): migration([("shop", "__first__"), ("contenttypes", "__first__")]),
    m("tests", "0001_initial"): migration([("accounts", "0001_initial")]),
}
# Version 2: new migrations across apps, run_before, a new app on accounts' __latest__, and a
# squash of shop 0001-0002 (both applied at version 1: the squash counts as applied).
V2 = dict(V1, **{
    m("shop", "0003_c"): migration([("shop", "0002_b")]),
    m("shop", "0001_squashed_0002"): migration([SWAPPABLE, ("accounts", "0002_a")],
                                                replaces=[("shop", "0001_initial"), ("shop", "0002_b")]),
    m("stock", "0002_d"): migration([("stock", "0001_initial"), ("shop", "0003_c")],
                                    run_before=[("accounts", "0003_e")]),
    m("accounts", "0003_e"): migration([("accounts", "0002_a")]),
    m("extra", "0001_initial"): migration([("accounts", "__latest__")]),
})
# Version 3: shop's replaced files deleted (only the squash is left), and a squash of stock
# 0001-0003 where 0003 is new: from version 2 it is partly applied, so Django drops it and runs
# 0003_f; 0004_g depends on the squash and is remapped to 0003_f.
V3 = {k: v for k, v in V2.items() if k not in (m("shop", "0001_initial"), m("shop", "0002_b"))}
V3.update({
    m("shop", "0003_c"): migration([("shop", "0001_squashed_0002")]),
    m("shop", "0004_h"): migration([("shop", "0003_c")]),
    m("stock", "0003_f"): migration([("stock", "0002_d")]),
    m("stock", "0001_squashed_0003"): migration(
        [("shop", "__first__"), ("shop", "0003_c")],
        replaces=[("stock", "0001_initial"), ("stock", "0002_d"), ("stock", "0003_f")]),
    m("stock", "0004_g"): migration([("stock", "0001_squashed_0003")]),
})
# Version 4: stock's replaced files deleted while a later migration still names one of them (as
# netbox's dcim.0183 names 0182 after v4.0 squashed it): reachable only from a database where
# the squash counts as applied.
V4 = {k: v for k, v in V3.items()
      if k not in (m("stock", "0001_initial"), m("stock", "0002_d"), m("stock", "0003_f"))}
V4.update({
    m("stock", "0004_g"): migration([("stock", "0003_f")]),
    m("stock", "0005_i"): migration([("stock", "0004_g")]),
})
VERSIONS = {"v1": V1, "v2": V2, "v3": V3, "v4": V4}

REAL_MIGRATE = textwrap.dedent("""
    import sys, django
    from django.conf import settings
    sys.path.insert(0, sys.argv[1])
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes"] + sys.argv[3].split(","),
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sys.argv[2]}},
        AUTH_USER_MODEL="accounts.User", USE_TZ=True)
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=1)
""")


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE).stdout.decode()


def write_version(repo, files, tag):
    for path in git(repo, "ls-files").split():
        os.remove(os.path.join(repo, path))
    for path, text in files.items():
        full = os.path.join(repo, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
        for package in (os.path.dirname(full), os.path.dirname(os.path.dirname(full))):
            if package.endswith("migrations") or os.path.basename(os.path.dirname(package)) == "proj":
                open(os.path.join(package, "__init__.py"), "a").close()
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


@unittest.skipUnless(HAVE_DJANGO, "needs Django (Debian: python3-django, with the system python3)")
class AgainstRealMigrate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.repo = os.path.join(cls.tmp.name, "repo")
        os.makedirs(cls.repo)
        git(cls.repo, "init", "-q")
        for tag, files in VERSIONS.items():
            write_version(cls.repo, files, tag)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def export(self, tag):
        target = tempfile.mkdtemp(dir=self.tmp.name)
        archive = subprocess.run(["git", "-C", self.repo, "archive", tag], check=True, stdout=subprocess.PIPE).stdout
        subprocess.run(["tar", "-x", "-C", target], input=archive, check=True)
        return os.path.join(target, "proj")

    def real_migrate(self, db, tag):
        """What real Django applies when `migrate` brings db to tag; None when it refuses."""
        tree = self.export(tag)
        installed = [app for app in APPS if os.path.isdir(os.path.join(tree, app))]
        result = subprocess.run([sys.executable, "-c", REAL_MIGRATE, tree, db, ",".join(installed)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if result.returncode != 0:
            return None, result.stderr.decode()
        return re.findall(r"Applying (\S+)\.\.\. OK", result.stdout.decode()), ""

    def real_plan(self, from_tag, to_tag):
        db = tempfile.mktemp(suffix=".sqlite3", dir=self.tmp.name)
        if from_tag:
            applied, error = self.real_migrate(db, from_tag)
            self.assertIsNotNone(applied, error)
        steps, error = self.real_migrate(db, to_tag)
        return db, steps, error

    def script(self, *args):
        result = subprocess.run([sys.executable, SCRIPT, "--repo", self.repo, "--json", *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return result.returncode, json.loads(result.stdout.decode()), result.stderr.decode()

    def project_steps(self, steps):
        """Django's own contrib apps are not in the repository, so not in our plan."""
        return [s for s in steps if s.split(".")[0] in APPS]

    def assert_same_as_django(self, from_tag, to_tag):
        _db, steps, error = self.real_plan(from_tag, to_tag)
        self.assertIsNotNone(steps, error)
        code, out, err = self.script(*(["--from", from_tag] if from_tag else []), "--to", to_tag)
        self.assertEqual(0, code, err)
        self.assertEqual(self.project_steps(steps), out["plan"])
        self.assertTrue(out["plan"], "a move that applies nothing proves little")
        return out

    def test_empty_database_to_each_version(self):
        for tag in VERSIONS:
            if tag == "v4":
                continue  # stock.0004_g names a deleted replaced migration: only reachable via the squash
            with self.subTest(tag=tag):
                self.assert_same_as_django(None, tag)

    def test_plain_upgrade_with_cross_app_dependencies_and_a_fully_applied_squash(self):
        out = self.assert_same_as_django("v1", "v2")
        self.assertIn({"migration": "shop.0001_squashed_0002", "replaces": 2, "status": "applied"}, out["squashes"])
        self.assertEqual({"from": "accounts.User", "to": "accounts.User"}, out["user_model"])
        self.assertIn("accounts.0001_initial dependencies contenttypes.0002_remove_content_type_name",
                      out["dropped_dependencies"])
        self.assertNotIn("tests", {step.split(".")[0] for step in out["plan"]})

    def test_partly_applied_squash_runs_its_missing_replaced_migrations(self):
        out = self.assert_same_as_django("v2", "v3")
        self.assertIn({"migration": "stock.0001_squashed_0003", "replaces": 3, "status": "removed"}, out["squashes"])
        self.assertIn("stock.0003_f", out["plan"])

    def test_across_two_versions(self):
        self.assert_same_as_django("v1", "v3")
        self.assert_same_as_django("v3", "v4")

    def test_refuses_where_django_refuses(self):
        _db, steps, error = self.real_plan("v2", "v4")
        self.assertIsNone(steps)
        self.assertIn("NodeNotFoundError", error)
        code, out, _err = self.script("--from", "v2", "--to", "v4")
        self.assertEqual(1, code)
        self.assertIsNone(out["plan"])
        self.assertIn("NodeNotFoundError", out["refusal"])
        self.assertIn("stock.0003_f", out["refusal"])

    def test_inconsistent_history_is_a_refusal(self):
        # The partly applied squash is dropped and its child accounts.0003_e (applied at v2) is
        # remapped onto stock.0003_f, which is not applied: Django stops before migrating.
        squash = m("stock", "0001_squashed_0003")
        variant = dict(V3, **{squash: V3[squash].replace(
            "    operations", "    run_before = [('accounts', '0003_e')]\n    operations")})
        write_version(self.repo, variant, "inconsistent")
        _db, steps, error = self.real_plan("v2", "inconsistent")
        self.assertIsNone(steps)
        self.assertIn("Migration accounts.0003_e is applied before its dependency stock.0003_f", error)
        code, out, _err = self.script("--from", "v2", "--to", "inconsistent")
        self.assertEqual(1, code)
        self.assertIn("accounts.0003_e is applied before its dependency stock.0003_f", out["refusal"])

    def test_applied_rows_dumped_from_a_real_database(self):
        db, _steps, _error = self.real_plan(None, "v1")
        with sqlite3.connect(db) as connection:
            rows = connection.execute("SELECT app, name FROM django_migrations").fetchall()
        dump = os.path.join(self.tmp.name, "applied.csv")
        with open(dump, "w") as f:
            f.writelines("%s,%s\n" % row for row in rows)
        _db, steps, error = self.real_plan("v1", "v3")
        code, out, err = self.script("--applied", dump, "--to", "v3")
        self.assertEqual(0, code, err)
        self.assertEqual(self.project_steps(steps), out["plan"])
        self.assertEqual([], out["applied_outside_to"])

    def test_a_database_ahead_of_to_is_reported(self):
        dump = os.path.join(self.tmp.name, "ahead.csv")
        with open(dump, "w") as f:
            f.write("accounts,0001_initial\naccounts,0002_a\naccounts,0009_from_a_branch\n")
        code, out, err = self.script("--applied", dump, "--to", "v1")
        self.assertEqual(0, code, err)
        self.assertEqual(["accounts.0009_from_a_branch"], out["applied_outside_to"])
        self.assertNotIn("accounts.0002_a", out["plan"])

    def test_conflicting_leaves_are_a_refusal(self):
        conflicted = dict(V2, **{m("shop", "0003_other"): migration([("shop", "0002_b")])})
        write_version(self.repo, conflicted, "conflict")
        code, out, err = self.script("--from", "v1", "--to", "conflict")
        self.assertEqual(1, code)
        self.assertIn("shop: 0003_c, 0003_other", out["refusal"])
        _db, steps, error = self.real_plan("v1", "conflict")
        self.assertIsNone(steps)
        self.assertIn("Conflicting migrations", error)

    def test_bad_applied_line_names_the_line(self):
        dump = os.path.join(self.tmp.name, "bad.csv")
        with open(dump, "w") as f:
            f.write("accounts,0001_initial\nnot a row at all\n")
        result = subprocess.run([sys.executable, SCRIPT, "--repo", self.repo, "--applied", dump, "--to", "v1"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(2, result.returncode)
        self.assertIn("bad.csv:2:", result.stderr.decode())


class ReadMigration(unittest.TestCase):
    def test_literals_names_concatenation_and_swappable(self):
        source = textwrap.dedent("""
            from django.conf import settings
            from django.db import migrations
            BASE = [("a", "0001_initial")]
            class Migration(migrations.Migration):
                initial = True
                dependencies = BASE + [migrations.swappable_dependency(settings.AUTH_USER_MODEL),
                                       migrations.swappable_dependency("users.User")]
                replaces = (("a", "0002_x"),)
                operations = [migrations.RunPython(lambda apps, schema: None)]
        """)
        values = read_migration(source)
        self.assertEqual([("a", "0001_initial"), Swappable(USER_MODEL), Swappable("users.User")],
                         values["dependencies"])
        self.assertEqual([("a", "0002_x")], values["replaces"])
        self.assertEqual([], values["run_before"])
        self.assertIs(True, values["initial"])

    def test_a_computed_dependency_is_an_error_naming_the_line(self):
        source = "from django.db import migrations\nclass Migration(migrations.Migration):\n" \
                 "    dependencies = [(app, '0001') for app in APPS]\n"
        with self.assertRaisesRegex(MigrationSourceError, r"m\.py:3: cannot read"):
            read_migration(source, "m.py")

    def test_a_module_without_migration_class_is_an_error(self):
        with self.assertRaisesRegex(MigrationSourceError, "no module-level class Migration"):
            read_migration("def helper():\n    pass\n", "helpers.py")

    def test_a_dependency_that_is_not_a_pair_is_an_error(self):
        with self.assertRaisesRegex(MigrationSourceError, "not an .app, name. pair"):
            read_migration("class Migration:\n    dependencies = [('a',)]\n", "m.py")


if __name__ == "__main__":
    unittest.main()
