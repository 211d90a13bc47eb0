#!/usr/bin/env python3
"""The logic of migsafe's GitHub Action (action.yml at the repository root).

Two commands, one per step of the composite action:

  install   create a private virtual environment under $RUNNER_TEMP and pip-install
            django-migsafe into it (the version: input `version`, else the action's own tag);
            output `migsafe`, the path of the installed command.
  analyze   work out the pull request's range, run `migsafe analyze` for annotations (its exit
            code is the verdict), for SARIF and for the markdown report, create or update the one
            pull-request comment, and write the step's outputs. It does not fail on findings:
            the action's last step does, after the SARIF upload.

Standard library only (the runner's python3 is all there is). Everything it needs from the
runner comes from the environment, so tests can point it at a local stand-in for the API:
GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_TOKEN,
GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP, and the inputs as INPUT_* variables that
action.yml sets. MIGSAFE_ACTION_COMMAND names the migsafe command (a path, or a command line).
docs/ci.md documents the inputs and outputs; docs/decisions/0007-github-action.md the design.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

DISTRIBUTION = "django-migsafe"

# Finds the action's comment among a pull request's comments. The report's own first line
# (<!-- migsafe analyze -->) is not used: a team may post that report by other means.
MARKER = "<!-- migsafe-report -->"

# GitHub refuses comment bodies over 65536 characters.
COMMENT_LIMIT = 65000

# A pull request's comments are read 100 a page; this many pages at most (10,000 comments).
MAX_PAGES = 100

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")


class ActionError(Exception):
    """A problem the user must fix; the message is one line."""


class ApiError(Exception):
    """A GitHub API request that failed; str() is one line naming the request and the reason."""

    def __init__(self, method, path, status, reason):
        super().__init__("GitHub API %s %s: %s" % (method, path, reason if status is None else
                                                    "%d %s" % (status, reason)))
        self.status = status


# ---------------------------------------------------------------------------------------------
# Workflow commands and outputs


def log(message):
    print(message, flush=True)


def escape_data(s):
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def warning(message):
    log("::warning title=migsafe::" + escape_data(message))


def error(message):
    log("::error title=migsafe::" + escape_data(message))


def set_outputs(values):
    """Appends name=value lines to $GITHUB_OUTPUT (printed when there is none, e.g. by hand)."""
    path = os.environ.get("GITHUB_OUTPUT")
    lines = "".join("%s=%s\n" % (k, str(v).replace("\n", " ")) for k, v in values.items())
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(lines)
    else:
        sys.stdout.write(lines)


def append_summary(markdown):
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(markdown if markdown.endswith("\n") else markdown + "\n")


def inp(name, default=""):
    """An input as action.yml passes it: INPUT_FAIL_ON for fail-on; blank means not given."""
    value = os.environ.get("INPUT_" + name.upper().replace("-", "_"), "").strip()
    return value if value else default


def flag(name, default):
    value = inp(name, "true" if default else "false").lower()
    if value in ("true", "yes", "1", "on"):
        return True
    if value in ("false", "no", "0", "off"):
        return False
    raise ActionError("input %s must be true or false, not '%s'" % (name, value))


# ---------------------------------------------------------------------------------------------
# install


def requirement(version, action_ref):
    """What to pip-install: input `version` ('latest', a version, or a specifier), else the
    version of the action's tag (v0.1.0 -> ==0.1.0, v1 -> ==1.*), else the latest release."""
    if version.lower() == "latest":
        return DISTRIBUTION
    if version:
        if re.match(r"^[0-9]", version):
            return "%s==%s" % (DISTRIBUTION, version)
        if re.match(r"^(==|>=|<=|~=|!=|<|>)", version):
            return DISTRIBUTION + version
        raise ActionError("input version must be a version such as 0.1.0, a specifier such as '>=0.1,<0.2' "
                          "or 'latest', not '%s'" % version)
    m = re.match(r"^v?([0-9]+(?:\.[0-9]+){0,2})$", action_ref or "")
    if not m:
        return DISTRIBUTION
    parts = m.group(1).split(".")
    return "%s==%s" % (DISTRIBUTION, m.group(1) if len(parts) == 3 else m.group(1) + ".*")


def action_ref():
    """The ref the workflow used the action at (v0.1.0 in migsafe/migsafe@v0.1.0). action.yml passes
    github.action_ref, which the runner leaves empty in some composite actions; the runner's copy
    of the action is then in .../_actions/<owner>/<repo>/<ref>."""
    ref = os.environ.get("MIGSAFE_ACTION_REF", "").strip()
    if ref:
        return ref
    parts = os.environ.get("GITHUB_ACTION_PATH", "").replace("\\", "/").rstrip("/").split("/")
    return parts[-1] if len(parts) >= 4 and parts[-4] == "_actions" else ""


