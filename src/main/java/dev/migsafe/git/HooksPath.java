package dev.migsafe.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Where git runs a repository's hooks from, read the way git reads {@code core.hooksPath}: its
 * config files in git's order, the last that sets it winning: the system file (unless
 * GIT_CONFIG_NOSYSTEM; GIT_CONFIG_SYSTEM, else where {@link DirectSystemReader} finds it), the
 * global ones (GIT_CONFIG_GLOBAL, else $XDG_CONFIG_HOME/git/config, or $HOME/.config/git/config,
 * then $HOME/.gitconfig), the repository's config, then its config.worktree when
 * extensions.worktreeConfig is on. HOME and XDG_CONFIG_HOME are the run's environment, as git
 * reads them, not the account's home folder that JGit (and Java's user.home) would use: with
 * HOME pointing elsewhere, the hooks path git uses is another one.
 *
 * <p>Not read: includeIf, `git -c`, GIT_CONFIG_COUNT; callers that can run git compare with
 * `git rev-parse --git-path hooks` ({@link GitProgram}).
 */
final class HooksPath {

    private HooksPath() {}

    private record Layer(File file, boolean shared) {}

    static GitRepository.HooksDir find(Repository repository, UnaryOperator<String> env) throws GitException {
        String value = null;
        boolean shared = false;
        for (Layer layer : layers(repository, env)) {
            FileBasedConfig config = new FileBasedConfig(null, layer.file(), FS.DETECTED);
            try {
                config.load();
            } catch (IOException | ConfigInvalidException e) {
                throw new GitException("cannot read the git config " + layer.file() + ": " + e.getMessage());
            }
            String set = config.getString("core", null, "hooksPath");
            if (set != null) {
                value = set;
                shared = layer.shared();
            }
        }
        if (value == null || value.isBlank()) {
            return new GitRepository.HooksDir(repository.getCommonDirectory().toPath().toAbsolutePath().normalize()
                    .resolve("hooks"), false);
        }
        String path = value;
        if (value.equals("~") || value.startsWith("~/")) {
            path = home(env) + value.substring(1);
        }
        // Relative: from where git runs hooks, the work tree's root (a bare repository's git dir).
        File base = repository.isBare() ? repository.getDirectory() : repository.getWorkTree();
        return new GitRepository.HooksDir(base.toPath().toAbsolutePath().resolve(path).normalize(), shared);
    }

    private static List<Layer> layers(Repository repository, UnaryOperator<String> env) {
        List<Layer> layers = new ArrayList<>();
        File system = systemConfig(env);
        if (system != null) {
            layers.add(new Layer(system, true));
        }
        String global = env.apply("GIT_CONFIG_GLOBAL");
        if (global != null && !global.isEmpty()) {
            layers.add(new Layer(new File(global), true));
        } else {
            String home = home(env);
            String xdg = env.apply("XDG_CONFIG_HOME");
            if (xdg != null && !xdg.isEmpty()) {
                layers.add(new Layer(new File(new File(xdg, "git"), "config"), true));
            } else if (home != null) {
                layers.add(new Layer(new File(new File(new File(home, ".config"), "git"), "config"), true));
            }
            if (home != null) {
                layers.add(new Layer(new File(home, ".gitconfig"), true));
            }
        }
        File local = new File(repository.getCommonDirectory(), "config");
        layers.add(new Layer(local, false));
        if (repository.getConfig().getBoolean("extensions", null, "worktreeConfig", false)) {
            layers.add(new Layer(new File(repository.getDirectory(), "config.worktree"), false));
        }
        return layers;
    }

    /** $HOME as git reads it; the account's home folder only when HOME is not set. */
    private static String home(UnaryOperator<String> env) {
        String home = env.apply("HOME");
        return home != null && !home.isEmpty() ? home : System.getProperty("user.home");
    }

    /** Git's system config file, or null for none (GIT_CONFIG_NOSYSTEM, or git's layout has none). */
    private static File systemConfig(UnaryOperator<String> env) {
        String noSystem = env.apply("GIT_CONFIG_NOSYSTEM");
        if (noSystem != null && !noSystem.isEmpty()) {
            return null;
        }
        SystemReader reader = SystemReader.getInstance();
        if (!reader.isWindows() && !reader.isMacOS()) {
            DirectSystemReader.Location location = DirectSystemReader.systemConfig(env);
            if (location != null) {
                return location.file();
            }
        }
        // An unusual layout, Windows or macOS: where JGit finds it.
        FileBasedConfig config = reader.openSystemConfig(null, FS.DETECTED);
        return config.getFile();
    }
}
