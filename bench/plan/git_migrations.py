"""The migration files of one commit, read from git objects (no checkout, nothing imported).

Which files count follows Django's loader: the modules directly inside an app's `migrations`
package (so `migrations/__init__.py` must exist: a folder without it is a namespace package,
which Django treats as an app without migrations), `.py` files whose name does not start with
`_` or `~`. The app label is the name of the folder holding `migrations/`, unless a
`--label DIR=LABEL` says otherwise (an AppConfig with its own `label`).
"""
import ast
import fnmatch
import os
import posixpath
import subprocess


class GitError(Exception):
    pass


class Git:
    def __init__(self, repo):
        # A work tree (its .git may be a file, in a linked work tree) or a bare/mirror git directory.
        self.location = ["-C", repo] if os.path.exists(os.path.join(repo, ".git")) else ["--git-dir", repo]

    def run(self, *args, data=None):
        result = subprocess.run(["git", *self.location, *args], input=data,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if result.returncode != 0:
            raise GitError("git %s: %s" % (" ".join(args), result.stderr.decode(errors="replace").strip()))
        return result.stdout

    def commit(self, rev):
        return self.run("rev-parse", "--verify", "--quiet", rev + "^{commit}").decode().strip()

    def files(self, commit):
        """{path: blob id} of every file of the commit."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", commit)
        files = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, path = entry.split(b"\t", 1)
            mode, kind, blob = meta.split()
            if kind == b"blob":
                files[path.decode("utf-8", errors="surrogateescape")] = blob.decode()
        return files

    def read_blobs(self, blob_ids):
        """{blob id: text}; one `git cat-file --batch` for all of them."""
        unique = sorted(set(blob_ids))
        if not unique:
            return {}
        out = self.run("cat-file", "--batch", data=("\n".join(unique) + "\n").encode())
        texts, pos = {}, 0
        for blob in unique:
            end = out.index(b"\n", pos)
            header = out[pos:end].decode().split()
            pos = end + 1
            if len(header) < 3 or header[1] == "missing":
                raise GitError("blob %s is missing from the repository (a partial or shallow copy?)" % blob)
            size = int(header[2])
            texts[blob] = out[pos:pos + size].decode("utf-8", errors="replace")
            pos += size + 1
        return texts


class AppFolders:
    """Which app folders are read, and the label each one gets."""

    def __init__(self, include_globs=("*",), exclude_globs=(), labels=None):
        self.include_globs = list(include_globs) or ["*"]
        self.exclude_globs = list(exclude_globs)
        self.labels = dict(labels or {})

    def wanted(self, app_dir):
        return self._matches(app_dir, self.include_globs) and not self._matches(app_dir, self.exclude_globs)

    def wanted_path(self, path):
        """A file outside the app folders (a settings module) is read unless excluded."""
        return not self._matches(path, self.exclude_globs)

    @staticmethod
    def _matches(path, globs):
        # Also with a trailing slash, so that `*/tests/*` takes the folder `saleor/tests` itself.
        return any(fnmatch.fnmatchcase(path, g) or fnmatch.fnmatchcase(path + "/", g) for g in globs)

    def label(self, app_dir):
        return self.labels.get(app_dir, posixpath.basename(app_dir))


def migration_files(files, folders, warnings):
    """({(app_label, name): path}, labels) for the migration modules among `files` ({path: blob}).

    `labels` holds every app with a migrations package, also one with no migration in it yet
    (Django calls such an app migrated, and a dependency on its `__first__` an error)."""
    packages = {}
    for path in files:
        parent, name = posixpath.split(path)
        if posixpath.basename(parent) != "migrations" or not name.endswith(".py"):
            continue
        app_dir = posixpath.dirname(parent)
        if not app_dir or not folders.wanted(app_dir):
            continue
        packages.setdefault(app_dir, []).append(name)
    found, owner = {}, {}
    for app_dir in sorted(packages):
        names = packages[app_dir]
        if "__init__.py" not in names:
            warnings.append("%s/migrations has no __init__.py: Django sees no migrations there" % app_dir)
            continue
        label = folders.label(app_dir)
        if label in owner:
            raise GitError("app label %r is both %s and %s: exclude one (--exclude) or relabel it (--label DIR=LABEL)"
                           % (label, owner[label], app_dir))
        owner[label] = app_dir
        for name in sorted(names):
            if name[0] in "_~":
                continue
            found[(label, name[:-3])] = "%s/migrations/%s" % (app_dir, name)
    return found, set(owner)


def settings_user_models(texts_by_path):
    """Distinct AUTH_USER_MODEL string values assigned at module level in settings files."""
    values = set()
    for path, text in texts_by_path.items():
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for statement in tree.body:
            if (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
                    and isinstance(statement.value.value, str)
                    and any(isinstance(t, ast.Name) and t.id == "AUTH_USER_MODEL" for t in statement.targets)):
                values.add(statement.value.value)
    return values


def is_settings_file(path):
    parent, name = posixpath.split(path)
    return name.endswith(".py") and (name.startswith("settings") or posixpath.basename(parent) == "settings")
