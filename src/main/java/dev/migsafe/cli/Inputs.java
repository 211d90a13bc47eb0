package dev.migsafe.cli;

import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.git.MigrationPaths;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
                if (Files.isRegularFile(path)) {
                    out.add(file(path, display(operand)));
                } else if (Files.isDirectory(path)) {
                    out.addAll(directory(Path.of(operand), path));
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

    private static Source file(Path path, String display) {
        return new Source(display, () -> {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** @param given the directory as given (displayed paths start with it), {@code dir} where it is */
    private static List<Source> directory(Path given, Path dir) {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> new Source(display(given.resolve(dir.relativize(p)).toString()), file(p, "").reader()))
                    .filter(s -> MigrationPaths.isMigrationFile(s.path()))
                    .sorted(java.util.Comparator.comparing(Source::path))
                    .forEach(out::add);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError("cannot read directory " + given + ": " + e.getMessage());
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
