"""Tests of migsafe_action.py: the action's analyze step run as the runner runs it (a process with
the runner's environment) in a real git repository, against a local HTTP server that stands in for
the GitHub API and records every request, with fake_migsafe.py in place of migsafe.

Run: python3 -m unittest discover packaging/action (`mvn verify` runs it too: ActionScriptTest).
"""

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "migsafe_action.py")
FAKE = os.path.join(HERE, "fake_migsafe.py")
REPO = "acme/shop"

sys.path.insert(0, HERE)
import migsafe_action  # noqa: E402


class FakeGitHub:
    """The issue-comments endpoints of the GitHub API, in memory, on 127.0.0.1 and a free port.

    `requests` records (method, path, query, JSON body, headers) of every request; `fail` maps a
    method to a status to answer with; `page_size` caps per_page, to spread comments over pages."""

    def __init__(self):
        self.requests = []
        self.comments = {}  # issue number -> list of comments
        self.next_id = 1000
        self.fail = {}
        self.page_size = 100
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.handle(self)

            def do_POST(self):
                server.handle(self)

            def do_PATCH(self):
                server.handle(self)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def add(self, number, body, user="someone"):
        self.next_id += 1
        comment = {"id": self.next_id, "body": body, "user": {"login": user},
                   "html_url": "https://github.test/%s/pull/%d#issuecomment-%d" % (REPO, number, self.next_id)}
        self.comments.setdefault(number, []).append(comment)
        return comment

    def calls(self, method=None):
        return [r for r in self.requests if method is None or r["method"] == method]

    def handle(self, h):
        split = urllib.parse.urlsplit(h.path)
        query = urllib.parse.parse_qs(split.query)
        length = int(h.headers.get("Content-Length") or 0)
        body = json.loads(h.rfile.read(length).decode("utf-8")) if length else None
        self.requests.append({"method": h.command, "path": split.path, "query": query, "body": body,
                              "headers": dict(h.headers)})
        if h.command in self.fail:
            return self.send(h, self.fail[h.command], {"message": "Resource not accessible by integration"})
        m = re.fullmatch(r"/repos/%s/issues/(\d+)/comments" % REPO, split.path)
        if m and h.command == "GET":
            comments = self.comments.get(int(m.group(1)), [])
            size = min(int(query.get("per_page", ["30"])[0]), self.page_size)
            page = int(query.get("page", ["1"])[0])
            headers = {}
            if page * size < len(comments):
                headers["Link"] = ('<%s%s?per_page=%d&page=%d>; rel="next", <%s%s?per_page=%d&page=%d>; rel="last"'
                                   % (self.url, split.path, size, page + 1, self.url, split.path, size,
                                      (len(comments) + size - 1) // size))
            return self.send(h, 200, comments[(page - 1) * size:page * size], headers)
        if m and h.command == "POST":
            return self.send(h, 201, self.add(int(m.group(1)), body["body"], "github-actions[bot]"))
        m = re.fullmatch(r"/repos/%s/issues/comments/(\d+)" % REPO, split.path)
        if m and h.command == "PATCH":
            for comments in self.comments.values():
                for c in comments:
                    if c["id"] == int(m.group(1)):
                        c["body"] = body["body"]
                        return self.send(h, 200, c)
        return self.send(h, 404, {"message": "Not Found"})

    @staticmethod
    def send(h, status, payload, headers=None):
        data = json.dumps(payload).encode("utf-8")
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)


# Isolates every git call (here and in the script) from the user's configuration.
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def git(cwd, *args):
    subprocess.run(["git"] + list(args), cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, **GIT_ENV, "HOME": cwd, "XDG_CONFIG_HOME": cwd})


def pull_request_event(number=7, fork=False):
    head_repo = "contributor/shop" if fork else REPO
    return {"pull_request": {"number": number,
                             "base": {"ref": "main", "repo": {"full_name": REPO}},
                             "head": {"ref": "feature", "sha": "0" * 40, "repo": {"full_name": head_repo}}}}


class ActionTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="migsafe-action-test-")
        seed = os.path.join(cls.root, "seed")
        os.makedirs(seed)
        git(seed, "init", "-q", "-b", "main")
        for name, branch in (("0001_initial.py", None), ("0002_x.py", "feature")):
            if branch:
                git(seed, "checkout", "-q", "-b", branch)
            os.makedirs(os.path.join(seed, "shop", "migrations"), exist_ok=True)
            with open(os.path.join(seed, "shop", "migrations", name), "w") as f:
                f.write("operations = []\n")
            git(seed, "add", ".")
            git(seed, "commit", "-q", "-m", name)
        cls.origin = os.path.join(cls.root, "origin.git")
        git(cls.root, "clone", "-q", "--bare", seed, cls.origin)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def setUp(self):
        self.api = FakeGitHub()
        self.addCleanup(self.api.close)
        self.tmp = tempfile.mkdtemp(dir=self.root)
        self.work = os.path.join(self.tmp, "work")
        git(self.root, "clone", "-q", "--branch", "feature", self.origin, self.work)
        self.log = os.path.join(self.tmp, "migsafe-calls.jsonl")
        self.runs = 0

    def clone(self, *args):
        shutil.rmtree(self.work)
        git(self.root, "clone", "-q", *args, "file://" + self.origin, self.work)

    def run_action(self, event=None, event_name="pull_request", inputs=None, env=None):
        """Runs the analyze step; returns (exit code, standard output, outputs)."""
        self.runs += 1
        event_path = os.path.join(self.tmp, "event.json")
        with open(event_path, "w") as f:
            json.dump(pull_request_event() if event is None else event, f)
        output = os.path.join(self.tmp, "output-%d.txt" % self.runs)
        self.summary = os.path.join(self.tmp, "summary.md")
        e = {"PATH": os.environ["PATH"], **GIT_ENV, "HOME": self.tmp, "XDG_CONFIG_HOME": self.tmp,
             "GITHUB_API_URL": self.api.url, "GITHUB_REPOSITORY": REPO, "GITHUB_TOKEN": "t0ken",
             "GITHUB_EVENT_NAME": event_name, "GITHUB_EVENT_PATH": event_path, "GITHUB_OUTPUT": output,
             "GITHUB_STEP_SUMMARY": self.summary, "GITHUB_SERVER_URL": "https://github.test",
             "GITHUB_RUN_ID": str(4000 + self.runs), "RUNNER_TEMP": os.path.join(self.tmp, "runner-temp"),
             "MIGSAFE_ACTION_COMMAND": "%s %s" % (sys.executable, FAKE), "FAKE_MIGSAFE_LOG": self.log}
        for name, value in (inputs or {}).items():
            e["INPUT_" + name.upper().replace("-", "_")] = value
        e.update(env or {})
        p = subprocess.run([sys.executable, SCRIPT, "analyze"], cwd=self.work, env=e, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)
        outputs = {}
        if os.path.exists(output):
            with open(output) as f:
                for line in f:
                    k, _, v = line.rstrip("\n").partition("=")
                    outputs[k] = v
        return p.returncode, p.stdout, outputs

    def migsafe_calls(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(line) for line in f]

    def only_comment(self, number=7):
        comments = [c for c in self.api.comments.get(number, []) if migsafe_action.MARKER in c["body"]]
        self.assertEqual(1, len(comments), comments)
        return comments[0]

    # ---- the comment

    def test_first_run_creates_a_comment_with_the_report_and_the_marker(self):
        code, out, outputs = self.run_action()
        self.assertEqual(0, code, out)
        posts = self.api.calls("POST")
        self.assertEqual(1, len(posts), out)
        self.assertEqual("/repos/acme/shop/issues/7/comments", posts[0]["path"])
        body = posts[0]["body"]["body"]
        self.assertTrue(body.startswith(migsafe_action.MARKER + "\n"), body)
        self.assertIn("## migsafe: 1 error in 1 migration", body)
        self.assertIn("RemoveField orders.Order.note drops column", body)
        self.assertIn("(https://github.test/acme/shop/actions/runs/4001)", body)
        self.assertEqual("Bearer t0ken", posts[0]["headers"]["Authorization"])
        self.assertEqual(["100"], self.api.calls("GET")[0]["query"]["per_page"])
        self.assertEqual("1", outputs["exit-code"])
        self.assertEqual(("1", "1", "1", "3"), (outputs["errors"], outputs["warnings"], outputs["infos"],
                                                outputs["findings"]))
        self.assertEqual(self.only_comment()["html_url"], outputs["comment-url"])
        self.assertEqual("true", outputs["upload-sarif"])
        self.assertTrue(os.path.isfile(outputs["sarif-file"]))
        with open(self.summary) as f:
            self.assertIn("## migsafe: 1 error in 1 migration", f.read())

    def test_a_second_run_updates_the_same_comment(self):
        self.run_action()
        code, out, outputs = self.run_action()
        self.assertEqual(0, code, out)
        self.assertEqual(1, len(self.api.calls("POST")))
        patches = self.api.calls("PATCH")
        self.assertEqual(1, len(patches), out)
        comment = self.only_comment()
        self.assertEqual("/repos/acme/shop/issues/comments/%d" % comment["id"], patches[0]["path"])
        self.assertIn("actions/runs/4002", comment["body"])
        self.assertEqual(comment["html_url"], outputs["comment-url"])

    def test_the_marker_comment_on_page_two_is_updated_not_duplicated(self):
        for i in range(150):
            self.api.add(7, "comment %d" % i)
        mine = self.api.add(7, migsafe_action.MARKER + "\nan old report")
        for i in range(20):
            self.api.add(7, "later comment %d" % i)
        code, out, _ = self.run_action()
        self.assertEqual(0, code, out)
        self.assertEqual([], self.api.calls("POST"), out)
        self.assertEqual(["/repos/acme/shop/issues/comments/%d" % mine["id"]],
                         [r["path"] for r in self.api.calls("PATCH")])
        self.assertEqual([["1"], ["2"]], [r["query"].get("page", ["1"]) for r in self.api.calls("GET")])
        self.assertIn("## migsafe: 1 error", self.only_comment()["body"])

    def test_the_link_header_is_followed_across_small_pages(self):
        self.api.page_size = 2
        for i in range(5):
            self.api.add(7, "comment %d" % i)
        mine = self.api.add(7, "text before it\n" + migsafe_action.MARKER)
        self.run_action()
        self.assertEqual(3, len(self.api.calls("GET")))
        self.assertEqual([], self.api.calls("POST"))
        self.assertEqual(1, len(self.api.calls("PATCH")))
        self.assertEqual(mine["id"], self.only_comment()["id"])

    def test_a_clean_report_creates_no_comment(self):
        code, out, outputs = self.run_action(env={"FAKE_MIGSAFE_REPORT": "clean"})
        self.assertEqual(0, code, out)
        self.assertEqual(["GET"], [r["method"] for r in self.api.calls()])
        self.assertEqual("", outputs["comment-url"])
        self.assertEqual("0", outputs["exit-code"])
        self.assertIn("not commenting", out)

    def test_a_clean_report_updates_an_earlier_comment(self):
        self.run_action()
        self.run_action(env={"FAKE_MIGSAFE_REPORT": "clean"})
        self.assertEqual(1, len(self.api.calls("PATCH")))
        self.assertIn("no errors or warnings", self.only_comment()["body"])

    def test_a_fork_without_write_access_gets_a_warning_not_a_failure(self):
        self.api.fail = {"POST": 403}
        code, out, outputs = self.run_action(event=pull_request_event(fork=True))
        self.assertEqual(0, code, out)
        warnings = [l for l in out.splitlines() if l.startswith("::warning")]
        self.assertTrue(any("comes from a fork" in w and "403 Resource not accessible by integration" in w
                            for w in warnings), out)
        self.assertEqual("1", outputs["exit-code"], "the verdict is migsafe's, not the comment's")
        self.assertEqual("false", outputs["upload-sarif"], "a fork's token cannot upload SARIF either")
        self.assertEqual("", outputs["comment-url"])

    def test_an_api_error_is_one_line_and_does_not_fail(self):
        self.api.fail = {"GET": 500}
        code, out, outputs = self.run_action()
        self.assertEqual(0, code, out)
        lines = [l for l in out.splitlines() if "GitHub API" in l]
        self.assertEqual(1, len(lines), out)
        self.assertIn("GitHub API GET /repos/acme/shop/issues/7/comments: 500", lines[0])
        self.assertNotIn("Traceback", out)
        self.assertEqual("1", outputs["exit-code"])

    def test_an_unreachable_api_is_one_line_and_does_not_fail(self):
        self.api.close()
        code, out, _ = self.run_action()
        self.assertEqual(0, code, out)
        self.assertNotIn("Traceback", out)
        self.assertEqual(1, len([l for l in out.splitlines() if l.startswith("::warning") and "GitHub API GET" in l]),
                         out)

    def test_a_same_repository_403_names_the_permission(self):
        self.api.fail = {"POST": 403}
        code, out, _ = self.run_action()
        self.assertEqual(0, code, out)
        self.assertIn("pull-requests: write", out)

    def test_comment_false_makes_no_request(self):
        self.run_action(inputs={"comment": "false"})
        self.assertEqual([], self.api.requests)

    def test_no_comment_outside_pull_requests(self):
        code, out, outputs = self.run_action(event={"ref": "refs/heads/main"}, event_name="push")
        self.assertEqual(0, code, out)
        self.assertEqual([], self.api.requests)
        self.assertEqual(["analyze", "--format", "github"], self.migsafe_calls()[0], "migsafe's default range")
        self.assertEqual("", outputs["range"])

    def test_a_long_report_is_cut_to_what_a_comment_holds(self):
        self.run_action(env={"FAKE_MIGSAFE_REPORT": "huge"})
        body = self.only_comment()["body"]
        self.assertLessEqual(len(body), 65536)
        self.assertTrue(body.startswith(migsafe_action.MARKER))
        self.assertIn("longer than a comment can hold", body)
        self.assertIn("actions/runs/", body)

    # ---- running migsafe

    def test_migsafe_gets_the_range_and_the_inputs(self):
        code, out, outputs = self.run_action(inputs={"fail-on": "warning", "database": "mysql",
                                                     "config": "ci/migsafe.toml"})
        self.assertEqual(0, code, out)
        github, sarif, markdown = self.migsafe_calls()
        self.assertEqual(["analyze", "origin/main...HEAD", "--format", "github", "--fail-on", "warning",
                          "--database", "mysql", "--config", "ci/migsafe.toml"], github)
        self.assertEqual(["analyze", "origin/main...HEAD", "--format", "sarif", "--output", outputs["sarif-file"],
                          "--fail-on", "never", "--database", "mysql", "--config", "ci/migsafe.toml"], sarif)
        self.assertEqual(["--format", "markdown", "--output", outputs["report-file"], "--fail-on", "never"],
                         markdown[2:8])
        self.assertIn("::error file=shop/orders/migrations/0002_x.py", out, "annotations reach the log")
        self.assertEqual("origin/main...HEAD", outputs["range"])

    def test_the_range_input_wins(self):
        self.run_action(inputs={"range": "main..feature"})
        self.assertEqual("main..feature", self.migsafe_calls()[0][1])

    def test_a_missing_base_branch_is_fetched(self):
        self.clone("--single-branch", "--branch", "feature")
        code, out, _ = self.run_action()
        self.assertEqual(0, code, out)
        self.assertIn("fetching main from origin", out)
        p = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "refs/remotes/origin/main"], cwd=self.work,
                           stdout=subprocess.PIPE)
        self.assertEqual(0, p.returncode)

    def test_a_shallow_checkout_is_deepened_with_a_warning(self):
        self.clone("--depth", "1", "--single-branch", "--branch", "feature")
        code, out, _ = self.run_action()
        self.assertEqual(0, code, out)
        self.assertIn("fetch-depth: 0", out)
        p = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=self.work, stdout=subprocess.PIPE,
                           universal_newlines=True)
        self.assertEqual("false", p.stdout.strip())

    def test_migsafe_that_cannot_analyse_is_an_error_annotation_and_exit_code_2(self):
        code, out, outputs = self.run_action(env={"FAKE_MIGSAFE_EXIT": "2"})
        self.assertEqual(0, code, "the action's last step fails, after the SARIF upload step: " + out)
        self.assertEqual("2", outputs["exit-code"])
        self.assertEqual(1, len(self.migsafe_calls()), "no SARIF or markdown after exit 2")
        self.assertIn("::error title=migsafe::migsafe could not analyse origin/main...HEAD: migsafe: the clone is "
                      "shallow", out)
        self.assertEqual([], self.api.requests)

    def test_sarif_false_uploads_nothing(self):
        _, _, outputs = self.run_action(inputs={"sarif": "false"})
        self.assertEqual("false", outputs["upload-sarif"])

    def test_a_bad_boolean_input_is_an_error(self):
        code, out, _ = self.run_action(inputs={"comment": "maybe"})
        self.assertEqual(1, code)
        self.assertIn("::error title=migsafe::input comment must be true or false, not 'maybe'", out)


