package dev.migsafe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Paths that a configuration file names (the baseline): they must stay inside the repository's
 * work tree, lexically and after symlinks, because the file that names them may come from the
 * pull request under analysis. `/etc/passwd`, `../../x` or a committed symlink out of the clone
 * are refused with one sentence naming the key; a path typed on the command line is the user's
 * own and is not checked here.
 */
final class InsideRepository {

    private InsideRepository() {}

    /**
     * {@code path} (relative to {@code root}, the work tree) as an absolute path inside it;
     * throws a {@link UserError} that starts with {@code key} (e.g. "pyproject.toml
     * [tool.migsafe]: 'baseline'") when it is absolute, climbs out with "..", or when an
     * existing part of it is a symbolic link whose target is outside the repository (or missing).
     */
    static Path resolve(Path root, String path, String key) {
        Path base = root.toAbsolutePath().normalize();
        Path relative;
        try {
            relative = Path.of(path);
        } catch (InvalidPathException e) {
            throw refused(key, path, null);
        }
        Path file = base.resolve(relative).normalize();
        if (relative.isAbsolute() || !file.startsWith(base) || file.equals(base)) {
            throw refused(key, path, null);
        }
        Path realBase = real(base);
        Path at = base;
        for (Path name : base.relativize(file)) {
            at = at.resolve(name);
            if (!Files.isSymbolicLink(at)) {
                if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                    break; // what follows does not exist yet: nothing more to follow
                }
                continue;
            }
            Path target;
            try {
                target = at.toRealPath();
            } catch (IOException e) {
                throw refused(key, path, base.relativize(at) + " is a symbolic link to nothing");
            }
            if (realBase == null || !target.startsWith(realBase)) {
                throw refused(key, path, base.relativize(at) + " is a symbolic link out of it");
            }
        }
        return file;
    }

    /** Whether {@code file} is inside the work tree {@code root} once every symlink is resolved; false when it does not exist. */
    static boolean contains(Path root, Path file) {
        Path realRoot = real(root);
        Path realFile = real(file);
        return realRoot != null && realFile != null && realFile.startsWith(realRoot);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    private static UserError refused(String key, String path, String why) {
        return new UserError(key + " must be a path inside the repository, not " + path + (why == null ? "" : " (" + why + ")"));
    }
}
