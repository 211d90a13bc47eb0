#!/usr/bin/env python3
"""The migrations `manage.py migrate` applies to move a database from FROM to TO, by Django itself.

Usage:
  django_plan.py --repo GIT_DIR|WORK_TREE [--from REV | --applied FILE] [--to REV] [options]

Reads the migration files of both commits from git objects, parses them with `ast` (nothing of
the project is imported or run), and gives them to Django's own MigrationLoader and
MigrationExecutor (django_reference.py). The applied set is what django_migrations holds after
`migrate` brought an empty database to FROM; with --applied it is read from a file of
`app,name` (or `app.name`) lines instead; with neither, the database is empty.
Prints one `app.name` per line in Django's order, or with --json the plan and what was needed
to build it (squash statuses, dependencies on apps outside the repository, the user model).

Needs Django (Debian: apt-get install python3-django, then run it with the system python3).

Options:
  --to REV                 default HEAD
  --apps-dir-glob GLOB     only app folders (the folder holding migrations/) matching GLOB
                           (fnmatch, repeatable; default: all)
  --exclude GLOB           leave out app folders matching GLOB (repeatable; added to the
                           defaults */tests/* and tests/*, test apps not in INSTALLED_APPS).
                           Globs are matched against the folder's path and that path with
                           a trailing slash (so */tests/* takes saleor/tests)
  --include-tests          drop the default excludes
  --label DIR=LABEL        app label of a folder whose AppConfig sets its own (repeatable)
  --auth-user-model M      settings.AUTH_USER_MODEL (default: read from the revision's
                           settings files, else Django's auth.User)
  --no-contrib-applied     with --from, do not count the django.contrib apps' migrations as
                           applied (by default, for each contrib app FROM's migrations depend
                           on, the installed Django's migrations of that app count as applied:
                           saleor 3.10 took over the label `auth` with the same names)
  --json                   machine-readable output

Exit: 0 plan printed; 1 Django would refuse to migrate (conflicting leaves, inconsistent
history, a graph Django cannot build for this applied set), `refusal` in --json says why;
2 bad input (unknown revision, a migration that cannot be read without running it).
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from git_migrations import (AppFolders, Git, GitError, is_settings_file,  # noqa: E402
                            migration_files, settings_user_models)
from migration_ast import USER_MODEL, MigrationSourceError, Swappable, read_migration  # noqa: E402

try:
    import django  # noqa: E402
except ImportError:
    sys.stderr.write("django_plan.py needs Django (Debian: apt-get install python3-django, then run it "
                     "with the system python3)\n")
    sys.exit(2)

import django_reference as ref  # noqa: E402

DEFAULT_EXCLUDES = ["*/tests/*", "tests/*"]
DJANGO_DEFAULT_USER_MODEL = "auth.User"


class InputError(Exception):
    pass


class Side:
    """The migrations of one revision, ready for Django's loader."""

    def __init__(self, git, rev, folders, user_model_option):
        try:
            self.commit = git.commit(rev)
        except GitError:
            raise InputError("unknown revision %r" % rev) from None
        self.rev = rev
        self.warnings = []
        files = git.files(self.commit)
        paths, self.labels = migration_files(files, folders, self.warnings)
        settings_paths = [p for p in files if is_settings_file(p) and folders.wanted_path(p)]
        texts = git.read_blobs([files[p] for p in paths.values()] + [files[p] for p in settings_paths])
        self.user_model = user_model_option or self._user_model(settings_paths, files, texts)
        self.parsed = {}
        for key, path in sorted(paths.items()):
            try:
                self.parsed[key] = read_migration(texts[files[path]], path)
            except MigrationSourceError as e:
                raise InputError(str(e)) from None
        self.external = set()       # app labels referenced but not in the repository
        self.dropped = []           # (migration, attribute, dependency) left out of the graph
        self.migrations = {key: self._stub(key, values) for key, values in self.parsed.items()}

    def _user_model(self, settings_paths, files, texts):
        found = settings_user_models({p: texts[files[p]] for p in settings_paths})
        if len(found) > 1:
            raise InputError("%s: settings files set AUTH_USER_MODEL to %s: pick one with --auth-user-model"
                             % (self.rev, ", ".join(sorted(found))))
        return found.pop() if found else DJANGO_DEFAULT_USER_MODEL

    def _stub(self, key, values):
        dependencies = [self._keep(key, "dependencies", self._swapped(d)) for d in values["dependencies"]]
        run_before = [self._keep(key, "run_before", d) for d in values["run_before"]]
        return ref.stub_migration(key[0], key[1],
                                  [d for d in dependencies if d is not None],
                                  values["replaces"],
                                  [d for d in run_before if d is not None],
                                  values["initial"])

    def _swapped(self, dependency):
        if isinstance(dependency, Swappable):
            value = self.user_model if dependency.setting_value == USER_MODEL else dependency.setting_value
            return ref.user_model_dependency(value)
        return dependency

    def _keep(self, key, attribute, dependency):
        """Dependencies on apps outside the repository: `__first__`/`__latest__` ones stay (Django's
        check_key drops them for an app without migrations); a named migration of such an app would be
        a node the graph lacks, so it is left out and reported."""
        if dependency[0] in self.labels:
            return dependency
        self.external.add(dependency[0])
        if dependency[1] in ("__first__", "__latest__"):
            return dependency
        self.dropped.append((key, attribute, dependency))
        return None

    def loader(self, applied=()):
        return ref.GitMigrationLoader(self.migrations, self.labels, self.external, applied)


