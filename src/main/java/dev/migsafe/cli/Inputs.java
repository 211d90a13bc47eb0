package dev.migsafe.cli;

import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.git.LocalFile;
import dev.migsafe.git.MigrationPaths;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns command-line operands into files to read: a file in the work tree, a directory (its
 * migration files, recursively), or REV:PATH read from git objects.
 */
final class Inputs {

    /** A file to read: its display path and a way to get its bytes. */
    record Source(String path, Reader reader) {
        byte[] bytes() {
            return reader.read();
        }
    }

    @FunctionalInterface
    interface Reader {
        byte[] read();
    }

    private Inputs() {}

    /**
     * @param operands files, directories (relative to the working directory) or REV:PATH
     * @param repo the directory whose repository REV:PATH operands are read from
     */
    static List<Source> resolve(List<String> operands, File repo) {
        List<Source> out = new ArrayList<>();
        GitRepository git = null;
        try {
            for (String operand : operands) {
                Path path = RunContext.current().resolve(operand);
                if (Files.isDirectory(path)) {
                    out.addAll(directory(Path.of(operand), path));
                } else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    // A file, or something in its place (a pipe, a device, a dangling link): what
                    // cannot be read says why, as a finding of that file.
                    out.add(file(path, display(operand)));
                } else if (operand.contains(":")) {
                    if (git == null) {
                        git = GitRepository.open(RunContext.current().resolve(repo)); // the run's folder, not the process's
                    }
                    int colon = operand.indexOf(':');
                    for (GitRepository.Blob blob : git.read(operand.substring(0, colon), operand.substring(colon + 1))) {
                        out.add(new Source(blob.path(), blob::bytes));
                    }
                } else {
                    throw new UserError("no such file, directory or REV:PATH: " + operand);
                }
            }
        } catch (GitException e) {
            throw new UserError(e.getMessage());
        } finally {
            if (git != null) {
                git.close();
            }
        }
        return out;
    }

    /** A file named on the command line: a link is followed (to a regular file only), the size bounded. */
    private static Source file(Path path, String display) {
        return new Source(display, () -> LocalFile.read(path, display, true));
    }

    /** @param given the directory as given (displayed paths start with it), {@code dir} where it is */
    private static List<Source> directory(Path given, Path dir) {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> file(p, display(given.resolve(dir.relativize(p)).toString())))
                    .filter(s -> MigrationPaths.isMigrationFile(s.path()))
                    .sorted(java.util.Comparator.comparing(Source::path))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UserError("cannot read directory " + given + ": " + LocalFile.reason(e));
        } catch (UncheckedIOException e) {
            throw new UserError("cannot read directory " + given + ": " + LocalFile.reason(e.getCause()));
        }
        return out;
    }

    /** '/'-separated, without a leading "./". */
    private static String display(String path) {
        String p = path.replace(File.separatorChar, '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p;
    }
}
