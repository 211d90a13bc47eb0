package dev.migsafe.git;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The git program, asked what only git knows for sure. It is found by {@link ProgramSearch}
 * (absolute PATH entries only, never inside the repository: the analysed repository may hold a
 * file named git). Every failure (no git, a git that fails or takes too long) is an answer of
 * "don't know".
 */
final class GitProgram {

    /** Generous for `git rev-parse`, which reads a few config files; a git that hangs is not waited for. */
    private static final long WAIT_SECONDS = 20;

    private GitProgram() {}

    /** The first git on PATH through an absolute entry, not under any of {@code notUnder}; null when there is none. */
    static Path find(Map<String, String> env, List<Path> notUnder) {
        List<Path> untrusted = new java.util.ArrayList<>();
        for (Path p : notUnder) {
            if (p != null) {
                untrusted.add(p);
            }
        }
        return ProgramSearch.find(env.get("PATH"), File.pathSeparator, List.of("git"), untrusted);
    }

    /**
     * What `git rev-parse --git-path hooks` says in {@code workTree}, with the run's environment,
     * as an absolute path; null when git cannot be asked or does not answer.
     */
    static Path hooksDir(Path workTree, Map<String, String> env, List<Path> notUnder) {
        Path git = find(env, notUnder);
        if (git == null) {
            return null;
        }
        ProcessBuilder pb = new ProcessBuilder(git.toString(), "rev-parse", "--git-path", "hooks").directory(workTree.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File(File.separatorChar == '/' ? "/dev/null" : "NUL")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null;
        }
        try (InputStream in = p.getInputStream()) {
            // Waited for first: its one line fits the pipe, and a git that never ends is not read forever.
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            byte[] out = in.readNBytes(64 * 1024);
            String line = new String(out, StandardCharsets.UTF_8).strip();
            if (line.isEmpty() || line.contains("\n")) {
                return null;
            }
            return workTree.toAbsolutePath().resolve(line).normalize();
        } catch (IOException | InvalidPathException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            p.destroy();
        }
    }
}
