"""The hook repository of packaging/pre-commit/ under the real pre-commit framework: its python
hook installs django-migsafe from a local wheel (no index) into the hook's own environment and
refuses a commit that stages an unsafe migration, with no Java on PATH."""
import os
import re
import shutil
import subprocess
import unittest

import support

SAFE_MIGRATION = '''from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("orders", "0008_order_review_changes")]

    operations = [
        migrations.AddField("order", "referrer", models.CharField(max_length=40, null=True)),
    ]
'''


def pre_commit_version():
    found = shutil.which("pre-commit")
    if not found:
        return None
    out = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)\.(\d+)", out)
    return (int(match.group(1)), int(match.group(2))) if match else None


def wheel_folders():
    """Where pip finds what it installs, offline: the wheel under test and the build backend of
    the hook repository's pyproject.toml (Debian's python3-setuptools-whl and python3-wheel-whl
    ship them), as a hook environment's pip would get them from PyPI."""
    folders = [os.path.dirname(support.wheel())]
    if os.path.isdir("/usr/share/python-wheels"):
        folders.append("/usr/share/python-wheels")
    return " ".join(folders)


class HookRepository(unittest.TestCase):

    def test_pins_the_version_that_this_checkout_builds(self):
        import importlib.util
        spec = importlib.util.spec_from_file_location("build", os.path.join(support.ROOT, "packaging", "wheel", "build.py"))
        build = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(build)
        with open(os.path.join(support.ROOT, "packaging", "pre-commit", "pyproject.toml"), encoding="utf-8") as f:
            pyproject = f.read()
        self.assertIn('dependencies = ["django-migsafe==%s"]' % build.project_version(), pyproject)
        self.assertIn('version = "%s"' % build.project_version(), pyproject)

    def test_hooks_install_the_package_rather_than_a_script(self):
        with open(os.path.join(support.ROOT, "packaging", "pre-commit", ".pre-commit-hooks.yaml"), encoding="utf-8") as f:
            manifest = f.read()
        self.assertEqual(2, manifest.count("language: python"))
        self.assertEqual(2, manifest.count("entry: migsafe analyze"))


@unittest.skipUnless(pre_commit_version(), "the pre-commit framework is not installed (Debian: apt-get install pre-commit)")
class PreCommitFramework(unittest.TestCase):

    def setUp(self):
        self.hooks = support.scratch("hook-repo")
        shutil.copytree(os.path.join(support.ROOT, "packaging", "pre-commit"), self.hooks, dirs_exist_ok=True)
        if pre_commit_version() < (3, 2):
            # Debian bookworm's pre-commit 3.0.4 predates the stage names of 3.2 (pre-push was
            # push): the one line it cannot read is written its way for this run.
            manifest = os.path.join(self.hooks, ".pre-commit-hooks.yaml")
            with open(manifest, encoding="utf-8") as f:
                text = f.read().replace("stages: [pre-push]", "stages: [push]").replace("'3.0.0'", "'2.0.0'")
            with open(manifest, "w", encoding="utf-8") as f:
                f.write(text)
        support.git(self.hooks, "init", "-q")
        support.git(self.hooks, "add", ".")
        support.git(self.hooks, "commit", "-q", "-m", "hooks")
        rev = support.git(self.hooks, "rev-parse", "HEAD").strip()

        self.repo = support.shop_repository()
        with open(os.path.join(self.repo, ".pre-commit-config.yaml"), "w", encoding="utf-8") as config:
            config.write("repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: migsafe\n" % (self.hooks, rev))
        support.git(self.repo, "add", ".pre-commit-config.yaml")
        support.git(self.repo, "commit", "-q", "-m", "pre-commit")

        self.env = support.environment_without_java()
        self.env.update(PRE_COMMIT_HOME=support.scratch("pre-commit-home"), PIP_NO_INDEX="1",
                        PIP_FIND_LINKS=wheel_folders(), PIP_DISABLE_PIP_VERSION_CHECK="1",
                        HOME=support.scratch("home"))
        subprocess.run(["pre-commit", "install"], cwd=self.repo, env=self.env, check=True, capture_output=True)

    def commit(self, message):
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-m", message],
                              cwd=self.repo, env=self.env, capture_output=True, text=True)

    def test_unsafe_migration_is_refused_and_a_safe_one_goes_through(self):
        self.assertIsNone(shutil.which("java", path=self.env["PATH"]))
        support.stage_unsafe_migration(self.repo)
        refused = self.commit("unsafe")
        output = refused.stdout + refused.stderr
        self.assertNotEqual(0, refused.returncode, output)
        self.assertIn("migsafe (Django migration safety)", output)
        self.assertIn("Failed", output)
        self.assertIn("C102", output)
        self.assertEqual("pre-commit\n", support.git(self.repo, "log", "-1", "--format=%s"))

        # Reviewed and accepted: commit it past the hook, then stage a safe migration.
        support.git(self.repo, "commit", "-q", "--no-verify", "-m", "reviewed")
        path = os.path.join(self.repo, "shop", "orders", "migrations", "0009_order_referrer.py")
        with open(path, "w", encoding="utf-8") as f:
            f.write(SAFE_MIGRATION)
        support.git(self.repo, "add", path)
        accepted = self.commit("safe")
        self.assertEqual(0, accepted.returncode, accepted.stdout + accepted.stderr)
        self.assertIn("Passed", accepted.stdout + accepted.stderr)

    def test_a_commit_without_migrations_skips_the_hook(self):
        with open(os.path.join(self.repo, "README.md"), "w", encoding="utf-8") as f:
            f.write("shop\n")
        support.git(self.repo, "add", "README.md")
        result = self.commit("docs")
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)
        self.assertIn("(no files to check)Skipped", result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
