#!/usr/bin/env python3
"""Check migsafe's deployed-code verdicts (C102, C103, C107, C108) with git grep at the base commit.

For each such finding of the reports collect.py wrote, the operation is read from the migration
at the head commit (Python's ast), and the base commit (merge-base of C^ and C) is searched with
plain regexes: is the field still assigned in the app's models, wrapped in deprecate_field, or
gone; is the model class still declared; how many lines of code and templates name it. The
result is compared with migsafe's: satisfied (info, "satisfied ...") or a hazard with evidence.
Deliberately shares nothing with migsafe, so that both err in different ways.

    bench/review/deployed_check.py --reports OUT/<project> --git-dir GIT_DIR [--json out.json]
"""
import argparse
import ast
import collections
import glob
import json
import os
import re
import subprocess
import sys

RULES = {"C102": "RemoveField", "C103": "RenameField", "C107": "DeleteModel", "C108": "RenameModel"}
# Django's parameter order, so positional and keyword arguments read alike.
PARAMS = {"RemoveField": ("model_name", "name"), "RenameField": ("model_name", "old_name", "new_name"),
          "DeleteModel": ("name",), "RenameModel": ("old_name", "new_name")}
# Old code is what runs in production: migrations and tests never do. Glob magic, so that `*`
# stays within one folder and an app named "contest" is not taken for a test.
EXCLUDE = [":(exclude,glob)**/migrations/**", ":(exclude,glob)**/tests/**", ":(exclude,glob)**/test*.py",
           ":(exclude,glob)**/*_test.py", ":(exclude,glob)**/*_tests.py", ":(exclude,glob)**/conftest.py"]
CODE = [":(glob)**/*.py"]
# .txt only under templates/: e-mail templates are, requirements.txt and READMEs are not code.
TEMPLATES = [":(glob)**/*.html", ":(glob)**/templates/**/*.txt"]
SAMPLES = 5
# Expected verdict of each grep verdict; "unsure" ones need a reviewer's eye, not a count.
EXPECT = {"declared": "hazard", "deprecated": "satisfied", "absent": "satisfied",
          "declared-other": "unsure", "absent-here": "unsure", "declared-elsewhere": "unsure"}


class Unreadable(Exception):
    pass


class Git:
    def __init__(self, git_dir):
        self.git_dir = git_dir
        self.cache = {}

    def run(self, *args, ok=(0,)):
        r = subprocess.run(["git", "--git-dir", self.git_dir, *args], capture_output=True, text=True,
                           errors="replace")
        if r.returncode not in ok:
            raise Unreadable(f"git {args[0]}: {r.stderr.strip()[:200]}")
        return r.stdout

    def grep(self, rev, options, pattern, pathspecs):
        """[(path, line, text)] of `git grep` at rev; exit 1 (no match) is an empty list."""
        key = (rev, tuple(options), pattern, tuple(pathspecs))
        if key not in self.cache:
            out = self.run("grep", "-z", "-n", "-I", "--no-color", *options, "-e", pattern, rev, "--",
                           *pathspecs, ok=(0, 1))
            hits = []
            for row in out.splitlines():
                parts = row[len(rev) + 1:].split("\0", 2)  # "rev:path\0line\0text"
                if len(parts) == 3 and parts[1].isdigit():
                    hits.append((parts[0], int(parts[1]), parts[2].strip()))
            self.cache[key] = hits
        return self.cache[key]


def call_name(node):
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def read_operation(source, line, kind, index=None):
    """The literal arguments of the `kind` call at `line` (or the migration's operation `index`)."""
    tree = ast.parse(source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and call_name(n) == kind]
    found = [c for c in calls if c.lineno == line] or \
        [c for c in calls if c.lineno <= line <= (c.end_lineno or c.lineno)]
    if not found and index is not None:
        # The finding's line may point at a wrapper (SeparateDatabaseAndState): take the only
        # call of that kind inside the index-th element of `operations = [...]`.
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "operations" for t in node.targets) \
                    and isinstance(node.value, (ast.List, ast.Tuple)) and index < len(node.value.elts):
                inner = [n for n in ast.walk(node.value.elts[index])
                         if isinstance(n, ast.Call) and call_name(n) == kind]
                found = inner if len(inner) == 1 else []
    if len(found) != 1:
        raise Unreadable(f"{len(found)} {kind} calls at line {line}")
    call, args = found[0], {}
    for name, value in list(zip(PARAMS[kind], call.args)) + [(k.arg, k.value) for k in call.keywords]:
        if name in PARAMS[kind]:
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                raise Unreadable(f"{kind} {name} is not a string literal")
            args[name] = value.value
    missing = [p for p in PARAMS[kind] if p not in args]
    if missing:
        raise Unreadable(f"{kind} without {', '.join(missing)}")
    return args


