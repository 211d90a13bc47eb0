#!/usr/bin/env python3
"""CPython reference extractor for Django migration files (stdlib only, Python 3.13).

Usage: python3.13 reference.py ROOT [ROOT ...] > reference.jsonl

Walks each ROOT recursively and, for every ``*.py`` file under a directory named
``migrations`` (file names starting with ``_`` or ``~`` are skipped, so no
``__init__.py``), prints one JSON line:

  {"path": <relative to ROOT, '/'-separated>,
   "status": "ok" | "error" | "not-a-migration",
   "error": {"line", "column", "message"}                    # only for "error"
   "migration": {"dependencies", "operations",
                 "operations_resolved", "dependencies_resolved"}}  # only for "ok"

This is the ground truth that the Java parser (migsafe) is checked against with
compare.py, so it is deliberately conservative: whenever a list cannot be known
statically *for certain*, its ``*_resolved`` flag is false and compare.py skips it.
"""
import ast
import io
import json
import os
import re
import sys
import tokenize
import warnings

# CPython's own line terminators. str.splitlines() would also split on \f, \v,
# \x1c, \u2028 ..., which the tokenizer does NOT treat as line breaks.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# List methods that change a list in place after its literal was written.
_MUTATORS = {"append", "extend", "insert", "remove", "pop", "clear", "reverse", "sort"}

# Positional parameters that carry nested operation lists, per operation type.
_POSITIONAL_NESTED = {
    "SeparateDatabaseAndState": {0: "database_operations", 1: "state_operations"},
    "RunSQL": {2: "state_operations"},
}


def iter_migration_files(root):
    """Yield (path, '/'-separated path relative to root) of candidate files, sorted for stable output."""
    root = os.path.abspath(root)
    base = os.path.basename(root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, root)
        parts = [] if rel_dir == "." else rel_dir.split(os.sep)
        # The root's own name counts (so `reference.py app/migrations` works);
        # directories above the root do not (they are machine-specific).
        if "migrations" not in [base] + parts:
            continue
        for name in sorted(filenames):
            if name.endswith(".py") and not name.startswith(("_", "~")):
                yield os.path.join(dirpath, name), "/".join(parts + [name])


# ------------------------------------------------------------------ AST helpers

def last_name(node):
    """`migrations.AddField` -> 'AddField', `AddField` -> 'AddField', anything else -> None."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def dotted(node):
    """`a.b.c` -> 'a.b.c' for Name/Attribute chains, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted(node.value)
        return head and head + "." + node.attr
    return None


def is_str(node):
    # Implicitly concatenated literals ("a" "b") are already a single Constant here.
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


class Columns:
    """CPython's col_offset counts UTF-8 *bytes*; we report 1-based *characters* (code points)."""

    def __init__(self, source_bytes):
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source_bytes).readline)
        # 'utf-8-sig' drops a BOM, as the tokenizer does before counting columns.
        self.lines = _LINE_BREAK.split(source_bytes.decode(encoding))

    def __call__(self, node):
        line = self.lines[node.lineno - 1].encode("utf-8")
        return len(line[: node.col_offset].decode("utf-8", "replace")) + 1


class Bindings(ast.NodeVisitor):
    """Counts how often each name is bound in one scope (a module or a class body).

    Nested function/class/lambda/comprehension bodies are separate scopes and are not
    entered, except that `global X` inside them counts as a binding of module-level X.
    """

    def __init__(self, stmts):
        self.counts = {}
        for st in stmts:
            self.visit(st)

    def bump(self, name):
        self.counts[name] = self.counts.get(name, 0) + 1

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.bump(node.id)

    def visit_Import(self, node):
        for alias in node.names:
            self.bump((alias.asname or alias.name).split(".")[0])

    visit_ImportFrom = visit_Import

    def _new_scope(self, node):
        if hasattr(node, "name"):  # `def x` / `class x` bind x
            self.bump(node.name)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Global):
                for name in inner.names:
                    self.bump(name)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = _new_scope
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _new_scope

    def _named_pattern(self, node, name):
        if name:
            self.bump(name)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node):
        self._named_pattern(node, node.name)

    def visit_MatchAs(self, node):
        self._named_pattern(node, node.name)

    def visit_MatchStar(self, node):
        self._named_pattern(node, node.name)

    def visit_MatchMapping(self, node):
        self._named_pattern(node, node.rest)