def write_wheel(folder, version):
    """A django-migsafe wheel whose `migsafe` prints its version: what pip installs in InstallTest."""
    import base64
    import hashlib
    import zipfile
    info = "django_migsafe-%s.dist-info" % version
    files = {
        "fake_migsafe_cli.py": "def main():\n    print('migsafe %s')\n" % version,
        info + "/METADATA": "Metadata-Version: 2.1\nName: django-migsafe\nVersion: %s\n" % version,
        info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        info + "/entry_points.txt": "[console_scripts]\nmigsafe = fake_migsafe_cli:main\n",
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (name, digest, len(text.encode())))
    record.append(info + "/RECORD,,")
    files[info + "/RECORD"] = "\n".join(record) + "\n"
    with zipfile.ZipFile(os.path.join(folder, "django_migsafe-%s-py3-none-any.whl" % version), "w") as z:
        for name, text in files.items():
            z.writestr(name, text)


class InstallTest(unittest.TestCase):
    """The install step with pip pointed at a folder holding one wheel (no index, no network)."""

    def test_installs_the_tags_version_into_a_venv_of_its_own(self):
        tmp = tempfile.mkdtemp(prefix="migsafe-action-install-")
        self.addCleanup(shutil.rmtree, tmp, True)
        wheels = os.path.join(tmp, "wheels")
        os.makedirs(wheels)
        write_wheel(wheels, "0.1.0")
        output = os.path.join(tmp, "output.txt")
        env = {"PATH": os.environ["PATH"], "HOME": tmp, "RUNNER_TEMP": os.path.join(tmp, "runner-temp"),
               "GITHUB_OUTPUT": output, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": wheels,
               "PIP_DISABLE_PIP_VERSION_CHECK": "1", "GITHUB_ACTION_PATH": "/runner/_actions/migsafe/migsafe/v0.1.0"}

        def install(**extra):
            return subprocess.run([sys.executable, SCRIPT, "install"], env={**env, **extra}, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, universal_newlines=True, timeout=300)

        p = install()
        self.assertEqual(0, p.returncode, p.stdout)
        self.assertIn("migsafe 0.1.0", p.stdout)
        with open(output) as f:
            command = f.read().strip().partition("migsafe=")[2]
        self.assertTrue(command.startswith(os.path.join(tmp, "runner-temp", "migsafe-venv")), command)
        run = subprocess.run([command], stdout=subprocess.PIPE, universal_newlines=True)
        self.assertEqual("migsafe 0.1.0\n", run.stdout)

        p = install(INPUT_VERSION="0.2.0")
        self.assertEqual(1, p.returncode, p.stdout)
        self.assertIn("::error title=migsafe::pip could not install django-migsafe==0.2.0 (see above)", p.stdout)