def app_folder(path):
    parts = path.split("/")
    if "migrations" not in parts[:-1]:
        raise Unreadable(f"{path} is not under migrations/")
    return "/".join(parts[:len(parts) - 1 - parts[::-1].index("migrations")])


def enclosing_classes(git, rev, paths):
    """{path: [(line, class name)]} of the top-level classes: a field belongs to the last one above it."""
    out = collections.defaultdict(list)
    if paths:
        for path, line, text in git.grep(rev, ["-E"], r"^class[[:space:]]+[A-Za-z_]", sorted(paths)):
            out[path].append((line, re.match(r"class\s+(\w+)", text).group(1)))
    return out


def field_verdict(git, rev, app, model, name):
    """(verdict, declaration hit or None, every assignment hit) of field `name` of `model` at rev."""
    prefix = app + "/" if app else ""
    pattern = r"^[[:space:]]+" + re.escape(name) + r"[[:space:]]*(:[^=]*)?=([^=]|$)"  # `name = ...` in a class
    here = git.grep(rev, ["-E"], pattern, [f":(glob){prefix}models.py", f":(glob){prefix}models/**/*.py"] + EXCLUDE)
    classes = enclosing_classes(git, rev, {h[0] for h in here})
    own = [h for h in here
           if ([c for ln, c in classes[h[0]] if ln < h[1]] or [""])[-1].lower() == model.lower()]
    if own:
        hit = own[0]
        return ("deprecated" if "deprecate_field(" in hit[2] else "declared"), hit, here
    if here:
        # In another class of the app: an abstract base the model inherits, or another model's field.
        return "declared-other", here[0], here
    # Not in the app: an abstract base of another app, or a namesake; a reviewer decides.
    elsewhere = git.grep(rev, ["-E"], pattern, [":(glob)**/models.py", ":(glob)**/models/**/*.py"] + EXCLUDE)
    return ("absent-here", elsewhere[0], elsewhere) if elsewhere else ("absent", None, [])


def model_verdict(git, rev, app, name):
    pattern = r"^[[:space:]]*class[[:space:]]+" + re.escape(name) + r"[[:space:]]*\("
    hits = git.grep(rev, ["-E"], pattern, CODE + EXCLUDE)
    in_app = [h for h in hits if not app or h[0].startswith(app + "/")]
    if in_app:
        return "declared", in_app[0], hits
    return ("declared-elsewhere", hits[0], hits) if hits else ("absent", None, [])


def usages(git, rev, name, declarations):
    skip = {(p, ln) for p, ln, _ in declarations}
    hits = [h for h in git.grep(rev, ["-w", "-F"], name, CODE + TEMPLATES + EXCLUDE) if (h[0], h[1]) not in skip]
    return len(hits), [f"{p}:{ln}: {t[:120]}" for p, ln, t in hits[:SAMPLES]]


def migsafe_verdict(finding):
    if finding.get("severity") == "info" and (finding.get("message") or "").startswith("satisfied"):
        return "satisfied"
    return "hazard" if finding.get("severity") in ("error", "warning") else "other:" + str(finding.get("severity"))


