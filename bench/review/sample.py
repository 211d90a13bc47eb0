#!/usr/bin/env python3
"""Draw findings and operations at random (fixed seed) from reports written by collect.py.

Prints two markdown tables to judge against the files: error/warning findings (at most
--per-rule of one rule) and operations of added migrations with the class migsafe gave them.
The verdict columns are left empty for the reviewer. Each item's place in the draw is a hash of
the seed and what identifies it (project, commit, rule, file, line), so a change to migsafe that
adds or removes a few findings leaves the rest of the sample as it was: a second run after a fix
needs only the rows that changed judged again.

    bench/review/sample.py reviews/after --seed 10 --findings 40 --per-rule 4 --operations 50
"""
import argparse
import glob
import hashlib
import json
import os


def reports(folder):
    for path in sorted(glob.glob(os.path.join(folder, "*", "*.json"))):
        with open(path) as f:
            report = json.load(f)
        yield report.get("project") or os.path.basename(os.path.dirname(path)), report


def short(text, limit=160):
    text = " ".join((text or "").split()).replace("|", "\\|")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--findings", type=int, default=40)
    parser.add_argument("--per-rule", type=int, default=4)
    parser.add_argument("--operations", type=int, default=50)
    args = parser.parse_args()

    findings, operations, per_rule_total = [], [], {}
    for project, report in reports(args.folder):
        head = report["range"]["head"][:10]
        for f in report["findings"]:
            if f["severity"] not in ("error", "warning") or f.get("suppressed") or f.get("baselined"):
                continue
            per_rule_total[f["rule"]] = per_rule_total.get(f["rule"], 0) + 1
            findings.append((project, head, f))
        for m in report["migrations"]:
            if m.get("change") != "added":
                continue
            for op in m["operations"]:
                if op.get("class"):
                    operations.append((project, head, m, op))

    def key(*parts):
        return hashlib.sha256("\0".join([str(args.seed), *map(str, parts)]).encode()).hexdigest()

    findings.sort(key=lambda i: key(i[0], i[1], i[2]["rule"], i[2]["path"], i[2]["line"]))
    operations.sort(key=lambda i: key(i[0], i[1], i[2]["path"], i[3]["index"]))
    taken, counts = [], {}
    for item in findings:
        rule = item[2]["rule"]
        if counts.get(rule, 0) < args.per_rule:
            counts[rule] = counts.get(rule, 0) + 1
            taken.append(item)
        if len(taken) == args.findings:
            break

    print(f"# Sample of {args.folder} (seed {args.seed})\n")
    print(f"{len(findings)} error/warning findings; per rule: "
          + ", ".join(f"{r} {n}" for r, n in sorted(per_rule_total.items())) + "\n")
    print("## Findings\n")
    print("| # | project | range head | rule | sev | where | message | verdict |")
    print("|---|---|---|---|---|---|---|---|")
    for i, (project, head, f) in enumerate(taken, 1):
        print(f"| {i} | {project} | {head} | {f['rule']} | {f['severity']} | "
              f"{f['path']}:{f['line']} | {short(f['message'])} | |")

    print(f"\n## Operations ({len(operations)} in added migrations)\n")
    print("| # | project | range head | migration | operation | class | reason | verdict |")
    print("|---|---|---|---|---|---|---|---|")
    for i, (project, head, m, op) in enumerate(operations[:args.operations], 1):
        target = op.get("target") or ""
        print(f"| {i} | {project} | {head} | {m['path']}:{op['line']} | {op['type']} {target} | "
              f"{op['class']} | {short(op.get('reason'), 120)} | |")


if __name__ == "__main__":
    main()
