#!/usr/bin/env python3
"""Share of raw-SQL operations that migsafe leaves to review, per project (issue 12's measure).

For each repository, `migsafe analyze --all --format json` is run on HEAD and its report kept as
OUT/<project>/<head commit>.json (the layout of collect.py, so sample.py and rule_counts.py read
it too; exit codes and times in OUT/<project>/runs.tsv). From the reports it prints markdown:

- RunSQL operations per project, how many have the class "review", and that share;
- RunPython operations that run SQL themselves (a C199 finding on the RunPython), the same way;
- SeparateDatabaseAndState operations whose database_operations hold RunSQL (found with
  `migsafe parse`, kept in the report as "sdas_sql"), the same way: such a RunSQL has no
  verdict of its own, the wrapping operation's is its verdict;
- the classes RunSQL operations get, the rule ids of their findings, and the rules that make
  them a review (the findings whose class is "review");
- with --draw N, N SQL verdicts (of all three kinds) drawn at random for judging;
  as in sample.py each one's place is a hash of the seed and its identity, so a later build's
  draw keeps the operations whose verdict did not move.

The summary is also written to OUT/summary.json; --compare BEFORE prints BEFORE's share beside
this run's. --from DIR reads reports kept by an earlier run instead of running migsafe (to
redraw or re-compare without the JVM). The RunSQL rows count top-level RunSQL operations
only (the numbers issue 12 quotes); wrapped ones are in the SeparateDatabaseAndState rows.

    bench/review/sql_share.py --out sqlshare/before SALEOR_GIT_DIR TAIGA_GIT_DIR ...
    (new build)
    bench/review/sql_share.py --out sqlshare/after --compare sqlshare/before --draw 30 GIT_DIR...
"""
import argparse
import collections
import glob
import hashlib
import json
import os
import subprocess
import sys
import time

from collect import MIGSAFE, project_name


def run_migsafe(launcher, git_dir, folder):
    """Runs the audit of HEAD and keeps its report; returns the report or None."""
    head = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "HEAD"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # No resident process: it could serve the jar it started with, not the build to measure.
    env = dict(os.environ, MIGSAFE_DAEMON="off")
    started = time.monotonic()
    result = subprocess.run(
        [launcher, "analyze", "--repo", git_dir, "--all", "--format", "json",
         "--fail-on", "never", "--no-baseline"],
        capture_output=True, text=True, env=env)
    took = time.monotonic() - started
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "runs.tsv"), "a") as runs:
        runs.write(f"{head}\t{result.returncode}\t{took:.2f}\n")
    if result.returncode != 0:
        print(f"{os.path.basename(folder)}: exit {result.returncode}: "
              f"{result.stderr.strip()[:300]}", file=sys.stderr)
        return None
    report = json.loads(result.stdout)
    report["project"] = os.path.basename(folder)
    report["sdas_sql"] = wrapped_sql(launcher, git_dir, env)
    with open(os.path.join(folder, head + ".json"), "w") as f:
        json.dump(report, f, indent=1)
    return report


def wrapped_sql(launcher, git_dir, env):
    """SeparateDatabaseAndState operations whose database_operations hold RunSQL, as
    {path, line, runsql}: the analyze report judges them as one operation and does not name
    what they wrap, so `migsafe parse` is asked."""
    result = subprocess.run(
        [launcher, "parse", "--format", "jsonl", "--repo", git_dir, "HEAD:"],
        capture_output=True, text=True, env=env)
    if result.returncode not in (0, 1):  # 1: some file did not parse; the others are listed
        print(f"parse: exit {result.returncode}: {result.stderr.strip()[:300]}", file=sys.stderr)
        return None
    out = []
    for line in result.stdout.splitlines():
        record = json.loads(line)
        for op in (record.get("migration") or {}).get("operations", []):
            inner = [o.get("type") for o in op.get("database_operations") or []]
            if op.get("type") == "SeparateDatabaseAndState" and "RunSQL" in inner:
                out.append({"path": record["path"], "line": op["line"],
                            "runsql": inner.count("RunSQL")})
    return out