def check_finding(git, head, base, finding):
    """One row: what grep says at base, what migsafe says, and whether they agree."""
    kind = RULES[finding["rule"]]
    evidence = finding.get("evidence") or []
    row = {"rule": finding["rule"], "path": finding.get("path"), "line": finding.get("line"),
           "migsafe": migsafe_verdict(finding), "migsafe_evidence": len(evidence), "target": None,
           "grep": "unreadable", "declaration": None, "usages": 0, "samples": [], "agree": "unreadable",
           "evidence_declaration": None}
    try:
        source = git.run("show", f"{head}:{finding['path']}")
        args = read_operation(source, int(finding.get("line") or 0), kind, finding.get("operation"))
        app = app_folder(finding["path"])
        if kind in ("RemoveField", "RenameField"):
            name = args.get("name") or args["old_name"]
            row["target"] = f"{finding.get('app') or app}.{args['model_name']}.{name}"
            verdict, decl, decls = field_verdict(git, base, app, args["model_name"], name)
        else:
            name = args.get("name") or args["old_name"]
            row["target"] = f"{finding.get('app') or app}.{name}"
            verdict, decl, decls = model_verdict(git, base, app, name)
        row["usages"], row["samples"] = usages(git, base, name, decls)
    except Exception as e:  # any surprise in one migration is that finding's "unreadable", not a crash
        row["reason"] = f"{type(e).__name__}: {e}" if not isinstance(e, Unreadable) else str(e)
        return row
    row["grep"] = verdict
    row["declaration"] = f"{decl[0]}:{decl[1]}" if decl else None
    expected, got = EXPECT[verdict], row["migsafe"]
    if got.startswith("other"):
        row["agree"] = "other"
    elif expected == "unsure":
        row["agree"] = "unsure"
    elif expected == got:
        row["agree"] = "agree-" + got
    else:
        row["agree"] = "disagree:migsafe-" + got  # migsafe says `got`, grep says the other
    if got == "hazard":
        # Does migsafe point at the declaration grep found? "yes"/"no"; "none": it names none.
        places = {f"{e.get('path')}:{e.get('line')}" for e in evidence if e.get("kind") == "declaration"}
        row["evidence_declaration"] = ("none" if not places else "yes" if row["declaration"] in places
                                       else "no")
    return row


def check_reports(folder, git_dir):
    git = Git(git_dir)
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        try:
            with open(path) as f:
                report = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: {e}", file=sys.stderr)
            continue
        project = report.get("project") or os.path.basename(os.path.abspath(folder))
        head = (report.get("range") or {}).get("head") or os.path.basename(path)[:-len(".json")]
        findings = [f for f in report.get("findings", []) if f.get("rule") in RULES and not f.get("suppressed")]
        if not findings:
            continue
        try:
            base = git.run("merge-base", f"{head}^", head).strip()  # the range is C^...C
        except Unreadable as e:
            base = None
            print(f"{project} {head[:10]}: {e}", file=sys.stderr)
        reported = (report.get("range") or {}).get("base")
        if base and reported and reported != base:
            print(f"{project} {head[:10]}: report's base {reported[:10]} is not {base[:10]}", file=sys.stderr)
        for finding in findings:
            if base:
                row = check_finding(git, head, base, finding)
            else:
                row = {"rule": finding["rule"], "path": finding.get("path"), "line": finding.get("line"),
                       "migsafe": migsafe_verdict(finding), "migsafe_evidence": len(finding.get("evidence") or []),
                       "target": None, "grep": "unreadable", "agree": "unreadable", "usages": 0,
                       "samples": [], "reason": "no base commit"}
            row.update(project=project, commit=head)
            rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", action="append", required=True, help="OUT/<project> (repeatable)")
    parser.add_argument("--git-dir", action="append", required=True, help="the project's git dir, one per --reports")
    parser.add_argument("--json", help="also write the rows and counts here")
    parser.add_argument("--samples", action="store_true", help="print the usage samples under each row")
    args = parser.parse_args()
    if len(args.reports) != len(args.git_dir):
        parser.error("give one --git-dir per --reports")
    rows = [r for folder, gd in zip(args.reports, args.git_dir) for r in check_reports(folder, gd)]
    counts = collections.defaultdict(collections.Counter)
    for r in rows:
        counts[r["project"]][r["agree"]] += 1
    for project, c in sorted(counts.items()):
        print(f"{project}: {sum(c.values())} findings; " + ", ".join(f"{k} {n}" for k, n in sorted(c.items())))
    print()
    print("project\tcommit\trule\ttarget\tgrep\tmigsafe\tusages\tevidence\tdecl-match\tagree")
    for r in rows:
        print("\t".join(str(x) for x in (r["project"], r["commit"][:10], r["rule"], r["target"] or r["path"],
                                         r["grep"], r["migsafe"], r["usages"], r["migsafe_evidence"],
                                         r.get("evidence_declaration") or "-", r["agree"])))
        if r.get("reason"):
            print("\t" + r["reason"])
        if args.samples:
            for s in ([f"declared at {r['declaration']}"] if r.get("declaration") else []) + r["samples"]:
                print("\t" + s)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"counts": {p: dict(c) for p, c in counts.items()}, "findings": rows}, f, indent=1)


if __name__ == "__main__":
    main()
