"""The django-migsafe wheel: a well-formed PEP 427 wheel that pip installs and that runs migsafe
with its own Java runtime, giving what the jar gives on a JDK, with no Java on PATH."""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import unittest
import zipfile

import support


def cache_entries(cache):
    """Entries in the parse cache: entry files, plus the entries of packs (their header's count)."""
    count = 0
    for root, _, files in os.walk(cache):
        for name in files:
            if name.endswith(".pack"):
                with open(os.path.join(root, name), "rb") as pack:
                    header = pack.read(20)
                if len(header) == 20 and header[:4] == b"MGSP":
                    count += int.from_bytes(header[16:20], "big")
            elif not name.endswith(".part"):
                count += 1
    return count


class WheelFormat(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.path = support.wheel()
        cls.zip = zipfile.ZipFile(cls.path)
        cls.addClassCleanup(cls.zip.close)
        cls.names = cls.zip.namelist()
        cls.dist_info = next(n.split("/")[0] for n in cls.names if n.endswith(".dist-info/WHEEL"))

    def read(self, name):
        return self.zip.read(self.dist_info + "/" + name).decode()

    def test_file_name_carries_the_distribution_version_and_platform_tags(self):
        name = os.path.basename(self.path)
        match = re.fullmatch(r"django_migsafe-([0-9][^-]*)-py3-none-([a-z0-9_.]+)\.whl", name)
        self.assertIsNotNone(match, name)
        self.assertEqual("django_migsafe-%s.dist-info" % match.group(1), self.dist_info)
        tags = ["py3-none-" + platform for platform in match.group(2).split(".")]
        self.assertEqual(tags, re.findall(r"^Tag: (.+)$", self.read("WHEEL"), re.M))
        self.assertIn("Root-Is-Purelib: false", self.read("WHEEL"))

    def test_record_lists_every_file_with_its_hash_and_size(self):
        rows = [line.split(",") for line in self.read("RECORD").splitlines()]
        listed = {row[0]: row for row in rows}
        self.assertEqual(sorted(self.names), sorted(listed))
        for name, digest, size in rows:
            if name == self.dist_info + "/RECORD":
                self.assertEqual(("", ""), (digest, size))
                continue
            data = self.zip.read(name)
            expected = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            self.assertEqual((expected, str(len(data))), (digest, size), name)

    def test_metadata_names_the_distribution_and_the_console_script(self):
        metadata = self.read("METADATA")
        self.assertRegex(metadata, r"(?m)^Name: django-migsafe$")
        self.assertRegex(metadata, r"(?m)^Metadata-Version: 2\.1$")
        self.assertIn("migsafe = django_migsafe.launcher:main", self.read("entry_points.txt"))

    def test_runtime_executables_keep_their_mode(self):
        for name in ("django_migsafe/runtime/bin/java", "django_migsafe/runtime/lib/jspawnhelper"):
            mode = self.zip.getinfo(name).external_attr >> 16
            self.assertTrue(mode & 0o111, name)
        self.assertFalse(self.zip.getinfo("django_migsafe/migsafe.jar").external_attr >> 16 & 0o111)

    def test_carries_the_jar_the_archive_and_only_the_java_launcher(self):
        self.assertIn("django_migsafe/migsafe.jar", self.names)
        self.assertIn("django_migsafe/migsafe.jsa", self.names)
        tools = [n for n in self.names if n.startswith("django_migsafe/runtime/bin/")]
        self.assertEqual(["django_migsafe/runtime/bin/java"], tools)


class InstalledWheel(unittest.TestCase):
    """pip install in a fresh venv, then migsafe with no Java on PATH and JAVA_HOME unset."""

    @classmethod
    def setUpClass(cls):
        cls.bin = support.install(support.wheel())
        cls.env = support.environment_without_java(cls.bin)
        cls.env["HOME"] = support.scratch("home")
        cls.env.pop("XDG_CACHE_HOME", None)
        cls.env.pop("XDG_CONFIG_HOME", None)

    def migsafe(self, repo, *args):
        return subprocess.run(["migsafe"] + list(args), cwd=repo, env=self.env, capture_output=True, text=True)

    def test_no_java_is_reachable(self):
        self.assertIsNone(shutil.which("java", path=self.env["PATH"]))
        self.assertNotIn("JAVA_HOME", self.env)

    def test_staged_analysis_is_the_same_json_as_the_jar_on_a_jdk(self):
        repo = support.shop_repository()
        support.stage_unsafe_migration(repo)
        ours = self.migsafe(repo, "analyze", "--staged", "--format", "json")
        reference = support.reference_run(repo, "analyze", "--staged", "--format", "json")
        self.assertEqual(1, ours.returncode, ours.stderr)
        self.assertEqual("", ours.stderr)
        self.assertEqual(reference.stdout, ours.stdout)
        self.assertIn("C102", {f["rule"] for f in json.loads(ours.stdout)["findings"]})

    def test_range_analysis_text_is_the_same_as_the_jar_on_a_jdk(self):
        repo = support.shop_repository()
        support.git(repo, "checkout", "-q", "-b", "feature")
        support.stage_unsafe_migration(repo)
        support.git(repo, "commit", "-q", "-m", "feature")
        ours = self.migsafe(repo, "analyze", "main...feature")
        reference = support.reference_run(repo, "analyze", "main...feature")
        self.assertEqual((reference.returncode, reference.stdout), (ours.returncode, ours.stdout))

    def test_the_parse_cache_is_used(self):
        # Classes mapped from the build's class-data archive once reported the build folder as
        # their code source, which turned the parse cache off for every run of the wheel.
        repo = support.shop_repository()
        self.assertEqual(0, self.migsafe(repo, "analyze", "--all", "--fail-on", "never").returncode)
        cache = os.path.join(repo, ".git", "migsafe", "cache")
        self.assertGreater(cache_entries(cache), 10)

    def test_the_class_data_archive_maps_after_the_install(self):
        # pip writes the jar with the install's time; the launcher sets the build's time back,
        # else the JVM refuses the archive. -Xshare:on makes a refusal fatal.
        code = ("import json, sys; from django_migsafe.launcher import java_command; "
                "print(json.dumps(java_command(sys.argv[1:])))")
        python = os.path.join(self.bin, "python")
        command = json.loads(subprocess.run([python, "-c", code, "--version"], env=self.env, check=True,
                                            capture_output=True, text=True).stdout)
        self.assertTrue(any(o.startswith("-XX:SharedArchiveFile=") for o in command), command)
        run = subprocess.run(command[:1] + ["-Xshare:on"] + command[1:], env=self.env, capture_output=True, text=True)
        self.assertEqual(0, run.returncode, run.stderr)
        self.assertRegex(run.stdout, r"^migsafe \S+")

    def test_version_and_module_entry(self):
        version = self.migsafe(support.ROOT, "--version")
        self.assertEqual(0, version.returncode, version.stderr)
        self.assertNotEqual("migsafe dev", version.stdout.strip())
        python = os.path.join(self.bin, "python")
        rules = subprocess.run([python, "-m", "django_migsafe", "rules"], env=self.env, capture_output=True, text=True)
        self.assertEqual(0, rules.returncode, rules.stderr)
        self.assertIn("C101", rules.stdout)

    def test_installed_hook_refuses_an_unsafe_commit(self):
        repo = support.shop_repository()
        installed = self.migsafe(repo, "hook", "install", "--pre-commit")
        self.assertEqual(0, installed.returncode, installed.stderr)
        with open(os.path.join(repo, ".git", "hooks", "pre-commit"), encoding="utf-8") as hook:
            self.assertIn(os.path.join(self.bin, "migsafe"), hook.read())
        support.stage_unsafe_migration(repo)
        commit = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-m", "x"],
                                cwd=repo, env=self.env, capture_output=True, text=True)
        self.assertNotEqual(0, commit.returncode)
        self.assertIn("C102", commit.stdout + commit.stderr)

    @unittest.skipUnless(hasattr(__import__("socket"), "AF_UNIX"), "no Unix-domain sockets on this platform")
    def test_resident_process_serves_the_hook_with_the_same_output(self):
        repo = support.shop_repository()
        support.stage_unsafe_migration(repo)
        direct = self.migsafe(repo, "analyze", "--staged")
        env = dict(self.env, XDG_RUNTIME_DIR=support.scratch("runtime"))
        os.chmod(env["XDG_RUNTIME_DIR"], 0o700)

        def migsafe(*args):
            return subprocess.run(["migsafe"] + list(args), cwd=repo, env=env, capture_output=True, text=True)

        started = migsafe("daemon", "start")
        self.assertEqual(0, started.returncode, started.stderr)
        try:
            served = migsafe("analyze", "--staged")
            self.assertEqual((direct.returncode, direct.stdout, direct.stderr),
                             (served.returncode, served.stdout, served.stderr))
            self.assertIn(", 1 request\n", migsafe("daemon", "status").stdout)
        finally:
            self.assertEqual(0, migsafe("daemon", "stop").returncode)

    @unittest.skipUnless(shutil.which("uv"), "uv is not installed here (PyPI is out of reach): uv tool install untested")
    def test_uv_tool_install(self):
        tools = support.scratch("uv")
        env = dict(self.env, UV_TOOL_DIR=os.path.join(tools, "tools"), UV_TOOL_BIN_DIR=os.path.join(tools, "bin"),
                   UV_OFFLINE="1", PATH=self.env["PATH"] + os.pathsep + os.path.dirname(shutil.which("uv")))
        subprocess.run(["uv", "tool", "install", support.wheel()], env=env, check=True, capture_output=True)
        run = subprocess.run([os.path.join(tools, "bin", "migsafe"), "rules"], env=env, capture_output=True, text=True)
        self.assertEqual(0, run.returncode, run.stderr)


if __name__ == "__main__":
    unittest.main()
