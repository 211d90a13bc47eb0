"""Django's own migration loader and executor, fed with migrations read from git.

Nothing here re-implements Django's graph rules: `MigrationLoader.build_graph` builds the
graph (dependencies, `__first__`/`__latest__`, `run_before`, squash replacement) and
`MigrationExecutor.migration_plan` orders the plan. Only the two places where Django reads
the outside world are replaced: `load_disk` (imports the project's modules) gets stub
`Migration` objects built from the files' syntax trees, and the applied set (read from the
`django_migrations` table) is given in memory.
"""
import os

import django
from django.conf import settings


def setup():
    """Minimal in-process settings: no installed apps, no database."""
    if not settings.configured:
        settings.configure(INSTALLED_APPS=[], DATABASES={}, USE_TZ=True)
        django.setup()


setup()

from django.db.migrations.exceptions import CircularDependencyError, NodeNotFoundError  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402  (needs settings)
from django.db.migrations.loader import MigrationLoader  # noqa: E402
from django.db.migrations.migration import Migration, swappable_dependency  # noqa: E402


# What build_graph raises when Django itself would refuse this graph with this applied set
# (check_key raises ValueError for a dependency on an app without migrations).
GRAPH_REFUSALS = (NodeNotFoundError, CircularDependencyError, ValueError)


def stub_migration(app_label, name, dependencies, replaces, run_before, initial):
    """A Migration with the graph attributes of the file and no operations."""
    cls = type("Migration", (Migration,), {
        "dependencies": list(dependencies),
        "replaces": list(replaces),
        "run_before": list(run_before),
        "initial": initial,
        "operations": [],
    })
    return cls(name, app_label)


def user_model_dependency(user_model):
    """What `swappable_dependency(settings.AUTH_USER_MODEL)` evaluates to under these settings."""
    return tuple(swappable_dependency(user_model))


class GitMigrationLoader(MigrationLoader):
    """MigrationLoader whose disk is a dict of stub migrations and whose database is a set of keys."""

    def __init__(self, migrations, app_labels, external_apps, applied=()):
        self._stubs = dict(migrations)
        self._app_labels = set(app_labels)
        self._external_apps = set(external_apps) - self._app_labels
        self._seed = {tuple(key) for key in applied}
        super().__init__(connection=None, load=True)

    def load_disk(self):
        self.disk_migrations = dict(self._stubs)
        self.migrated_apps = set(self._app_labels)
        # Apps outside the repository (django.contrib.*, third-party packages) are not on our
        # disk: for Django's check_key they are apps without migrations, so a `__first__` or
        # `__latest__` dependency on them is dropped, as for any unmigrated app.
        self.unmigrated_apps = set(self._external_apps)

    # build_graph sets `applied_migrations = {}` when there is no connection, where it would
    # read the django_migrations table; the setter puts the given applied set there instead.
    @property
    def applied_migrations(self):
        return self._applied

    @applied_migrations.setter
    def applied_migrations(self, value):
        if value is None:
            self._applied = None
        else:
            self._applied = {key: None for key in self._seed}
            self._applied.update(value)


def executor_for(loader):
    """A MigrationExecutor without a connection: only its planning (which reads the loader) is used."""
    executor = MigrationExecutor.__new__(MigrationExecutor)
    executor.loader = loader
    executor.progress_callback = None
    return executor


def recorded_after_full_migrate(loader):
    """The rows django_migrations holds after `migrate` brought an empty database to this graph."""
    plan = executor_for(loader).migration_plan(loader.graph.leaf_nodes(), clean_start=True)
    recorded = set()
    for migration, _backwards in plan:
        # As MigrationExecutor.record_migration: a squash records the migrations it replaces.
        if migration.replaces:
            recorded.update(tuple(key) for key in migration.replaces)
        else:
            recorded.add((migration.app_label, migration.name))
    # As MigrationExecutor.check_replacements, run at the end of every migrate.
    for key, migration in loader.replacements.items():
        if all(tuple(m) in recorded for m in migration.replaces):
            recorded.add(key)
    return recorded


def inconsistent_history(loader, applied):
    """As MigrationLoader.check_consistent_history, over an in-memory applied set: the
    (migration, missing parent) pairs that make `migrate` stop with InconsistentMigrationHistory."""
    problems = []
    for key in sorted(applied):
        if key not in loader.graph.nodes:
            continue
        for parent in sorted(loader.graph.node_map[key].parents):
            if parent.key in applied:
                continue
            replacement = loader.replacements.get(parent.key)
            if replacement is not None and all(tuple(m) in applied for m in replacement.replaces):
                continue
            problems.append((key, parent.key))
    return problems


def migrate_plan(loader):
    """The forwards plan of `manage.py migrate` (no app given): its targets are the graph's leaves,
    so the plan never goes backwards (a leaf has no child in its app to unapply)."""
    plan = executor_for(loader).migration_plan(loader.graph.leaf_nodes())
    assert not any(backwards for _m, backwards in plan)
    return [(m.app_label, m.name) for m, _backwards in plan]


def contrib_migration_names(label):
    """Names of the migrations the installed Django ships for its contrib app `label` (read from
    the file names, not imported), or None when Django has no such app with migrations."""
    import django.contrib
    folder = os.path.join(os.path.dirname(django.contrib.__file__), label, "migrations")
    if not os.path.isfile(os.path.join(folder, "__init__.py")):
        return None
    return sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".py") and f[0] not in "_~")


def squash_statuses(loader):
    """For each replacing migration: 'applied', 'to apply', or 'removed' (partly applied:
    Django drops the squash and runs the replaced migrations still missing)."""
    statuses = {}
    for key in sorted(loader.replacements):
        if key not in loader.graph.nodes:
            statuses[key] = "removed"
        elif key in loader.applied_migrations:
            statuses[key] = "applied"
        else:
            statuses[key] = "to apply"
    return statuses
