"""The `migsafe` console script: starts the bundled Java runtime on the bundled jar.

Kept to the standard library and cheap to import: a pre-commit hook pays for every line here on
each commit. The build (packaging/wheel/build.py) writes _build.py beside this file with what it
made: the jar's modification time that the class-data archive was written for, and the JVM flags
of that training run (an archive is only used under the flags it was made with).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _command():
    """How this migsafe is started again, for the git hooks that `migsafe hook install` writes."""
    script = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if script and os.path.basename(script).split(".")[0] == "migsafe" and os.path.isfile(script):
        return script
    return ""


def _archive(build):
    """The class-data archive's option, or nothing when it cannot be used as built.

    The JVM maps the archive only when the jar has the size and modification time it had when the
    archive was written, and installers (pip, uv) write files with the time of the install. So the
    jar's time is set back to the build's; where the installation is read-only and that fails, the
    run goes on without the archive: slower to start, same results.
    """
    if os.environ.get("MIGSAFE_CDS", "on") == "off":
        return []
    archive = os.path.join(HERE, build.ARCHIVE)
    jar = os.path.join(HERE, build.JAR)
    try:
        if int(os.stat(jar).st_mtime) != build.JAR_MTIME:
            os.utime(jar, (build.JAR_MTIME, build.JAR_MTIME))
        if not os.path.isfile(archive):
            return []
    except OSError:
        return []
    return ["-XX:SharedArchiveFile=" + archive]


def java_command(argv):
    """The full command line that runs migsafe with ARGV on the bundled runtime."""
    try:
        from django_migsafe import _build as build
    except ImportError:
        sys.stderr.write("migsafe: this django_migsafe has no runtime (it was not built by packaging/wheel/build.py); "
                         "install the django-migsafe wheel, or run bin/migsafe from a checkout\n")
        sys.exit(2)

    java = os.path.join(HERE, "runtime", "bin", "java.exe" if os.name == "nt" else "java")
    flags = os.environ.get("MIGSAFE_JAVA_OPTS")
    options = list(build.LOG_FLAGS) + (flags.split() if flags else list(build.JVM_FLAGS) + _archive(build))
    launcher = _command()
    if launcher:
        options.append("-Dmigsafe.launcher=" + launcher)
    return [java] + options + ["-cp", os.path.join(HERE, build.JAR), build.MAIN] + list(argv)


def main():
    argv = sys.argv[1:]
    command = java_command(argv)
    try:
        from django_migsafe import daemon_client
    except ImportError:
        daemon_client = None
    if daemon_client is not None:
        code = daemon_client.try_run(argv, command[command.index("-cp") + 1])
        if code is not None:
            sys.exit(code)
    if not os.path.isfile(command[0]):
        sys.stderr.write("migsafe: the bundled Java runtime is missing (%s); reinstall django-migsafe\n" % command[0])
        sys.exit(2)
    sys.stdout.flush()
    if os.name == "nt":
        # Windows has no exec: the child's exit code is passed on instead.
        import subprocess

        sys.exit(subprocess.call(command))
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
