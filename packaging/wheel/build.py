#!/usr/bin/env python3
"""Builds the django-migsafe wheel: migsafe's jar, a Java runtime made by jlink for it, a
class-data archive written at build time, and the `migsafe` console script.

    python3 packaging/wheel/build.py [--jar JAR] [--jdk DIR] [--plat-name TAG] [--out DIR]

Standard library only. The wheel is for the platform this runs on (the runtime is native code);
the release workflow runs it on each platform's own runner. See docs/packaging.md.
"""
import argparse
import base64
import glob
import hashlib
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAME = "django-migsafe"
PACKAGE = "django_migsafe"
MAIN = "dev.migsafe.cli.Main"
JAR = "migsafe.jar"
ARCHIVE = "migsafe.jsa"
# What jdeps lists for the jar, less what only code migsafe never reaches needs: java.desktop
# (Jackson's optional java.beans support), java.sql (Jackson's and JGit's optional java.sql
# types; it would bring java.xml, 11 MB) and java.security.jgss (JGit's Kerberos transport).
# jdk.charsets: the PEP 263 coding declarations of old migration files (cp1252, latin-1, ...).
MODULES = ["java.base", "java.management", "jdk.charsets"]
# The launcher's flags for a short command-line run (bin/migsafe has the reasons); the archive is
# written under the same flags, as the JVM maps it only under compatible ones.
JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmn256m", "-XX:-UsePerfData"]
# JVM warnings would land on stdout, where reports go: errors only, on stderr.
LOG_FLAGS = ["-Xlog:disable", "-Xlog:all=error:stderr"]
SUMMARY = "Static safety analysis of Django migrations for zero-downtime deploys, read straight from git."


def fail(message):
    sys.stderr.write("build.py: %s\n" % message)
    sys.exit(2)


def run(command, **kwargs):
    result = subprocess.run(command, **kwargs)
    if result.returncode != 0:
        fail("%s exited with %d" % (" ".join(command[:3]), result.returncode))
    return result


def project_version():
    """The pom's version as PEP 440 has it: 0.1.0-SNAPSHOT is 0.1.0.dev0."""
    with open(os.path.join(ROOT, "pom.xml"), encoding="utf-8") as pom:
        match = re.search(r"<artifactId>migsafe</artifactId>\s*<version>([^<]+)</version>", pom.read())
    if not match:
        fail("no version in pom.xml")
    version = match.group(1).strip()
    return version[: -len("-SNAPSHOT")] + ".dev0" if version.endswith("-SNAPSHOT") else version


def java_feature(home):
    """The JDK's feature version (17, 25, ...) from its release file; 0 when it is not a JDK."""
    exe = ".exe" if os.name == "nt" else ""
    if not os.path.isfile(os.path.join(home, "bin", "jlink" + exe)):
        return 0
    try:
        with open(os.path.join(home, "release"), encoding="utf-8") as release:
            match = re.search(r'^JAVA_VERSION="(\d+)', release.read(), re.M)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def find_jdk(given):
    """The JDK to link the runtime from: --jdk, else the newest (17 or later) of JAVA_HOME, the
    java on PATH and the usual install folders. Newer is better: JDK 19+ writes class-data
    archives on its own, and start-up improves with each release."""
    if given:
        if java_feature(given) < 17:
            fail("%s is not a JDK 17 or later with jlink" % given)
        return given
    candidates = [os.environ.get("JAVA_HOME", "")]
    java = shutil.which("java")
    if java:
        candidates.append(os.path.dirname(os.path.dirname(os.path.realpath(java))))
    for pattern in ("/usr/lib/jvm/*", "/Library/Java/JavaVirtualMachines/*/Contents/Home"):
        candidates.extend(sorted(glob.glob(pattern)))
    found = [(java_feature(c), c) for c in candidates if c and os.path.isdir(c)]
    found = [f for f in found if f[0] >= 17]
    if not found:
        fail("no JDK 17 or later with jlink found; give one with --jdk")
    return max(found)[1]


def build_jar():
    run(["mvn", "-q", "-B", "-Dstyle.color=never", "-DskipTests", "package"], cwd=ROOT)
    return os.path.join(ROOT, "target", JAR)


