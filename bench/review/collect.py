#!/usr/bin/env python3
"""Run migsafe as a reviewer would on the pull-request ranges of real projects.

For each repository, the N newest non-merge commits that add a migration file are taken as
pull requests: `migsafe analyze --format json C^...C` is run on each and its report kept as
OUT/<project>/<commit>.json (with the command's exit code and time in OUT/<project>/runs.tsv).
Nothing is written to the repositories: migsafe reads git objects only.

    bench/review/collect.py --out reviews/before REPO_GIT_DIR...
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MIGSAFE = os.path.join(HERE, "..", "..", "bin", "migsafe")


def project_name(git_dir):
    path = os.path.abspath(git_dir).rstrip("/")
    if os.path.basename(path) in ("repo", ".git"):
        path = os.path.dirname(path)
    return os.path.basename(path).replace("+", "__")


def commits_adding_migrations(git_dir, count, pickaxe=None):
    # -G keeps only the commits whose diff (of the migration files) matches the regex.
    grep = ["-G", pickaxe] if pickaxe else []
    out = subprocess.run(
        ["git", "--git-dir", git_dir, "log", "--no-merges", "--diff-filter=A", *grep, "--format=%H",
         "-n", str(count), "HEAD", "--", "*migrations/*.py"],
        check=True, capture_output=True, text=True).stdout
    return [line for line in out.split() if line]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", help="git directories of the projects")
    parser.add_argument("--out", required=True, help="folder for the reports")
    parser.add_argument("--ranges", type=int, default=25, help="ranges per project (25)")
    parser.add_argument("--migsafe", default=MIGSAFE, help="the launcher to run")
    parser.add_argument("--pickaxe", metavar="REGEX",
                        help="only commits adding a migration whose diff matches REGEX (git log -G)")
    args = parser.parse_args()
    for git_dir in args.repos:
        name = project_name(git_dir)
        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "runs.tsv"), "w") as runs:
            for commit in commits_adding_migrations(git_dir, args.ranges, args.pickaxe):
                started = time.monotonic()
                result = subprocess.run(
                    [args.migsafe, "analyze", "--repo", git_dir, "--format", "json",
                     "--fail-on", "never", "--no-baseline", f"{commit}^...{commit}"],
                    capture_output=True, text=True)
                took = time.monotonic() - started
                runs.write(f"{commit}\t{result.returncode}\t{took:.2f}\n")
                if result.returncode != 0:
                    print(f"{name} {commit[:10]}: exit {result.returncode}: "
                          f"{result.stderr.strip()[:300]}", file=sys.stderr)
                    continue
                report = json.loads(result.stdout)
                report["project"] = name
                with open(os.path.join(folder, commit + ".json"), "w") as f:
                    json.dump(report, f, indent=1)
        print(f"{name}: {len(os.listdir(folder)) - 1} reports", file=sys.stderr)


if __name__ == "__main__":
    main()
