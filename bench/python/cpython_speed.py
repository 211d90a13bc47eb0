#!/usr/bin/env python3
"""CPython ast.parse throughput on a migration corpus: the bar for migsafe's parser.

Usage: python3.13 cpython_speed.py ROOT [--passes N]

Selects the same files as reference.py, reads them all into memory first (so disk
I/O is not measured), then times ast.parse(bytes) over all of them, N passes
(default 3), in one process. Files CPython rejects are still parsed (and timed):
the Java side pays for them too. MB = 10^6 bytes of source.
"""
import argparse
import ast
import os
import sys
import time
import warnings

sys.dont_write_bytecode = True  # no __pycache__ next to the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import iter_migration_files  # noqa: E402  (same file selection as the reference)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # SyntaxWarning output would be timed otherwise

    sources = []
    for path, _ in iter_migration_files(args.root):
        with open(path, "rb") as f:
            sources.append(f.read())
    total = sum(map(len, sources))
    print(f"{sys.implementation.name} {sys.version.split()[0]}: {len(sources)} files, {total / 1e6:.2f} MB")

    for n in range(1, args.passes + 1):
        errors = 0
        start = time.perf_counter()
        for src in sources:
            try:
                ast.parse(src)
            except (SyntaxError, ValueError):
                errors += 1
        elapsed = time.perf_counter() - start
        print(f"pass {n}: {elapsed:.3f} s  {len(sources) / elapsed:,.0f} files/s  "
              f"{total / 1e6 / elapsed:.2f} MB/s  ({errors} errors)")


if __name__ == "__main__":
    main()
