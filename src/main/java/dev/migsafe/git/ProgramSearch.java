package dev.migsafe.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds a program on PATH the way a shell does, except that a relative entry ("." or "bin", and
 * an empty one, which means ".") is never searched: it names a folder of wherever the run happens
 * to be, which for migsafe is usually a repository it was asked to read, whose files may be
 * anyone's (a committed `git` script). For the same reason a program that lies inside one of the
 * given folders (the repository) is passed over even when an absolute entry leads to it.
 */
final class ProgramSearch {

    private ProgramSearch() {}

    /**
     * @param path the PATH variable (may be null)
     * @param separator its entry separator (File.pathSeparator of the platform it comes from)
     * @param names the file names to look for, in order of preference within a folder
     * @param untrusted folders whose files are never taken (may be empty)
     * @return the first executable regular file found, absolute; null when there is none
     */
    static Path find(String path, String separator, List<String> names, List<Path> untrusted) {
        if (path == null) {
            return null;
        }
        List<Path> excluded = new ArrayList<>();
        for (Path u : untrusted) {
            excluded.add(real(u));
        }
        for (String entry : path.split(Pattern.quote(separator), -1)) {
            Path dir;
            try {
                dir = Path.of(entry);
            } catch (InvalidPathException e) {
                continue;
            }
            if (entry.isEmpty() || !dir.isAbsolute()) {
                continue; // relative: taken from the working directory, which may be the analysed repository
            }
            for (String name : names) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate) && !inside(real(candidate), excluded)) {
                    return candidate.normalize();
                }
            }
        }
        return null;
    }

    private static boolean inside(Path file, List<Path> folders) {
        for (Path folder : folders) {
            if (file.startsWith(folder)) {
                return true;
            }
        }
        return false;
    }

    /** The path with links resolved where it exists (a link to the repository's file is that file). */
    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
