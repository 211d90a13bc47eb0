#!/usr/bin/env python3
"""Findings per rule and severity in two `analyze --format json` reports (e.g. `--all` before
and after a change), and the difference; replay problems and unknown-state reviews too.

    bench/review/rule_counts.py before.json after.json
"""
import collections
import json
import sys


def counts(path):
    with open(path) as f:
        report = json.load(f)
    c = collections.Counter()
    for finding in report["findings"]:
        if not finding.get("suppressed"):
            c[(finding["rule"], finding["severity"])] += 1
    replay = report.get("replay", {})
    return c, len(replay.get("problems", [])), replay.get("unknown_state_reviews", 0)


def main():
    before, problems_before, unknown_before = counts(sys.argv[1])
    after, problems_after, unknown_after = counts(sys.argv[2])
    print(f"replay problems {problems_before} -> {problems_after}; "
          f"unknown-state reviews {unknown_before} -> {unknown_after}")
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key, 0), after.get(key, 0)
        if a != b:
            print(f"{key[0]} {key[1]:8} {b:5} -> {a:5} ({a - b:+d})")


if __name__ == "__main__":
    main()