def kept_report(folder):
    """The newest report kept in a project's folder (by the runs.tsv order), or None."""
    heads = []
    runs = os.path.join(folder, "runs.tsv")
    if os.path.exists(runs):
        with open(runs) as f:
            heads = [line.split("\t")[0] for line in f if line.strip()]
    for head in reversed(heads):
        path = os.path.join(folder, head + ".json")
        if os.path.exists(path):
            with open(path) as f:
                return json.load(f)
    paths = sorted(glob.glob(os.path.join(folder, "*.json")))
    if paths:
        with open(paths[-1]) as f:
            return json.load(f)
    return None


def is_type(op, name):
    # The type is as the migration writes it; `migrations.RunSQL` and `RunSQL` are the same.
    return (op.get("type") or "").rsplit(".", 1)[-1] == name


def sql_operations(report):
    """(kind, migration, operation) for every RunSQL, every RunPython that runs SQL and every
    SeparateDatabaseAndState that wraps RunSQL."""
    wrapping = {(w["path"], w["line"]) for w in report.get("sdas_sql") or []}
    for m in report["migrations"]:
        for op in m["operations"]:
            if is_type(op, "RunSQL"):
                yield "RunSQL", m, op
            elif is_type(op, "RunPython") and "C199" in (op.get("findings") or []):
                yield "RunPython+SQL", m, op
            elif (m["path"], op["line"]) in wrapping:
                yield "SDAS+RunSQL", m, op


def summarise(report):
    ops = {"RunSQL": [], "RunPython+SQL": [], "SDAS+RunSQL": []}
    for kind, m, op in sql_operations(report):
        ops[kind].append((m, op))
    run_python = sum(1 for m in report["migrations"] for op in m["operations"]
                     if is_type(op, "RunPython"))
    # Findings deciding a review, by (path, operation index): suppressed ones decide nothing.
    review_rules = collections.defaultdict(set)
    for f in report["findings"]:
        if f.get("class") == "review" and f.get("operation") is not None and not f.get("suppressed"):
            review_rules[(f["path"], f["operation"])].add(f["rule"])
    out = {"head": report["range"]["head"], "tool": report.get("tool", {}).get("version"),
           "run_python": run_python,
           "wrapped_runsql": sum(w["runsql"] for w in report.get("sdas_sql") or []),
           "sdas_known": report.get("sdas_sql") is not None}
    for kind, items in ops.items():
        classes = collections.Counter(op["class"] or "not judged" for _, op in items)
        rules = collections.Counter(r for _, op in items for r in op.get("findings") or [])
        deciding = collections.Counter(
            r for m, op in items if op["class"] == "review"
            for r in review_rules.get((m["path"], op["index"]), {"(none)"}))
        out[kind] = {"ops": len(items), "review": classes.get("review", 0),
                     "classes": dict(classes), "rules": dict(rules),
                     "review_rules": dict(deciding)}
    return out


def share(part, whole):
    return f"{100.0 * part / whole:.1f} %" if whole else "-"


def table(summaries, kind, before, ops_label):
    print(f"| project | {ops_label} | review | share |" + (" before |" if before else ""))
    print("|---|---:|---:|---:|" + ("---:|" if before else ""))
    total_ops = total_review = before_ops = before_review = 0
    for name, s in summaries.items():
        ops, review = s[kind]["ops"], s[kind]["review"]
        total_ops, total_review = total_ops + ops, total_review + review
        row = f"| {name} | {ops} | {review} | {share(review, ops)} |"
        if before:
            b = before.get(name, {}).get(kind)
            if b:
                before_ops, before_review = before_ops + b["ops"], before_review + b["review"]
                row += f" {b['review']}/{b['ops']} = {share(b['review'], b['ops'])} |"
            else:
                row += " - |"
        print(row)
    row = f"| **all** | {total_ops} | {total_review} | {share(total_review, total_ops)} |"
    if before:
        row += f" {before_review}/{before_ops} = {share(before_review, before_ops)} |"
    print(row + "\n")


def counts_table(summaries, kind, key, label):
    names = list(summaries)
    keys = sorted({k for s in summaries.values() for k in s[kind][key]})
    if not keys:
        print(f"({label}: none)\n")
        return
    print(f"| {label} | " + " | ".join(names) + " | all |")
    print("|---|" + "---:|" * (len(names) + 1))
    for k in keys:
        values = [summaries[n][kind][key].get(k, 0) for n in names]
        print(f"| {k} | " + " | ".join(map(str, values)) + f" | {sum(values)} |")
    print()


