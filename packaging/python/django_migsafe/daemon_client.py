"""The cheap client of migsafe's resident process (docs/decisions/0008-resident-process.md).

``try_run(argv, jar_path)`` hands ``migsafe ARGV`` to the repository's resident process when one
serves it, writes back its standard output and error, and returns its exit code; it returns None
whenever anything is off (no process, another build, a refusal, a timeout, a malformed answer),
having written nothing, so that the caller runs migsafe itself.

As a script, ``python3 -S daemon_client.py [--fallback COMMAND] JAR ARGS...`` does the same and,
when it gets None, replaces itself with COMMAND ARGS... (else $MIGSAFE_DAEMON_FALLBACK, else
``java -jar JAR ARGS...``), with MIGSAFE_DAEMON_CLIENT=fallback in its environment so that a
launcher does not call the client again.

Standard library only, and cheap to start under ``python3 -S``: it never forks (not even git:
the repository is found by walking up from the working directory) and imports no module that
is not built into the interpreter, so that the whole round trip stays well under 0.15 s.
"""

from __future__ import annotations

import os
import sys

try:  # built-in modules: importing `socket` and `hashlib` would cost more than the request
    import _socket
except ImportError:  # pragma: no cover - every CPython on a POSIX system has it
    _socket = None

MAGIC = b"MGSD"
VERSION = 1
HASH_DIGITS = 24
#: How long to wait for the whole answer (the process serves one request at a time).
TIMEOUT_SECONDS = 30.0
#: Variables that make a run print or behave differently in a JVM of its own.
_JVM_OPTION_VARIABLES = ("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")


def _sha256_hex(data: bytes) -> str:
    try:
        import _sha2  # Python 3.12+

        return _sha2.sha256(data).hexdigest()
    except ImportError:
        pass
    try:
        import _sha256  # Python 3.11 and before

        return _sha256.sha256(data).hexdigest()
    except ImportError:
        import hashlib

        return hashlib.sha256(data).hexdigest()


