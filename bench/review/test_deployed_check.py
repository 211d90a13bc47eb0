"""deployed_check.py on a tiny git repository: a base commit with models, code and templates, a
head commit with a migration, and a report written by hand as migsafe would.

    python3 -m unittest discover -s bench/review -p 'test_*.py'
"""
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deployed_check  # noqa: E402

BASE_FILES = {
    "shop/models.py": """from django.db import models
from django_deprecate_fields import deprecate_field


class Order(models.Model):
    note = models.TextField()
    memo = deprecate_field(models.TextField(null=True))
    total = models.IntegerField()


class Customer(models.Model):
    name = models.TextField()
    label = models.TextField()
""",
    "core/models.py": """from django.db import models


class Stamped(models.Model):
    code = models.TextField()

    class Meta:
        abstract = True
""",
    "shop/views.py": """from .models import Order, Customer

def notes():
    return Order.objects.filter(note="x").values("note")

def customers():
    return Customer.objects.all()
""",
    "shop/templates/shop/order.html": "{{ order.note }}\n",
    "shop/tests/test_views.py": "def test(): Order.objects.filter(title=1)\n",
    "shop/test_models.py": "title = 1\n",
    "requirements.txt": "note\n",
}

MIGRATION = """from django.db import migrations
from django.db.migrations import RemoveField

NAME = "total"


class Migration(migrations.Migration):
    operations = [
        migrations.RemoveField(model_name="order", name="note"),
        migrations.RemoveField("order", "memo"),
        RemoveField(model_name="order", name="title"),
        migrations.DeleteModel(name="Legacy"),
        migrations.RenameModel(old_name="Customer", new_name="Client"),
        migrations.RenameField("order", "code", "ref"),
        migrations.RemoveField(model_name="order", name=NAME),
        migrations.RenameField(
            model_name="customer",
            old_name="label",
            new_name="title",
        ),
        migrations.RemoveField(model_name="order", name="name"),
    ]
"""
PATH = "shop/migrations/0002_cleanup.py"


def finding(rule, line, severity="error", message="drops column", evidence=None, suppressed=None):
    return {"rule": rule, "severity": severity, "path": PATH, "line": line, "column": 9, "app": "shop",
            "message": message, "suppressed": suppressed, "evidence": evidence or []}


SATISFIED = dict(severity="info", message="satisfied: the deployed code no longer maps it")


class DeployedCheckTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.repo = os.path.join(cls.tmp.name, "repo")
        env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                   GIT_COMMITTER_EMAIL="t@t", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")

        def git(*args):
            return subprocess.run(["git", *args], cwd=cls.repo, env=env, check=True, capture_output=True,
                                  text=True).stdout.strip()

        os.makedirs(cls.repo)
        git("init", "-q")
        cls.write(BASE_FILES)
        git("add", "-A")
        git("commit", "-q", "-m", "base")
        cls.base = git("rev-parse", "HEAD")
        cls.write({PATH: MIGRATION, "shop/migrations/__init__.py": ""})
        git("add", "-A")
        git("commit", "-q", "-m", "migration")
        cls.head = git("rev-parse", "HEAD")
        cls.git_dir = os.path.join(cls.repo, ".git")

        declaration = [{"kind": "declaration", "path": "shop/models.py", "line": 6, "column": 5, "text": "note"}]
        cls.findings = [
            finding("C102", 9, evidence=declaration + [
                {"kind": "lookup", "path": "shop/views.py", "line": 4, "column": 5, "text": "filter"}]),
            finding("C102", 10, **SATISFIED),                          # memo: deprecated
            finding("C102", 11),                                      # title: absent, migsafe wrong
            finding("C107", 12, **SATISFIED),                          # Legacy: absent
            finding("C108", 13, **SATISFIED),                          # Customer: declared, migsafe wrong
            finding("C103", 14, severity="warning"),                  # code: abstract base elsewhere
            finding("C102", 15),                                      # NAME: unreadable
            finding("C103", 17, evidence=[dict(declaration[0], line=99)]),  # a line inside the call
            finding("C102", 21, **SATISFIED),                          # name: on Customer only
            finding("C102", 9, suppressed="reviewed"),                # skipped
            finding("R304", 9),                                       # another rule: skipped
        ]
        cls.reports = os.path.join(cls.tmp.name, "out", "shop")
        os.makedirs(cls.reports)
        report = {"project": "shop", "range": {"mode": "range", "base": cls.base, "head": cls.head},
                  "findings": cls.findings}
        with open(os.path.join(cls.reports, cls.head + ".json"), "w") as f:
            json.dump(report, f)
        with open(os.path.join(cls.reports, "broken.json"), "w") as f:
            f.write("{")
        cls.stderr = io.StringIO()
        with contextlib.redirect_stderr(cls.stderr):
            cls.rows = deployed_check.check_reports(cls.reports, cls.git_dir)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def write(cls, files):
        for path, text in files.items():
            full = os.path.join(cls.repo, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)

    def row(self, line):
        return next(r for r in self.rows if r["line"] == line)

    def test_skips_suppressed_and_other_rules_and_broken_reports(self):
        self.assertEqual(9, len(self.rows))
        self.assertIn("broken.json", self.stderr.getvalue())
        self.assertEqual({"shop"}, {r["project"] for r in self.rows})
        self.assertEqual({self.head}, {r["commit"] for r in self.rows})

    def test_declared_field_used_in_code_and_template(self):
        r = self.row(9)
        self.assertEqual(("shop.order.note", "declared", "hazard", "agree-hazard"),
                         (r["target"], r["grep"], r["migsafe"], r["agree"]))
        self.assertEqual("shop/models.py:6", r["declaration"])
        self.assertEqual("yes", r["evidence_declaration"])
        self.assertEqual(2, r["migsafe_evidence"])
        # views.py (one line names it twice) and the template; not requirements.txt nor tests
        self.assertEqual(2, r["usages"])
        self.assertEqual(["shop/templates/shop/order.html", "shop/views.py"],
                         sorted(s.split(":")[0] for s in r["samples"]))

    def test_deprecated_field_positional_arguments(self):
        r = self.row(10)
        self.assertEqual(("shop.order.memo", "deprecated", "satisfied", "agree-satisfied"),
                         (r["target"], r["grep"], r["migsafe"], r["agree"]))

    def test_absent_field_ignores_tests(self):
        r = self.row(11)
        self.assertEqual(("absent", "hazard", "disagree:migsafe-hazard", "none"),
                         (r["grep"], r["migsafe"], r["agree"], r["evidence_declaration"]))
        self.assertEqual(0, r["usages"])

    def test_models(self):
        self.assertEqual(("shop.Legacy", "absent", "agree-satisfied"),
                         (self.row(12)["target"], self.row(12)["grep"], self.row(12)["agree"]))
        r = self.row(13)
        self.assertEqual(("shop.Customer", "declared", "disagree:migsafe-satisfied", "shop/models.py:11"),
                         (r["target"], r["grep"], r["agree"], r["declaration"]))
        self.assertEqual(2, r["usages"])  # the import and the query, not the class line

    def test_field_of_an_abstract_base_elsewhere_is_unsure(self):
        r = self.row(14)
        self.assertEqual(("shop.order.code", "absent-here", "unsure", "core/models.py:5"),
                         (r["target"], r["grep"], r["agree"], r["declaration"]))

    def test_non_literal_name_is_unreadable(self):
        r = self.row(15)
        self.assertEqual(("unreadable", "unreadable"), (r["grep"], r["agree"]))
        self.assertIn("not a string literal", r["reason"])

    def test_multiline_call_and_wrong_declaration_line(self):
        r = self.row(17)
        self.assertEqual(("shop.customer.label", "declared", "agree-hazard", "no"),
                         (r["target"], r["grep"], r["agree"], r["evidence_declaration"]))

    def test_field_of_another_model_is_unsure(self):
        r = self.row(21)
        self.assertEqual(("declared-other", "unsure", "shop/models.py:12"), (r["grep"], r["agree"], r["declaration"]))

    def test_read_operation(self):
        read = deployed_check.read_operation
        self.assertEqual({"old_name": "A", "new_name": "B"},
                         read("RenameModel('A', new_name='B')", 1, "RenameModel"))
        wrapped = ("operations = [\n SeparateDatabaseAndState(\n  database_operations=[\n"
                   "   DeleteModel('Gone')])]\n")
        self.assertEqual({"name": "Gone"}, read(wrapped, 2, "DeleteModel", 0))
        with self.assertRaises(deployed_check.Unreadable):
            read("DeleteModel()", 1, "DeleteModel")
        with self.assertRaises(deployed_check.Unreadable):
            read("RemoveField('a', 'b')", 1, "DeleteModel")

    def test_command_line_writes_json(self):
        out = os.path.join(self.tmp.name, "check.json")
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "deployed_check.py")
        result = subprocess.run([sys.executable, script, "--reports", self.reports, "--git-dir", self.git_dir,
                                 "--json", out, "--samples"], capture_output=True, text=True)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn("shop: 9 findings", result.stdout)
        with open(out) as f:
            data = json.load(f)
        self.assertEqual(2, data["counts"]["shop"]["agree-hazard"])
        self.assertEqual(9, len(data["findings"]))


if __name__ == "__main__":
    unittest.main()
