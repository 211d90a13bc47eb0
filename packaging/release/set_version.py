#!/usr/bin/env python3
"""Sets the version of a release everywhere it is written: the pom (and so the jar and the
wheel) and the pre-commit hook repository's pinned django-migsafe.

    python3 packaging/release/set_version.py X.Y.Z
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rewrite(path, pattern, replacement):
    full = os.path.join(ROOT, path)
    with open(full, encoding="utf-8") as f:
        text = f.read()
    changed, count = re.subn(pattern, replacement, text, count=1)
    if count != 1:
        sys.exit("set_version.py: %s: nothing matched %s" % (path, pattern))
    with open(full, "w", encoding="utf-8") as f:
        f.write(changed)


def main():
    if len(sys.argv) != 2 or not re.fullmatch(r"\d+\.\d+\.\d+([a-z]+\d+)?", sys.argv[1]):
        sys.exit("usage: set_version.py X.Y.Z")
    version = sys.argv[1]
    rewrite("pom.xml", r"(<artifactId>migsafe</artifactId>\s*<version>)[^<]+(</version>)", r"\g<1>%s\g<2>" % version)
    hooks = "packaging/pre-commit/pyproject.toml"
    rewrite(hooks, r'(?m)^version = "[^"]+"', 'version = "%s"' % version)
    rewrite(hooks, r'"django-migsafe==[^"]+"', '"django-migsafe==%s"' % version)


if __name__ == "__main__":
    main()
