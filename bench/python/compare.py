#!/usr/bin/env python3
"""Compare migsafe's JSONL output with the CPython reference (reference.py).

Usage: python3 compare.py OURS.jsonl REFERENCE.jsonl [--limit N] [--fail]

Records are matched by "path". Reported:
  * ref ok, ours not ok (or missing)      -- serious: we reject/miss a file CPython accepts
  * ours ok, ref error                    -- strictness gap: we accept invalid Python
  * other status disagreements (e.g. ok vs not-a-migration, error vs not-a-migration)
  * dependency mismatches                 -- only where ref dependencies_resolved is true
  * operation mismatches (type, line, column, nested lists, recursively)
                                          -- only where ref operations_resolved is true
Nested lists the reference leaves out (not literal) but ours gives are counted
as information only: resolving more than the reference is not an error.
Exit status is 0, or with --fail 1 when any status disagreement or mismatch is found.
"""
import argparse
import json
import sys
from collections import Counter

NESTED = ("database_operations", "state_operations")


def load(path):
    records = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                rec = json.loads(line)
                # Tolerate './x' or Windows separators from the other side.
                key = rec["path"].replace("\\", "/").removeprefix("./")
                if key in records:
                    print(f"warning: {path}:{n}: duplicate path {key}", file=sys.stderr)
                records[key] = rec
    return records


def dep_key(dep):
    """The fields that matter for each dependency kind; extra keys on our side are ignored."""
    kind = dep.get("kind")
    if kind == "unresolved":
        return (kind,)
    if kind == "swappable":
        return (kind, dep.get("app"), dep.get("name"), dep.get("setting"))
    return (kind, dep.get("app"), dep.get("name"))


def diff_ops(ours, ref, where, notes):
    """First difference between two operation lists as a string, or None. `notes` collects info-only events."""
    if len(ours) != len(ref):
        return (f"{where}: {len(ours)} operations vs reference {len(ref)}; "
                f"ours={[o.get('type') for o in ours]} ref={[o.get('type') for o in ref]}")
    for i, (o, r) in enumerate(zip(ours, ref)):
        here = f"{where}[{i}]"
        for field in ("type", "line", "column"):
            if o.get(field) != r.get(field):
                return (f"{here} {field}: ours {o.get(field)!r} vs reference {r.get(field)!r} "
                        f"(ref {r.get('type')} at {r.get('line')}:{r.get('column')})")
        for key in NESTED:
            if key in r:
                if key not in o:
                    return f"{here}.{key}: missing in ours, reference has {[x.get('type') for x in r[key]]}"
                found = diff_ops(o[key], r[key], f"{here}.{key}", notes)
                if found:
                    return found
            elif key in o:
                notes["nested list given by ours only (reference: not literal)"] += 1
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ours")
    ap.add_argument("reference")
    ap.add_argument("--limit", type=int, default=20, help="details shown per category (default 20)")
    ap.add_argument("--fail", action="store_true", help="exit 1 on any status disagreement or mismatch")
    args = ap.parse_args()

    ours, ref = load(args.ours), load(args.reference)
    categories = {name: [] for name in (
        "ref ok, ours not ok", "ours ok, ref error (strictness gap)", "other status disagreement",
        "dependency mismatch", "operation mismatch")}
    notes = Counter()
    compared = Counter()

    for path in sorted(ref):
        r = ref[path]
        o = ours.get(path)
        rs, os_ = r["status"], (o["status"] if o else "missing")
        if rs != os_:
            if rs == "ok":
                categories["ref ok, ours not ok"].append(f"{path}: ours {os_} {o.get('error') if o else ''}")
            elif os_ == "ok":
                categories["ours ok, ref error (strictness gap)" if rs == "error" else "other status disagreement"]\
                    .append(f"{path}: reference {rs} {r.get('error', '')}")
            else:
                categories["other status disagreement"].append(f"{path}: ours {os_}, reference {rs}")
            continue
        if rs == "error":
            # Both reject: positions are informative only (error recovery differs between parsers).
            if (o.get("error") or {}).get("line") != (r.get("error") or {}).get("line"):
                notes["both error, different line"] += 1
            continue
        if rs != "ok":
            continue
        rm, om = r["migration"], o.get("migration") or {}
        if rm["dependencies_resolved"]:
            compared["dependencies"] += 1
            od, rd = om.get("dependencies") or [], rm["dependencies"]
            if [dep_key(d) for d in od] != [dep_key(d) for d in rd]:
                categories["dependency mismatch"].append(
                    f"{path}:\n      ours {[dep_key(d) for d in od]}\n      ref  {[dep_key(d) for d in rd]}")
        else:
            notes["dependencies not compared (reference unresolved)"] += 1
        if rm["operations_resolved"]:
            compared["operations"] += 1
            found = diff_ops(om.get("operations") or [], rm["operations"], "operations", notes)
            if found:
                categories["operation mismatch"].append(f"{path}: {found}")
        else:
            notes["operations not compared (reference unresolved)"] += 1

    extra = sorted(set(ours) - set(ref))
    print(f"reference records: {len(ref)}   ours: {len(ours)}   ours only (not in reference): {len(extra)}")
    print("status (reference):", dict(Counter(r["status"] for r in ref.values())))
    print("status (ours):     ", dict(Counter(o["status"] for o in ours.values())))
    print(f"compared: dependencies in {compared['dependencies']} files, operations in {compared['operations']} files")
    for note, n in sorted(notes.items()):
        print(f"  note: {note}: {n}")
    print()
    for name, items in categories.items():
        print(f"{name}: {len(items)}")
    for name, items in categories.items():
        if items:
            print(f"\n== {name} (first {min(len(items), args.limit)} of {len(items)})")
            for item in items[: args.limit]:
                print("  " + item)
    if extra:
        print(f"\n== ours only (first {min(len(extra), args.limit)} of {len(extra)})")
        for path in extra[: args.limit]:
            print("  " + path)

    failures = sum(len(items) for items in categories.values())
    sys.exit(1 if args.fail and failures else 0)


if __name__ == "__main__":
    main()