def venv_command(venv, name):
    windows = os.path.join(venv, "Scripts", name + ".exe")
    return windows if os.name == "nt" else os.path.join(venv, "bin", name)


def install():
    spec = requirement(inp("version"), action_ref())
    if spec == DISTRIBUTION:
        log("migsafe: installing the latest %s (the action is not used at a version tag; pin one with "
            "the input version)" % DISTRIBUTION)
    temp = os.environ.get("RUNNER_TEMP") or os.path.join(os.getcwd(), ".migsafe-temp")
    venv = os.path.join(temp, "migsafe-venv")
    if subprocess.call([sys.executable, "-m", "venv", venv]) != 0:
        raise ActionError("'%s -m venv' failed: install the venv module (Debian, Ubuntu: python3-venv) or run "
                          "actions/setup-python before this action" % sys.executable)
    python = venv_command(venv, "python")
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet", spec]
    log("migsafe: " + " ".join(shlex.quote(a) for a in pip[2:]))
    if subprocess.call(pip) != 0:
        raise ActionError("pip could not install %s (see above)" % spec)
    command = venv_command(venv, "migsafe")
    subprocess.call([command, "--version"])
    set_outputs({"migsafe": command})


# ---------------------------------------------------------------------------------------------
# The range and the repository


def git(*args):
    """Runs git in the current directory; returns (exit code, standard output)."""
    try:
        p = subprocess.run(["git"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
    except OSError:
        return 127, ""
    return p.returncode, p.stdout.strip()


def has_commit(rev):
    return git("rev-parse", "--verify", "--quiet", rev + "^{commit}")[0] == 0


def prepare_history(base_ref):
    """Makes the range computable: the full history and origin/<base_ref>."""
    code, shallow = git("rev-parse", "--is-shallow-repository")
    if code != 0:
        return  # not a repository: migsafe says so in its own words
    if shallow == "true":
        warning("the checkout is shallow, and migsafe needs the merge base with %s: fetching the whole history. "
                "Set fetch-depth: 0 on actions/checkout to save this step." % base_ref)
        if git("fetch", "--quiet", "--no-tags", "--unshallow", "origin")[0] != 0:
            warning("git fetch --unshallow origin failed; migsafe will say what is missing")
    if not has_commit("refs/remotes/origin/" + base_ref):
        log("migsafe: fetching %s from origin (the checkout does not have origin/%s)" % (base_ref, base_ref))
        if git("fetch", "--quiet", "--no-tags", "origin",
               "+refs/heads/%s:refs/remotes/origin/%s" % (base_ref, base_ref))[0] != 0:
            warning("could not fetch %s from origin; migsafe will say what is missing" % base_ref)


def pull_request_range(event_name, event):
    """The range of a pull request event, or None (then migsafe's default range applies)."""
    pr = event.get("pull_request") if event_name in PULL_REQUEST_EVENTS else None
    if pr:
        base_ref = pr["base"]["ref"]
        head = "HEAD"
        if event_name == "pull_request_target":
            # The checkout is the base branch unless the workflow checked out the head: name it.
            head = pr["head"]["sha"]
            if not has_commit(head):
                git("fetch", "--quiet", "--no-tags", "origin", "+refs/pull/%d/head" % pr["number"])
        prepare_history(base_ref)
        return "origin/%s...%s" % (base_ref, head)
    group = event.get("merge_group") if event_name == "merge_group" else None
    if group:
        return "%s...%s" % (group["base_sha"], group["head_sha"])
    return None


def is_fork(pr):
    head = (pr.get("head") or {}).get("repo") or {}
    base = (pr.get("base") or {}).get("repo") or {}
    return head.get("full_name") != base.get("full_name")


# ---------------------------------------------------------------------------------------------
# Running migsafe


def migsafe_command():
    command = os.environ.get("MIGSAFE_ACTION_COMMAND", "").strip() or "migsafe"
    return [command] if os.path.isfile(command) else shlex.split(command)


def run_migsafe(args, stream):
    """Runs migsafe; its standard output goes to ours when `stream` (workflow commands),
    else is discarded. Returns (exit code, standard error)."""
    command = migsafe_command() + args
    log("migsafe: " + " ".join(shlex.quote(a) for a in ["migsafe"] + args))
    try:
        p = subprocess.run(command, stdout=None if stream else subprocess.DEVNULL, stderr=subprocess.PIPE,
                           universal_newlines=True)
    except OSError as e:
        raise ActionError("cannot run %s: %s" % (command[0], e))
    if p.stderr:
        sys.stdout.write(p.stderr)
        sys.stdout.flush()
    return p.returncode, p.stderr.strip()


def counts(sarif_path):
    """Unsuppressed findings per level in a SARIF file written by migsafe."""
    with open(sarif_path, encoding="utf-8") as f:
        sarif = json.load(f)
    n = {"error": 0, "warning": 0, "note": 0}
    for run in sarif.get("runs", []):
        for result in run.get("results", []):
            if not result.get("suppressions"):
                level = result.get("level", "warning")
                n[level] = n.get(level, 0) + 1
    return n


# ---------------------------------------------------------------------------------------------
# The GitHub API


class GitHub:
    def __init__(self, api_url, token, timeout=30):
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(self, method, url, body=None):
        """Returns (parsed JSON, the next page's URL or None)."""
        if not url.startswith("http"):
            url = self.api_url + url
        path = urllib.parse.urlsplit(url).path
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Accept", "application/vnd.github+json")
        req.add_header("X-GitHub-Api-Version", "2022-11-28")
        req.add_header("User-Agent", "migsafe-action")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                text = resp.read().decode("utf-8")
                return (json.loads(text) if text else None), next_link(resp.headers.get("Link"))
        except urllib.error.HTTPError as e:
            raise ApiError(method, path, e.code, api_reason(e))
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise ApiError(method, path, None, str(getattr(e, "reason", e)))

    def comments(self, repo, number):
        url = "/repos/%s/issues/%d/comments?per_page=100" % (repo, number)
        for _ in range(MAX_PAGES):
            page, url = self.request("GET", url)
            for comment in page or []:
                yield comment
            if not url:
                return

    def create_comment(self, repo, number, body):
        return self.request("POST", "/repos/%s/issues/%d/comments" % (repo, number), {"body": body})[0]

    def update_comment(self, repo, comment_id, body):
        return self.request("PATCH", "/repos/%s/issues/comments/%d" % (repo, comment_id), {"body": body})[0]


def next_link(header):
    """The rel="next" URL of a Link header, or None."""
    for part in (header or "").split(","):
        m = re.match(r'\s*<([^>]*)>\s*;(.*)', part)
        if m and re.search(r'rel="?next"?', m.group(2)):
            return m.group(1)
    return None


def api_reason(e):
    """GitHub's message for a failed request, on one line."""
    try:
        message = json.loads(e.read().decode("utf-8")).get("message") or e.reason
    except (ValueError, AttributeError, OSError):
        message = e.reason
    if e.code in (403, 429) and e.headers.get("X-RateLimit-Remaining") == "0":
        message = "rate limit exceeded (%s)" % message
    return " ".join(str(message).split())


def comment_body(report, footer):
    body = MARKER + "\n" + report.rstrip("\n") + "\n"
    tail = ("\n" + footer + "\n") if footer else ""
    if len(body) + len(tail) > COMMENT_LIMIT:
        note = ("\n\n_The report is longer than a comment can hold: the whole of it is in the job summary of the "
                "workflow run._\n")
        cut = body.rfind("\n", 0, COMMENT_LIMIT - len(tail) - len(note))
        body = body[:cut] + note
    return body + tail


def publish(github, repo, pr, body, clean):
    """Creates or updates the action's one comment; returns its URL, or '' when there is none.
    A clean report creates no comment, but updates one that an earlier run left."""
    number = pr["number"]
    existing = None
    for c in github.comments(repo, number):
        if MARKER in (c.get("body") or ""):
            existing = c
            break
    if existing is None:
        if clean:
            log("migsafe: no errors or warnings, and no comment of an earlier run: not commenting")
            return ""
        created = github.create_comment(repo, number, body)
        log("migsafe: commented on pull request #%d: %s" % (number, created.get("html_url", "")))
        return created.get("html_url", "")
    if existing.get("body") == body:
        log("migsafe: the comment on pull request #%d is up to date" % number)
        return existing.get("html_url", "")
    updated = github.update_comment(repo, existing["id"], body)
    log("migsafe: updated the comment on pull request #%d: %s" % (number, updated.get("html_url", "")))
    return updated.get("html_url", "")


def comment(report, clean, pr):
    token = os.environ.get("GITHUB_TOKEN", "")
    repo = os.environ.get("GITHUB_REPOSITORY", "")
    if not token or not repo:
        warning("no github-token (or GITHUB_REPOSITORY): the report is not posted as a comment")
        return ""
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    run_id = os.environ.get("GITHUB_RUN_ID")
    footer = "<sub>migsafe, [workflow run](%s/%s/actions/runs/%s)</sub>" % (server, repo, run_id) if run_id else ""
    github = GitHub(os.environ.get("GITHUB_API_URL", "https://api.github.com"), token)
    try:
        return publish(github, repo, pr, comment_body(report, footer), clean)
    except ApiError as e:
        if e.status in (403, 404) and is_fork(pr):
            warning("cannot comment on pull request #%d: it comes from a fork, and a fork's pull request gets a "
                    "read-only token. The report is in the job summary. (%s)" % (pr["number"], e))
        elif e.status in (401, 403, 404):
            warning("cannot comment on pull request #%d: the token may not write comments; give the job "
                    "'permissions: pull-requests: write' or set comment: false. (%s)" % (pr["number"], e))
        else:
            warning("cannot comment on pull request #%d: %s" % (pr["number"], e))
        return ""


# ---------------------------------------------------------------------------------------------
# analyze


def load_event():
    path = os.environ.get("GITHUB_EVENT_PATH")
    if not path or not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def analyze():
    event_name = os.environ.get("GITHUB_EVENT_NAME", "")
    event = load_event()
    pr = event.get("pull_request") if event_name in PULL_REQUEST_EVENTS else None
    want_sarif = flag("sarif", True)
    want_comment = flag("comment", True)
    rng = inp("range") or pull_request_range(event_name, event)
    if rng is None:
        log("migsafe: no pull request in this %s event and no input range: migsafe's default range (HEAD "
            "against its merge base with the default branch)" % (event_name or "(unknown)"))
    target = [rng] if rng else []
    options = []
    for name in ("database", "config"):
        if inp(name):
            options += ["--" + name, inp(name)]
    fail_on = ["--fail-on", inp("fail-on")] if inp("fail-on") else []

    temp = os.path.join(os.environ.get("RUNNER_TEMP") or os.getcwd(), "migsafe")
    os.makedirs(temp, exist_ok=True)
    sarif_path = os.path.join(temp, "migsafe.sarif")
    report_path = os.path.join(temp, "migsafe.md")
    code_root, root = git("rev-parse", "--show-toplevel")
    outputs = {"exit-code": "", "errors": "", "warnings": "", "infos": "", "findings": "", "range": rng or "",
               "sarif-file": "", "report-file": "", "upload-sarif": "false", "comment-url": "",
               "repository-root": root if code_root == 0 else os.getcwd()}

    # 1. Annotations, and the verdict: this run's exit code honours fail-on.
    code, err = run_migsafe(["analyze"] + target + ["--format", "github"] + fail_on + options, stream=True)
    outputs["exit-code"] = code
    if code not in (0, 1):
        error("migsafe could not analyse %s: %s" % (rng or "the default range",
                                                   err.splitlines()[-1] if err else "exit code %d" % code))
        set_outputs(outputs)
        return
    # 2. SARIF: also the source of the counts.
    never = ["--fail-on", "never"]
    if run_migsafe(["analyze"] + target + ["--format", "sarif", "--output", sarif_path] + never + options,
                   stream=False)[0] == 0:
        n = counts(sarif_path)
        outputs.update({"errors": n["error"], "warnings": n["warning"], "infos": n["note"],
                        "findings": n["error"] + n["warning"] + n["note"], "sarif-file": sarif_path})
        if want_sarif:
            if pr is not None and is_fork(pr) and event_name == "pull_request":
                warning("SARIF not uploaded: a pull request from a fork gets a read-only token (no "
                        "security-events: write); the annotations and the job summary have the findings")
            else:
                outputs["upload-sarif"] = "true"
    else:
        warning("migsafe could not write SARIF; no upload to code scanning")
    # 3. The markdown report: job summary and pull-request comment.
    if run_migsafe(["analyze"] + target + ["--format", "markdown", "--output", report_path] + never + options,
                   stream=False)[0] != 0:
        warning("migsafe could not write the markdown report; no comment")
        set_outputs(outputs)
        return
    outputs["report-file"] = report_path
    with open(report_path, encoding="utf-8") as f:
        report = f.read()
    append_summary(report)
    if want_comment and pr is not None:
        clean = outputs["errors"] == 0 and outputs["warnings"] == 0
        outputs["comment-url"] = comment(report, clean, pr)
    elif want_comment:
        log("migsafe: not a pull request event: no comment")
    set_outputs(outputs)


def main(argv):
    if len(argv) != 2 or argv[1] not in ("install", "analyze"):
        sys.stderr.write("usage: migsafe_action.py install|analyze\n")
        return 2
    try:
        install() if argv[1] == "install" else analyze()
    except ActionError as e:
        error(str(e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