def link_runtime(jdk, target):
    exe = ".exe" if os.name == "nt" else ""
    run([os.path.join(jdk, "bin", "jlink" + exe), "--add-modules", ",".join(MODULES), "--strip-debug",
         "--no-man-pages", "--no-header-files", "--generate-cds-archive", "--output", target],
        stdout=subprocess.DEVNULL)
    # Only the java launcher is needed, and only the archive for compressed object pointers
    # (every heap this tool runs with is far below 32 GB).
    # (Windows keeps the JVM's DLLs and its server folder in bin.)
    for tool in os.listdir(os.path.join(target, "bin")):
        path = os.path.join(target, "bin", tool)
        if os.path.isfile(path) and tool not in ("java", "java.exe") and not tool.endswith(".dll"):
            os.remove(path)
    for nocoops in glob.glob(os.path.join(target, "lib", "*", "classes_nocoops.jsa")) + glob.glob(
            os.path.join(target, "bin", "*", "classes_nocoops.jsa")):
        os.remove(nocoops)


def git(repo, *args):
    run(["git", "-C", repo, "-c", "user.name=build", "-c", "user.email=build@example.com",
         "-c", "commit.gpgsign=false"] + list(args), stdout=subprocess.DEVNULL)


def train(runtime, jar, archive, scratch):
    """Writes the class-data archive from a run like the one a pre-commit hook makes: the shop
    project of fixtures/ committed, two new migrations staged, `analyze --staged`."""
    repo = os.path.join(scratch, "repo")
    shutil.copytree(os.path.join(ROOT, "fixtures", "shop"), os.path.join(repo, "shop"))
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "shop")
    orders = os.path.join(repo, "shop", "orders", "migrations")
    for name in ("0008_order_review_changes.py", "0009_order_channel_index.py"):
        shutil.copy(os.path.join(ROOT, "fixtures", "report", name), orders)
    git(repo, "add", ".")
    java = os.path.join(runtime, "bin", "java.exe" if os.name == "nt" else "java")
    # A home of its own: JGit records the file system's timestamp resolution under it.
    env = dict(os.environ, HOME=scratch, XDG_CONFIG_HOME=os.path.join(scratch, "config"),
               XDG_CACHE_HOME=os.path.join(scratch, "cache"))
    env.pop("JAVA_TOOL_OPTIONS", None)
    env.pop("JDK_JAVA_OPTIONS", None)
    result = subprocess.run([java] + LOG_FLAGS + JVM_FLAGS + ["-XX:ArchiveClassesAtExit=" + archive, "-cp", jar,
                                                              MAIN, "analyze", "--staged"],
                            cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if result.returncode not in (0, 1) or not os.path.isfile(archive):
        fail("the training run failed (exit %d): %s" % (result.returncode, result.stderr.decode(errors="replace")))


def glibc_floor(runtime):
    """The newest glibc symbol version that the runtime's native code needs (e.g. (2, 17))."""
    newest = (2, 5)
    for folder, _, files in os.walk(runtime):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                if f.read(4) != b"\x7fELF":
                    continue
                for major, minor in re.findall(rb"GLIBC_(\d+)\.(\d+)", f.read()):
                    newest = max(newest, (int(major), int(minor)))
    return newest


def platform_tag(runtime, given):
    if given:
        return given
    machine = platform.machine().lower()
    if sys.platform.startswith("linux"):
        arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
        major, minor = glibc_floor(runtime)
        tag = "manylinux_%d_%d_%s" % (major, minor, arch)
        # pip before 20.3 knows only the old alias of glibc 2.17.
        return tag + (".manylinux2014_%s" % arch if (major, minor) <= (2, 17) else "")
    if sys.platform == "darwin":
        return "macosx_11_0_%s" % ("arm64" if machine == "arm64" else "x86_64")
    if os.name == "nt":
        return "win_amd64" if machine in ("amd64", "x86_64") else "win_" + machine
    fail("unknown platform %s %s: give --plat-name" % (sys.platform, machine))


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def write_wheel(path, files, dist_info, epoch):
    """A PEP 427 wheel: entries in a fixed order with a fixed time, executables kept
    executable, and RECORD (hash and size of every file) last."""
    stamp = max(epoch, 315532800)  # zip cannot store times before 1980
    date = tuple(__import__("time").gmtime(stamp)[:6])
    records = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as wheel:
        for name, data, executable in files:
            info = zipfile.ZipInfo(name, date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
            wheel.writestr(info, data, compresslevel=9)
            records.append("%s,%s,%d" % (name, record_hash(data), len(data)))
        records.append("%s/RECORD,," % dist_info)
        info = zipfile.ZipInfo(dist_info + "/RECORD", date)
        info.external_attr = (0o644 | stat.S_IFREG) << 16
        wheel.writestr(info, "\n".join(records) + "\n", compress_type=zipfile.ZIP_DEFLATED)


def main():
    parser = argparse.ArgumentParser(description="Build the django-migsafe wheel for this platform.")
    parser.add_argument("--jar", help="migsafe.jar to package (default: build it with Maven)")
    parser.add_argument("--jdk", help="the JDK whose jlink makes the runtime (default: the newest found)")
    parser.add_argument("--plat-name", help="the wheel's platform tag (default: this machine's)")
    parser.add_argument("--out", default=os.path.join(ROOT, "dist"), help="folder for the wheel (default: dist/)")
    args = parser.parse_args()

    version = project_version()
    jdk = find_jdk(args.jdk)
    jar_source = os.path.abspath(args.jar) if args.jar else build_jar()
    if not os.path.isfile(jar_source):
        fail("no jar at %s" % jar_source)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or subprocess.run(
        ["git", "-C", ROOT, "log", "-1", "--format=%ct"], capture_output=True, text=True).stdout.strip() or 315532800)

    scratch = tempfile.mkdtemp(prefix="migsafe-wheel.")
    try:
        package = os.path.join(scratch, PACKAGE)
        shutil.copytree(os.path.join(ROOT, "packaging", "python", PACKAGE), package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_build.py"))
        runtime = os.path.join(package, "runtime")
        print("linking the runtime with %s (modules: %s)" % (jdk, ", ".join(MODULES)))
        link_runtime(jdk, runtime)
        jar = os.path.join(package, JAR)
        shutil.copyfile(jar_source, jar)
        # The archive is valid only for the jar's size and time: a fixed time, restored by the
        # launcher after an install (launcher._archive).
        os.utime(jar, (epoch, epoch))
        print("writing the class-data archive (a training run of analyze --staged)")
        train(runtime, jar, os.path.join(package, ARCHIVE), os.path.join(scratch, "training"))
        with open(os.path.join(package, "_build.py"), "w", encoding="utf-8") as build:
            build.write('"""Written by packaging/wheel/build.py: what this wheel was built with."""\n'
                        "VERSION = %r\nJAR = %r\nARCHIVE = %r\nJAR_MTIME = %d\nMAIN = %r\n"
                        "JVM_FLAGS = %r\nLOG_FLAGS = %r\nJAVA_FEATURE = %d\n"
                        % (version, JAR, ARCHIVE, epoch, MAIN, JVM_FLAGS, LOG_FLAGS, java_feature(jdk)))
        tag = platform_tag(runtime, args.plat_name)

        files = []
        for folder, dirs, names in os.walk(package):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:  # symbolic links (legal notices) are stored as files
                    data = f.read()
                relative = os.path.relpath(path, scratch).replace(os.sep, "/")
                files.append((relative, data, os.access(path, os.X_OK)))
        dist_info = "%s-%s.dist-info" % (PACKAGE, version)
        with open(os.path.join(ROOT, "packaging", "python", "README.md"), encoding="utf-8") as readme:
            description = readme.read()
        metadata = ("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s\n"
                    "Home-page: https://github.com/migsafe/migsafe\nKeywords: django,migrations,linter,zero-downtime,git\n"
                    "Classifier: Framework :: Django\nClassifier: Environment :: Console\n"
                    "Classifier: Topic :: Software Development :: Quality Assurance\n"
                    "Requires-Python: >=3.8\nDescription-Content-Type: text/markdown\n\n%s"
                    % (NAME, version, SUMMARY, description))
        wheel_meta = "Wheel-Version: 1.0\nGenerator: migsafe packaging/wheel/build.py\nRoot-Is-Purelib: false\n" + "".join(
            "Tag: py3-none-%s\n" % t for t in tag.split("."))
        entry_points = "[console_scripts]\nmigsafe = %s.launcher:main\n" % PACKAGE
        for name, text in (("METADATA", metadata), ("WHEEL", wheel_meta), ("entry_points.txt", entry_points)):
            files.append(("%s/%s" % (dist_info, name), text.encode("utf-8"), False))

        os.makedirs(args.out, exist_ok=True)
        wheel = os.path.join(args.out, "%s-%s-py3-none-%s.whl" % (PACKAGE, version, tag))
        write_wheel(wheel, files, dist_info, epoch)
        print("%s (%.1f MB)" % (wheel, os.path.getsize(wheel) / 1e6))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
