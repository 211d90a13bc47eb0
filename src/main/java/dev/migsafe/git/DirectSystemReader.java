package dev.migsafe.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * JGit's view of the system, except that git's system config is found without running any
 * program. JGit finds that file by running `git --version` and `git config --system --show-origin
 * --list` (on macOS also `bash --login -c "which git"` and `xcode-select -p`), taking git from
 * PATH: with "." or another relative folder on PATH, a `git` committed in the analysed repository
 * would run (and every run would pay tens of milliseconds for the processes). Git's own rules
 * give the file from the environment and git's place on PATH instead:
 * <ul>
 *   <li>GIT_CONFIG_NOSYSTEM set (non-empty, as JGit reads it): no system config;</li>
 *   <li>GIT_CONFIG_SYSTEM set (git 2.32 and later): that file;</li>
 *   <li>else the first `git` in an absolute folder of PATH (relative folders are never searched,
 *       see {@link ProgramSearch}), at PREFIX/bin/git: /etc/gitconfig when PREFIX is /usr (or git
 *       is /bin/git), else PREFIX/etc/gitconfig (git's Makefile default; Homebrew's /usr/local
 *       and /opt/homebrew, MacPorts' /opt/local too); git elsewhere: /etc/gitconfig, the
 *       distributions' choice; no git on PATH: none, as JGit decides;</li>
 *   <li>macOS's /usr/bin/git (Apple's, which runs the selected developer tools' git):
 *       DEVELOPER_DIR, else the folder `xcode-select` points /var/db/xcode_select_link at, else
 *       the Command Line Tools, with usr/share/git-core/gitconfig in it;</li>
 *   <li>Windows: Git for Windows' git.exe in INSTALL\cmd, INSTALL\bin or INSTALL\mingw64\bin
 *       (and its other toolchain folders): INSTALL\etc\gitconfig; elsewhere: none.</li>
 * </ul>
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
        Platform platform = isWindows() ? Platform.WINDOWS : isMacOS() ? Platform.MACOS : Platform.UNIX;
        File file = systemConfig(name -> SystemReader.getInstance().getenv(name), platform).file();
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

    /** The kinds of system whose git installations differ in where the system config lies. */
    enum Platform {
        UNIX(":", List.of("git")), MACOS(":", List.of("git")), WINDOWS(";", List.of("git.exe"));

        final String separator;
        final List<String> names;

        Platform(String separator, List<String> names) {
            this.separator = separator;
            this.names = names;
        }
    }

    /** {@link #systemConfig(UnaryOperator, Platform)} on a Unix other than macOS. */
    static Location systemConfig(UnaryOperator<String> env) {
        return systemConfig(env, Platform.UNIX);
    }

    /** Git's system config, told without running git (see the class comment); never null. */
    static Location systemConfig(UnaryOperator<String> env, Platform platform) {
        String noSystem = env.apply("GIT_CONFIG_NOSYSTEM");
        if (noSystem != null && !noSystem.isEmpty()) {
            return NONE;
        }
        String configured = env.apply("GIT_CONFIG_SYSTEM");
        if (configured != null && !configured.isEmpty()) {
            return new Location(new File(configured));
        }
        Path git = ProgramSearch.find(env.apply("PATH"), platform.separator, platform.names, List.of());
        if (git == null) {
            return NONE;
        }
        Path bin = git.toAbsolutePath().normalize().getParent();
        return switch (platform) {
            case WINDOWS -> windows(bin);
            case MACOS -> bin.equals(Path.of("/usr/bin")) ? new Location(appleDeveloperDir(env)
                    .resolve("usr/share/git-core/gitconfig").toFile()) : unix(bin);
            case UNIX -> unix(bin);
        };
    }

    private static Location unix(Path bin) {
        if (bin == null || bin.getFileName() == null || !bin.getFileName().toString().equals("bin")) {
            return new Location(new File("/etc/gitconfig")); // an unusual layout: the distributions' file
        }
        Path prefix = bin.getParent();
        if (prefix.getParent() == null || prefix.toString().equals("/usr")) {
            return new Location(new File("/etc/gitconfig"));
        }
        return new Location(prefix.resolve("etc").resolve("gitconfig").toFile());
    }

    private static final Set<String> WINDOWS_TOOLCHAINS = Set.of("mingw64", "mingw32", "clangarm64", "ucrt64", "clang64");

    private static Location windows(Path bin) {
        String folder = bin == null || bin.getFileName() == null ? "" : bin.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!folder.equals("cmd") && !folder.equals("bin")) {
            return NONE; // not Git for Windows' layout (a shim, a portable copy): as JGit without git
        }
        Path root = bin.getParent();
        if (root != null && root.getFileName() != null
                && WINDOWS_TOOLCHAINS.contains(root.getFileName().toString().toLowerCase(Locale.ROOT))) {
            root = root.getParent();
        }
        return root == null ? NONE : new Location(root.resolve("etc").resolve("gitconfig").toFile());
    }

    /** The developer tools Apple's /usr/bin/git runs, as xcrun chooses them. */
    private static Path appleDeveloperDir(UnaryOperator<String> env) {
        String chosen = env.apply("DEVELOPER_DIR");
        if (chosen != null && !chosen.isEmpty()) {
            try {
                Path p = Path.of(chosen);
                if (p.isAbsolute()) {
                    return p;
                }
            } catch (InvalidPathException e) {
                // as if unset
            }
        }
        try {
            Path link = Path.of("/var/db/xcode_select_link");
            if (Files.isSymbolicLink(link)) {
                return link.resolveSibling(Files.readSymbolicLink(link)).normalize();
            }
        } catch (IOException | RuntimeException e) {
            // not selected: the default below
        }
        return Path.of("/Library/Developer/CommandLineTools");
    }
}