def identity(jar_path: str) -> str | None:
    """The build identity of a jar (size and modification time) or classes folder (its real path)."""
    try:
        st = os.stat(jar_path)
    except OSError:
        return None
    if (st.st_mode & 0o170000) == 0o040000:
        return "classes:" + os.path.realpath(jar_path)
    return "jar:%d:%d" % (st.st_size, st.st_mtime_ns // 1000000)


def _read_gitdir_file(path: str) -> str | None:
    """The git dir that a `.git` file (a linked work tree, a submodule) points to."""
    try:
        with open(path, "rb") as f:
            line = f.read(4096).decode("utf-8", "surrogateescape").strip()
    except OSError:
        return None
    if not line.startswith("gitdir:"):
        return None
    target = line[len("gitdir:"):].strip()
    return os.path.join(os.path.dirname(path), target)


def _common_dir(git_dir: str, env) -> str:
    common = env.get("GIT_COMMON_DIR")
    if common:
        return common
    try:
        with open(os.path.join(git_dir, "commondir"), "rb") as f:
            rel = f.read(4096).decode("utf-8", "surrogateescape").strip()
        if rel:
            return os.path.join(git_dir, rel)
    except OSError:
        pass
    return git_dir


def find_common_dir(cwd: str, env) -> str | None:
    """The repository's common git dir (real path), found as git finds it but without running git."""
    git_dir = env.get("GIT_DIR")
    if git_dir:
        git_dir = os.path.join(cwd, git_dir)
    else:
        here = cwd
        while True:
            candidate = os.path.join(here, ".git")
            if os.path.isdir(candidate):
                git_dir = candidate
                break
            if os.path.isfile(candidate):
                git_dir = _read_gitdir_file(candidate)
                break
            parent = os.path.dirname(here)
            if parent == here:
                return None
            here = parent
        if git_dir is None:
            return None
    common = os.path.join(cwd, _common_dir(git_dir, env))
    return os.path.realpath(common) if os.path.isdir(common) else None


def socket_dir(env) -> str:
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and runtime.startswith("/"):
        return os.path.join(runtime, "migsafe")
    tmp = env.get("TMPDIR")
    base = tmp if tmp and tmp.startswith("/") else "/tmp"
    return os.path.join(base, "migsafe-%d" % os.geteuid())


def _private(path: str, kind: int) -> bool:
    """Whether path is of this kind (not a link), the user's, and closed to group and others."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (st.st_mode & 0o170000) == kind and st.st_uid == os.geteuid() and (
        kind != 0o040000 or st.st_mode & 0o077 == 0
    )


def socket_path(cwd: str, env) -> str | None:
    """The repository's socket, when its folder and the socket pass the checks; else None."""
    common = find_common_dir(cwd, env)
    if common is None:
        return None
    folder = socket_dir(env)
    if not _private(folder, 0o040000):
        return None
    digest = _sha256_hex(common.encode("utf-8", "surrogateescape"))[:HASH_DIGITS]
    path = os.path.join(folder, digest + ".sock")
    return path if _private(path, 0o140000) else None


def _string(value: str) -> bytes:
    data = value.encode("utf-8")  # a value that is not UTF-8 raises: no daemon for it
    return len(data).to_bytes(4, "big") + data


def request(ident: str, cwd: str, argv, env) -> bytes:
    parts = [MAGIC, bytes((VERSION, ord("R"))), _string(ident), _string(cwd), len(argv).to_bytes(4, "big")]
    parts.extend(_string(a) for a in argv)
    parts.append(len(env).to_bytes(4, "big"))
    parts.extend(_string(k + "=" + v) for k, v in env.items())
    body = b"".join(parts)
    return len(body).to_bytes(4, "big") + body


def parse_answer(answer: bytes):
    """[(type, payload)...] ending with the exit code, and the code; None if malformed or refused."""
    frames = []
    i, n = 0, len(answer)
    while i + 5 <= n:
        kind = answer[i]
        length = int.from_bytes(answer[i + 1:i + 5], "big")
        start, i = i + 5, i + 5 + length
        if i > n:
            return None
        if kind == 0x58:  # 'X': the exit code
            if length != 4:
                return None
            return frames, int.from_bytes(answer[start:i], "big", signed=True)
        if kind not in (0x4F, 0x45):  # only 'O' and 'E' come before it; 'N' is a refusal
            return None
        frames.append((kind, answer[start:i]))
    return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def initial_environment():
    """The environment this process was started with (Linux), else os.environ.

    Python itself may change os.environ at start-up (PEP 538 sets LC_CTYPE when the locale is C):
    what the resident process must compare with its own is what the caller gave.
    """
    try:
        with open("/proc/self/environ", "rb") as f:
            data = f.read()
    except OSError:
        return dict(os.environ)
    env = {}
    for entry in data.split(b"\0"):
        name, sep, value = entry.partition(b"=")
        if sep and name:
            env[name.decode("utf-8")] = value.decode("utf-8")  # not UTF-8: UnicodeError, no daemon
    return env


def try_run(argv, jar_path, env=None) -> int | None:
    """Runs `migsafe ARGV` in the resident process; the exit code, or None to run migsafe directly.

    env is the environment the run would have (default: os.environ); a caller that falls back
    must run migsafe with that same environment.
    """
    try:
        env = os.environ if env is None else env
        if _socket is None or env.get("MIGSAFE_DAEMON") == "off" or not argv or argv[0] != "analyze":
            return None
        if any(env.get(name) for name in _JVM_OPTION_VARIABLES):
            return None
        ident = identity(jar_path)
        if ident is None:
            return None
        cwd = os.getcwd()
        path = socket_path(cwd, env)
        if path is None:
            return None
        environment = {k: v for k, v in env.items() if k != "MIGSAFE_DAEMON_CLIENT"}
        message = request(ident, cwd, list(argv), environment)
        sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            sock.settimeout(TIMEOUT_SECONDS)
            sock.connect(path)
            sock.sendall(message)
            chunks = []
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            sock.close()
        parsed = parse_answer(b"".join(chunks))
        if parsed is None:
            return None
        frames, code = parsed
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        return _write_answer(frames, code)
    except (OSError, ValueError, UnicodeError, OverflowError):
        return None


def _write_answer(frames, code) -> int:
    """Writes the answer's output; standard output refusing it is the run's error, as in a JVM of
    its own (exit 2 and one sentence at the end), not a reason to run the analysis again."""
    refused = None
    for kind, payload in frames:
        fd = 1 if kind == 0x4F else 2
        if fd == 1 and refused is not None:
            continue
        try:
            _write_all(fd, payload)
        except OSError as e:
            if fd == 1:
                refused = e.strerror or str(e)
            # standard error refusing: there is nowhere to say so
    if refused is None:
        return code
    try:
        _write_all(2, ("migsafe: cannot write to standard output: %s\n" % refused).encode("utf-8", "replace"))
    except OSError:
        pass
    return 2


def _fallback(command, jar, args, env):
    env = dict(env)
    env["MIGSAFE_DAEMON_CLIENT"] = "fallback"
    if command:
        argv = [command] + args
    else:
        home = env.get("JAVA_HOME")
        java = os.path.join(home, "bin", "java") if home else "java"
        argv = [java, "-jar", jar] + args
    try:
        os.execvpe(argv[0], argv, env)
    except OSError as e:
        sys.stderr.write("migsafe: cannot run %s: %s\n" % (argv[0], e.strerror))
        return 2


def main(args) -> int:
    command = os.environ.get("MIGSAFE_DAEMON_FALLBACK")
    if len(args) >= 2 and args[0] == "--fallback":
        command, args = args[1], args[2:]
    if not args:
        sys.stderr.write("usage: daemon_client.py [--fallback COMMAND] JAR ARGS...\n")
        return 2
    jar, rest = args[0], args[1:]
    try:
        env = initial_environment()
    except UnicodeError:
        env = None
    if env is not None:
        env.pop("MIGSAFE_DAEMON_CLIENT", None)  # the launcher's mark that it called the client
        code = try_run(rest, jar, env)
        if code is not None:
            return code
    return _fallback(command, jar, rest, env if env is not None else os.environ)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