def mutated(tree):
    """Dotted names changed in place anywhere in the file: `X.append(..)`, `X[i] = ..`,
    `Migration.operations = ..`, `Migration.operations += ..`."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS:
            names.add(dotted(node.func.value))
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(dotted(node.value))
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(dotted(node))
    names.discard(None)
    return names


# ------------------------------------------------------------------ extraction

class Context:
    """Everything about one parsed file that resolution needs."""

    def __init__(self, tree, cls, columns):
        self.cls = cls
        self.col = columns
        self.mutated = mutated(tree)
        self.module_counts = Bindings(tree.body).counts
        self.class_counts = Bindings(cls.body).counts
        # Plain top-level `NAME = <expr>`; only these can be resolved.
        self.module_values = {}
        for st in tree.body:
            if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
                self.module_values[st.targets[0].id] = st.value
            elif isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and st.value is not None:
                self.module_values[st.target.id] = st.value

    def class_attr(self, name):
        """(value, clean) for the class attribute `name`.

        clean is False when the attribute is bound more than once or not by a plain
        assignment directly in the class body (e.g. inside an `if`), or mutated later.
        A missing attribute is clean only with a plain `migrations.Migration` base,
        whose default is [] (a custom base class may supply it).
        """
        value = None
        for st in self.cls.body:
            if isinstance(st, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in st.targets):
                value = st.value
            elif isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name) and st.target.id == name:
                value = st.value
        count = self.class_counts.get(name, 0)
        touched = name in self.mutated or "Migration." + name in self.mutated
        if value is None:
            plain_base = len(self.cls.bases) == 1 and last_name(self.cls.bases[0]) == "Migration"
            return None, count == 0 and plain_base and not touched
        return value, count == 1 and not touched

    def resolve_list(self, node, seen=()):
        """Elements of a literal list/tuple, a once-bound module-level name, or `A + B`.
        Returns (elements, resolved)."""
        if isinstance(node, (ast.List, ast.Tuple)):
            return list(node.elts), not any(isinstance(e, ast.Starred) for e in node.elts)
        if isinstance(node, ast.Name) and node.id not in seen and node.id in self.module_values \
                and self.module_counts.get(node.id) == 1 and node.id not in self.mutated \
                and node.id not in self.class_counts:  # a class-body name would shadow it
            return self.resolve_list(self.module_values[node.id], seen + (node.id,))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, left_ok = self.resolve_list(node.left, seen)
            right, right_ok = self.resolve_list(node.right, seen)
            return left + right, left_ok and right_ok
        return [], False


def dependency(node):
    if isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(map(is_str, node.elts)):
        app, name = node.elts[0].value, node.elts[1].value
        kind = {"__first__": "first", "__latest__": "latest"}.get(name, "literal")
        return {"app": app, "name": name, "kind": kind}
    # migrations.swappable_dependency(settings.AUTH_USER_MODEL)
    if isinstance(node, ast.Call) and last_name(node.func) == "swappable_dependency" \
            and len(node.args) == 1 and not node.keywords:
        arg = node.args[0]
        if isinstance(arg, ast.Attribute) and last_name(arg.value) == "settings":
            return {"app": None, "name": "__first__", "kind": "swappable", "setting": arg.attr}
    return {"kind": "unresolved"}


def dependencies(ctx):
    value, clean = ctx.class_attr("dependencies")
    if value is None:
        return [], clean
    if not isinstance(value, (ast.List, ast.Tuple)):  # names, concatenations, comprehensions ...
        return [], False
    starred = any(isinstance(e, ast.Starred) for e in value.elts)
    return [dependency(e) for e in value.elts], clean and not starred


def operation(node, ctx):
    if not isinstance(node, ast.Call):
        return {"type": None, "line": node.lineno, "column": ctx.col(node)}
    op_type = last_name(node.func)
    op = {"type": op_type, "line": node.lineno, "column": ctx.col(node)}
    nested = {kw.arg: kw.value for kw in node.keywords if kw.arg in ("database_operations", "state_operations")}
    for index, key in _POSITIONAL_NESTED.get(op_type, {}).items():
        if index < len(node.args) and key not in nested:
            nested[key] = node.args[index]
    for key in ("database_operations", "state_operations"):
        if isinstance(nested.get(key), (ast.List, ast.Tuple)):  # literal lists only, by design
            op[key] = [operation(e, ctx) for e in nested[key].elts]
    return op


def operations(ctx):
    value, clean = ctx.class_attr("operations")
    if value is None:
        return [], clean
    elements, resolved = ctx.resolve_list(value)
    return [operation(e, ctx) for e in elements], clean and resolved


def analyse(source_bytes):
    try:
        # Bytes, not str: CPython then applies the PEP 263 coding cookie and the BOM itself.
        tree = ast.parse(source_bytes)
    except SyntaxError as e:  # includes IndentationError/TabError
        # Since 3.10, offset is already a 1-based character column. Errors with no real
        # position (e.g. "unknown encoding") come as line 0 / offset -1: report null.
        line = e.lineno if e.lineno and e.lineno > 0 else None
        column = e.offset if line and e.offset and e.offset > 0 else None
        return {"status": "error", "error": {"line": line, "column": column, "message": e.msg}}
    except ValueError as e:  # decoding trouble reported without a position
        return {"status": "error", "error": {"line": None, "column": None, "message": str(e)}}
    # The last top-level `class Migration` wins, as at import time.
    classes = [st for st in tree.body if isinstance(st, ast.ClassDef) and st.name == "Migration"]
    if not classes:
        return {"status": "not-a-migration"}
    ctx = Context(tree, classes[-1], Columns(source_bytes))
    deps, deps_ok = dependencies(ctx)
    ops, ops_ok = operations(ctx)
    return {"status": "ok", "migration": {
        "dependencies": deps, "operations": ops,
        "operations_resolved": ops_ok, "dependencies_resolved": deps_ok}}


def main(roots):
    if not roots:
        sys.exit("usage: reference.py ROOT [ROOT ...]")
    for root in roots:
        for path, rel in iter_migration_files(root):
            with open(path, "rb") as f:
                data = f.read()
            try:
                record = {"path": rel, **analyse(data)}
            except RecursionError:  # pathologically deep nesting
                record = {"path": rel, "status": "error",
                          "error": {"line": None, "column": None, "message": "RecursionError"}}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    # Invalid escape sequences etc. raise SyntaxWarning during parsing; they are not errors.
    warnings.simplefilter("ignore")
    main(sys.argv[1:])