class ActionYmlTest(unittest.TestCase):
    """action.yml, the script and docs/ci.md agree on the inputs and outputs."""

    @classmethod
    def setUpClass(cls):
        root = os.path.dirname(os.path.dirname(HERE))
        with open(os.path.join(root, "action.yml"), encoding="utf-8") as f:
            cls.yml = f.read()
        with open(os.path.join(root, "docs", "ci.md"), encoding="utf-8") as f:
            cls.docs = f.read()

    def keys(self, section, following):
        body = self.yml[self.yml.index("\n%s:\n" % section):self.yml.index("\n%s:\n" % following)]
        return re.findall(r"^  ([a-z-]+):$", body, re.M)

    def test_every_input_is_documented_and_passed_to_the_script(self):
        inputs = self.keys("inputs", "outputs")
        self.assertIn("fail-on", inputs)
        for name in inputs:
            self.assertIn("| `%s` |" % name, self.docs, "docs/ci.md's table of inputs lacks " + name)
            if name not in ("working-directory", "sarif-category", "github-token"):
                self.assertIn("INPUT_%s: ${{ inputs.%s }}" % (name.upper().replace("-", "_"), name), self.yml)

    def test_every_output_is_documented_and_set_by_the_script(self):
        outputs = self.keys("outputs", "runs")
        self.assertIn("exit-code", outputs)
        with open(SCRIPT, encoding="utf-8") as f:
            script = f.read()
        for name in outputs:
            self.assertIn("`%s`" % name, self.docs, "docs/ci.md's table of outputs lacks " + name)
            self.assertIn("value: ${{ steps.analyze.outputs.%s }}" % name, self.yml)
            self.assertIn('"%s"' % name, script)