def read_applied(path):
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    applied = set()
    with stream:
        for number, line in enumerate(stream, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            for separator in (",", ".", " "):
                parts = [p.strip() for p in text.split(separator)]
                if len(parts) == 2 and all(parts):
                    applied.add((parts[0], parts[1]))
                    break
            else:
                raise InputError("%s:%d: expected app,name, got %r" % (path, number, text))
    return applied


def label_option(text):
    directory, sep, label = text.partition("=")
    if not sep or not directory or not label:
        raise argparse.ArgumentTypeError("expected DIR=LABEL, got %r" % text)
    return directory.rstrip("/"), label


def name(key):
    return "%s.%s" % key


def main(argv=None):
    parser = argparse.ArgumentParser(description="Django's own migrate plan between two revisions.")
    parser.add_argument("--repo", required=True, help="git directory (or a work tree holding .git)")
    origin = parser.add_mutually_exclusive_group()
    origin.add_argument("--from", dest="from_rev", help="revision whose migrations are all applied")
    origin.add_argument("--applied", help="file of app,name lines (django_migrations), - for stdin")
    parser.add_argument("--to", dest="to_rev", default="HEAD")
    parser.add_argument("--apps-dir-glob", action="append", default=[])
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--include-tests", action="store_true")
    parser.add_argument("--label", action="append", default=[], type=label_option)
    parser.add_argument("--auth-user-model")
    parser.add_argument("--no-contrib-applied", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    excludes = ([] if args.include_tests else DEFAULT_EXCLUDES) + args.exclude
    folders = AppFolders(args.apps_dir_glob, excludes, dict(args.label))
    git = Git(args.repo)
    try:
        result = plan(git, args, folders)
    except (InputError, GitError, OSError) as e:
        sys.stderr.write("django_plan.py: %s\n" % e)
        return 2
    refusal = result["refusal"]
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for line in result["plan"] or []:
            print(line)
    for warning in result["warnings"]:
        sys.stderr.write("django_plan.py: %s\n" % warning)
    if refusal:
        sys.stderr.write("django_plan.py: Django would refuse to migrate: %s\n" % refusal)
        return 1
    return 0


def plan(git, args, folders):
    to_side = Side(git, args.to_rev, folders, args.auth_user_model)
    from_side = None
    contrib_applied = {}
    result = {
        "format": 1,
        "django": django.get_version(),
        "from": {"applied": args.applied} if args.applied else None,
        "to": {"rev": to_side.rev, "commit": to_side.commit},
        "plan": None,
        "count": None,
        "refusal": None,
    }
    try:
        if args.from_rev:
            from_side = Side(git, args.from_rev, folders, args.auth_user_model)
            result["from"] = {"rev": from_side.rev, "commit": from_side.commit}
            applied = ref.recorded_after_full_migrate(from_side.loader())
            if not args.no_contrib_applied:
                contrib_applied = assumed_contrib_rows(from_side.external)
                for label, names in contrib_applied.items():
                    applied.update((label, n) for n in names)
        elif args.applied:
            applied = read_applied(args.applied)
        else:
            applied = set()
        loader = to_side.loader(applied)
    except ref.GRAPH_REFUSALS as e:
        # Django's own refusals while building a graph: NodeNotFoundError (e.g. a squash partly
        # applied whose replaced migrations are gone), CircularDependencyError, ValueError.
        result["refusal"] = "%s: %s" % (type(e).__name__, e)
        result["warnings"] = warnings_of(from_side, to_side)
        return result

    conflicts = loader.detect_conflicts()
    if conflicts:
        result["refusal"] = "conflicting migrations (several leaves) in " + "; ".join(
            "%s: %s" % (app, ", ".join(names)) for app, names in sorted(conflicts.items()))
    inconsistent = ref.inconsistent_history(loader, applied)
    if inconsistent:
        result["refusal"] = "inconsistent history: " + "; ".join(
            "%s is applied before its dependency %s" % (name(m), name(p)) for m, p in inconsistent[:5])
    steps = ref.migrate_plan(loader)
    known = set(to_side.migrations)
    for migration in to_side.migrations.values():
        known.update(tuple(k) for k in migration.replaces)
    taken_over = sorted((from_side.external & to_side.labels) if from_side else set())
    result.update({
        "plan": [name(key) for key in steps],
        "count": len(steps),
        "migrations_at_to": len(to_side.migrations),
        "applied_before": len(applied),
        "contrib_assumed_applied": {label: len(names) for label, names in sorted(contrib_applied.items())},
        # Rows TO neither has nor replaces (removed apps, a database ahead of or beside TO);
        # rows of apps outside the repository at TO are not counted.
        "applied_outside_to": [name(k) for k in sorted(applied - known) if k[0] not in to_side.external],
        "squashes": [{"migration": name(k), "replaces": len(to_side.migrations[k].replaces), "status": s}
                     for k, s in ref.squash_statuses(loader).items()],
        "user_model": {"from": from_side.user_model if from_side else None, "to": to_side.user_model},
        "external_apps": sorted(to_side.external | (from_side.external if from_side else set())),
        "labels_taken_over": taken_over,
        "dropped_dependencies": sorted({"%s %s %s" % (name(k), attribute, name(d))
                                        for side in (from_side, to_side) if side
                                        for k, attribute, d in side.dropped}),
        "warnings": warnings_of(from_side, to_side),
    })
    for label in taken_over:
        if label not in contrib_applied:
            result["warnings"].append(
                "app label %r is outside the repository at FROM and inside it at TO: which of its migrations "
                "the site applied is unknown, so they count as not applied" % label)
    return result


def assumed_contrib_rows(external_labels):
    """A site fully migrated at FROM has also applied the migrations of the django.contrib apps its
    migrations depend on: take the installed Django's list for them (the site's Django may differ)."""
    rows = {}
    for label in sorted(external_labels):
        names = ref.contrib_migration_names(label)
        if names:
            rows[label] = names
    return rows


def warnings_of(*sides):
    return [w for side in sides if side for w in side.warnings]


if __name__ == "__main__":
    sys.exit(main())
