package dev.migsafe.git;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * JGit's view of the system, except that git's system config is read from its file directly.
 * JGit finds that file by running `git --version` and `git config --system --show-origin --list`
 * on every run (tens of milliseconds of a pre-commit run); git's own rule gives it without a
 * process where the layout is the usual one:
 * <ul>
 *   <li>GIT_CONFIG_NOSYSTEM set (non-empty, as JGit reads it): no system config;</li>
 *   <li>GIT_CONFIG_SYSTEM set (git 2.32 and later): that file;</li>
 *   <li>else the first `git` on PATH, at PREFIX/bin/git: /etc/gitconfig when PREFIX is /usr (or
 *       git is /bin/git), else PREFIX/etc/gitconfig (git's Makefile default; Homebrew's
 *       /usr/local and /opt/homebrew too); no git on PATH: none, as JGit decides.</li>
 * </ul>
 * On Windows and macOS (installers and Xcode put the file elsewhere) JGit's discovery stays.
 *
 * <p>The environment is read through {@link SystemReader#getInstance()}, so a reader installed
 * over this one (a daemon overriding getenv per request) decides GIT_* and PATH. Install it with
 * {@link #install()} before wrapping the instance.
 */
public final class DirectSystemReader extends SystemReader.Delegate {

    private DirectSystemReader(SystemReader delegate) {
        super(delegate);
    }

    /**
     * Puts this reader over JGit's default one; an instance someone else installed (a test's, a
     * wrapper) is left alone. Safe to call on every repository opened.
     */
    public static synchronized void install() {
        SystemReader current = SystemReader.getInstance();
        if (current.getClass().getEnclosingClass() == SystemReader.class && !(current instanceof SystemReader.Delegate)) {
            SystemReader.setInstance(new DirectSystemReader(current));
        }
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
        if (isWindows() || isMacOS()) {
            return super.openSystemConfig(parent, fs);
        }
        Location location = systemConfig(name -> SystemReader.getInstance().getenv(name));
        if (location == null) {
            return super.openSystemConfig(parent, fs); // an unusual layout: ask git, as JGit does
        }
        File file = location.file();
        if (file == null) {
            return new FileBasedConfig(parent, null, fs) {
                @Override
                public void load() {
                    // no system config
                }

                @Override
                public boolean isOutdated() {
                    return false;
                }
            };
        }
        return new FileBasedConfig(parent, file, fs);
    }

    /** Where git's system config is: a file, or none (file null). */
    record Location(File file) {}

    private static final Location NONE = new Location(null);

    /**
     * Git's system config on a Unix other than macOS, told without running git; null when git's
     * layout is not the usual one (not in a folder named bin).
     */
    static Location systemConfig(UnaryOperator<String> env) {
        String noSystem = env.apply("GIT_CONFIG_NOSYSTEM");
        if (noSystem != null && !noSystem.isEmpty()) {
            return NONE;
        }
        String configured = env.apply("GIT_CONFIG_SYSTEM");
        if (configured != null && !configured.isEmpty()) {
            return new Location(new File(configured));
        }
        String path = env.apply("PATH");
        if (path == null) {
            return NONE;
        }
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path git = Path.of(dir.isEmpty() ? "." : dir, "git");
            if (Files.isRegularFile(git) && Files.isExecutable(git)) {
                Path bin = git.toAbsolutePath().normalize().getParent();
                if (bin == null || bin.getFileName() == null || !bin.getFileName().toString().equals("bin")) {
                    return null;
                }
                Path prefix = bin.getParent();
                if (prefix.getParent() == null || prefix.toString().equals("/usr")) {
                    return new Location(new File("/etc/gitconfig"));
                }
                return new Location(prefix.resolve("etc").resolve("gitconfig").toFile());
            }
        }
        return NONE;
    }
}