def short(text, limit=140):
    text = " ".join((text or "").split()).replace("|", "\\|")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def draw(reports, count, seed):
    items = [(name, m, op, kind) for name, report in reports.items()
             for kind, m, op in sql_operations(report)]

    def key(name, m, op):
        return hashlib.sha256("\0".join(
            [str(seed), name, m["path"], str(op["index"])]).encode()).hexdigest()

    items.sort(key=lambda i: key(i[0], i[1], i[2]))
    print(f"## {min(count, len(items))} SQL verdicts drawn from {len(items)} (seed {seed})\n")
    print("| # | project | where | kind | class | reversible | reason | judged |")
    print("|---|---|---|---|---|---|---|---|")
    for i, (name, m, op, kind) in enumerate(items[:count], 1):
        print(f"| {i} | {name} | {m['path']}:{op['line']} | {kind} | {op['class']} | "
              f"{op.get('reversible')} | {short(op.get('reason'))} | |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="*", help="git directories of the projects")
    parser.add_argument("--out", help="folder for the reports and summary.json")
    parser.add_argument("--from", dest="source",
                        help="read the reports an earlier run kept here instead of running migsafe")
    parser.add_argument("--compare", help="an earlier run's folder: print its share beside")
    parser.add_argument("--draw", type=int, default=0, help="draw N SQL verdicts to judge")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--migsafe", default=MIGSAFE, help="the launcher to run")
    args = parser.parse_args()
    if bool(args.source) == bool(args.repos) or not (args.out or args.source):
        parser.error("give repositories and --out, or --from DIR")

    reports = {}
    if args.source:
        for folder in sorted(glob.glob(os.path.join(args.source, "*", ""))):
            report = kept_report(folder)
            if report:
                reports[os.path.basename(folder.rstrip("/"))] = report
    else:
        for git_dir in args.repos:
            name = project_name(git_dir)
            report = run_migsafe(args.migsafe, git_dir, os.path.join(args.out, name))
            if report:
                reports[name] = report
    if not reports:
        sys.exit("no reports")

    summaries = {name: summarise(r) for name, r in reports.items()}
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "summary.json"), "w") as f:
            json.dump(summaries, f, indent=1)
    before = None
    if args.compare:
        with open(os.path.join(args.compare, "summary.json")) as f:
            before = json.load(f)

    versions = sorted({s["tool"] or "?" for s in summaries.values()})
    print(f"# Raw SQL verdicts (migsafe {', '.join(versions)}; `analyze --all` on HEAD)\n")
    print("| project | head |\n|---|---|")
    for name, s in summaries.items():
        print(f"| {name} | {s['head'][:10]} |")
    print("\n## RunSQL operations\n")
    table(summaries, "RunSQL", before, "RunSQL ops")
    print("## RunPython operations that run SQL (C199 on the RunPython)\n")
    print("| project | RunPython ops | running SQL |\n|---|---:|---:|")
    for name, s in summaries.items():
        print(f"| {name} | {s['run_python']} | {s['RunPython+SQL']['ops']} |")
    print()
    table(summaries, "RunPython+SQL", before, "with SQL")
    print("## SeparateDatabaseAndState operations wrapping RunSQL (judged as one operation)\n")
    print("| project | RunSQL inside |\n|---|---:|")
    for name, s in summaries.items():
        print(f"| {name} | {s['wrapped_runsql'] if s['sdas_known'] else 'not known'} |")
    print()
    table(summaries, "SDAS+RunSQL", before, "SeparateDatabaseAndState ops")
    print("## Classes of RunSQL operations\n")
    counts_table(summaries, "RunSQL", "classes", "class")
    print("## Rule ids of RunSQL operations' findings\n")
    counts_table(summaries, "RunSQL", "rules", "rule")
    print("## Rules that make a RunSQL operation a review\n")
    counts_table(summaries, "RunSQL", "review_rules", "rule")
    print("## Rules that make a RunPython with SQL a review\n")
    counts_table(summaries, "RunPython+SQL", "review_rules", "rule")
    if args.draw:
        draw(reports, args.draw, args.seed)


if __name__ == "__main__":
    main()
