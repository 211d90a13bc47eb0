"""Reads what Django's migration loader needs from a migration file's source, with `ast` only.

The file is never imported or executed: only the class attributes of the module-level
`Migration` class that decide the graph are read (`dependencies`, `replaces`, `run_before`,
`initial`). Values must be literals, module-level names bound to literals, `+` of lists, or
`swappable_dependency(...)`; anything else is an error naming the line, because a reference
that guessed would no longer be a reference.
"""
import ast

ATTRIBUTES = ("dependencies", "replaces", "run_before", "initial")

# Marks a swappable dependency on the user model; the caller maps it to an app label
# (settings.AUTH_USER_MODEL of the project, or Django's default auth.User).
USER_MODEL = "settings.AUTH_USER_MODEL"


class MigrationSourceError(Exception):
    """The file is not a migration this reader can take apart without running it."""


class Swappable:
    """A `swappable_dependency(value)`: Django turns it into (value's app label, '__first__')."""

    def __init__(self, setting_value):
        self.setting_value = setting_value  # a model string such as 'users.User', or USER_MODEL

    def __eq__(self, other):
        return isinstance(other, Swappable) and other.setting_value == self.setting_value

    def __repr__(self):
        return "Swappable(%r)" % (self.setting_value,)


def read_migration(source, path="<migration>"):
    """Return {'dependencies': [...], 'replaces': [...], 'run_before': [...], 'initial': bool|None}.

    Dependencies may hold Swappable entries; every other entry is an (app, name) tuple.
    """
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as e:
        raise MigrationSourceError("%s:%s: not valid Python 3 (%s)" % (path, e.lineno, e.msg)) from None
    module_names = _module_literals(tree)
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Migration"]
    if not classes:
        # Django's loader raises BadMigrationError for such a module.
        raise MigrationSourceError("%s: no module-level class Migration" % path)
    values = {"dependencies": [], "replaces": [], "run_before": [], "initial": None}
    # The last definition wins, as it would when Python runs the module.
    for statement in classes[-1].body:
        for name, value_node in _assignments(statement):
            if name in ATTRIBUTES:
                values[name] = _Evaluator(path, module_names).value(value_node)
    for name in ("dependencies", "replaces", "run_before"):
        values[name] = [_dependency(entry, path, name) for entry in _as_list(values[name], path, name)]
    return values


def _assignments(statement):
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            if isinstance(target, ast.Name):
                yield target.id, statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        if isinstance(statement.target, ast.Name):
            yield statement.target.id, statement.value


def _module_literals(tree):
    """Module-level names bound once to a literal (some files write `dependencies = DEPS`)."""
    found = {}
    for statement in tree.body:
        for name, node in _assignments(statement):
            found.setdefault(name, []).append(node)
    return {name: nodes[0] for name, nodes in found.items() if len(nodes) == 1}


class _Evaluator:
    def __init__(self, path, module_names):
        self.path = path
        self.module_names = module_names
        self.resolving = set()

    def value(self, node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.value(e) for e in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.value(node.left), self.value(node.right)
            if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
                return list(left) + list(right)
        if isinstance(node, ast.Call) and _callee(node) == "swappable_dependency" and len(node.args) == 1:
            return Swappable(self._setting(node.args[0]))
        if isinstance(node, ast.Name) and node.id in self.module_names and node.id not in self.resolving:
            self.resolving.add(node.id)
            try:
                return self.value(self.module_names[node.id])
            finally:
                self.resolving.discard(node.id)
        raise MigrationSourceError("%s:%s: cannot read %s without running the file"
                                   % (self.path, node.lineno, ast.unparse(node)))

    def _setting(self, node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        # settings.AUTH_USER_MODEL, or getattr(settings, 'AUTH_USER_MODEL', ...)
        if "AUTH_USER_MODEL" in ast.unparse(node):
            return USER_MODEL
        raise MigrationSourceError("%s:%s: swappable dependency on %s, which only the project's settings know"
                                   % (self.path, node.lineno, ast.unparse(node)))


def _callee(call):
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _as_list(value, path, name):
    if isinstance(value, (list, tuple)):
        return list(value)
    raise MigrationSourceError("%s: %s is %r, not a list" % (path, name, value))


def _dependency(entry, path, name):
    if isinstance(entry, Swappable):
        if name != "dependencies":
            raise MigrationSourceError("%s: swappable_dependency in %s" % (path, name))
        return entry
    if (isinstance(entry, (list, tuple)) and len(entry) == 2
            and all(isinstance(part, str) for part in entry)):
        return (entry[0], entry[1])
    raise MigrationSourceError("%s: %s holds %r, not an (app, name) pair" % (path, name, entry))
