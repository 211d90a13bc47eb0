"""What the packaging tests share: the wheel (built once per run), virtual environments, a PATH
without Java, and git repositories made from fixtures/.

The wheel is built from MIGSAFE_JAR (Maven's target/migsafe.jar by default; PackagingIT passes
it) with packaging/wheel/build.py, into a temp dir that lives as long as the test run.
"""
import atexit
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAVA_TOOLS = {"java", "javac", "jar", "jlink", "jshell", "jdeps", "keytool", "javadoc", "jpackage", "mvn", "jrunscript"}

_scratch = tempfile.mkdtemp(prefix="migsafe-packaging-test.")
atexit.register(shutil.rmtree, _scratch, True)
_wheel = []


def scratch(name):
    """A new folder under this run's temp dir."""
    return tempfile.mkdtemp(prefix=name + ".", dir=_scratch)


def jar():
    path = os.environ.get("MIGSAFE_JAR") or os.path.join(ROOT, "target", "migsafe.jar")
    if not os.path.isfile(path):
        raise AssertionError("no jar at %s: run `mvn -B verify` (or `mvn package`) first" % path)
    return path


def wheel():
    """The path of the wheel built from jar() for this run."""
    if not _wheel:
        out = scratch("dist")
        subprocess.run([sys.executable, os.path.join(ROOT, "packaging", "wheel", "build.py"), "--jar", jar(),
                        "--out", out], check=True, stdout=subprocess.DEVNULL)
        _wheel.extend(glob.glob(os.path.join(out, "*.whl")))
    return _wheel[0]


def path_without_java(*first):
    """A PATH whose folders hold everything the current PATH has but Java and Maven: links in a
    folder of its own, so that /usr/bin's other tools (git, sh) stay."""
    folder = os.path.join(_scratch, "bin-without-java")
    if not os.path.isdir(folder):
        os.mkdir(folder)
        for directory in os.environ.get("PATH", "").split(os.pathsep):
            if not os.path.isdir(directory):
                continue
            for name in os.listdir(directory):
                target = os.path.join(directory, name)
                link = os.path.join(folder, name)
                if name in JAVA_TOOLS or os.path.lexists(link) or not os.access(target, os.X_OK):
                    continue
                os.symlink(target, link)
    return os.pathsep.join(list(first) + [folder])


def environment_without_java(*first):
    env = dict(os.environ, PATH=path_without_java(*first))
    for name in ("JAVA_HOME", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "MIGSAFE_JAVA_OPTS"):
        env.pop(name, None)
    return env


def install(wheel_path):
    """A fresh virtual environment with the wheel installed by pip, offline; its bin folder."""
    target = scratch("venv")
    venv.EnvBuilder(with_pip=True).create(target)
    bin_dir = os.path.join(target, "Scripts" if os.name == "nt" else "bin")
    subprocess.run([os.path.join(bin_dir, "python"), "-m", "pip", "install", "-q", "--no-index",
                    "--disable-pip-version-check", wheel_path], check=True)
    return bin_dir


def git(repo, *args, env=None):
    return subprocess.run(["git", "-C", repo, "-c", "user.name=test", "-c", "user.email=test@example.com",
                           "-c", "commit.gpgsign=false"] + list(args),
                          check=True, capture_output=True, text=True, env=env).stdout


def shop_repository():
    """The shop project of fixtures/ committed on main; nothing staged."""
    repo = scratch("repo")
    shutil.copytree(os.path.join(ROOT, "fixtures", "shop"), os.path.join(repo, "shop"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "shop")
    return repo


def stage_unsafe_migration(repo):
    """Stages fixtures/report's 0008 (a removed, a renamed and a shrunk column): unsafe."""
    name = "shop/orders/migrations/0008_order_review_changes.py"
    shutil.copy(os.path.join(ROOT, "fixtures", "report", os.path.basename(name)), os.path.join(repo, name))
    git(repo, "add", name)
    return name


def reference_run(repo, *args):
    """migsafe run on the JDK the tests run with: what the wheel must print too."""
    java = shutil.which("java")
    if java is None:
        raise AssertionError("the reference run needs java on PATH")
    return subprocess.run([java, "-cp", jar(), "dev.migsafe.cli.Main"] + list(args), cwd=repo,
                          capture_output=True, text=True)