class UnitTest(unittest.TestCase):

    def test_the_version_to_install(self):
        r = migsafe_action.requirement
        self.assertEqual("django-migsafe==0.1.0", r("", "v0.1.0"))
        self.assertEqual("django-migsafe==1.*", r("", "v1"))
        self.assertEqual("django-migsafe==1.2.*", r("", "v1.2"))
        self.assertEqual("django-migsafe", r("", "main"))
        self.assertEqual("django-migsafe", r("", "0123456789abcdef0123456789abcdef01234567"))
        self.assertEqual("django-migsafe==0.2.0", r("0.2.0", "v0.1.0"))
        self.assertEqual("django-migsafe>=0.1,<0.2", r(">=0.1,<0.2", "v0.1.0"))
        self.assertEqual("django-migsafe", r("latest", "v0.1.0"))
        with self.assertRaises(migsafe_action.ActionError):
            r("; rm -rf /", "")

    def test_the_action_ref_falls_back_on_the_runners_copy_of_the_action(self):
        def ref(env):
            saved = {k: os.environ.pop(k, None) for k in ("MIGSAFE_ACTION_REF", "GITHUB_ACTION_PATH")}
            try:
                os.environ.update(env)
                return migsafe_action.action_ref()
            finally:
                for k, v in saved.items():
                    os.environ.pop(k, None)
                    if v is not None:
                        os.environ[k] = v
        self.assertEqual("v0.1.0", ref({"MIGSAFE_ACTION_REF": "v0.1.0", "GITHUB_ACTION_PATH": "/r/_actions/m/m/v9"}))
        self.assertEqual("v0.2.0", ref({"GITHUB_ACTION_PATH": "/home/runner/actions-runner/_actions/migsafe/migsafe/v0.2.0"}))
        self.assertEqual("v0.2.0", ref({"GITHUB_ACTION_PATH": "D:\\a\\_actions\\migsafe\\migsafe\\v0.2.0"}))
        self.assertEqual("", ref({"GITHUB_ACTION_PATH": "/home/runner/checkouts/shop/shop"}), "a local uses: ./")
        self.assertEqual("", ref({}))

    def test_next_link(self):
        header = '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"'
        self.assertEqual("https://api.github.com/x?page=2", migsafe_action.next_link(header))
        self.assertIsNone(migsafe_action.next_link('<https://api.github.com/x?page=1>; rel="prev"'))
        self.assertIsNone(migsafe_action.next_link(None))

    def test_fork_detection(self):
        self.assertTrue(migsafe_action.is_fork(pull_request_event(fork=True)["pull_request"]))
        self.assertFalse(migsafe_action.is_fork(pull_request_event()["pull_request"]))
        deleted = pull_request_event()["pull_request"]
        deleted["head"]["repo"] = None
        self.assertTrue(migsafe_action.is_fork(deleted), "a deleted fork is still a fork")


if __name__ == "__main__":
    unittest.main()
