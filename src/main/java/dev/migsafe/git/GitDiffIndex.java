package dev.migsafe.git;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.util.SystemReader;

/**
 * The paths where the index differs from a commit, as `git diff-index --cached` lists them. Git
 * reads only the objects it needs (it maps pack indexes and looks up a few entries), where JGit
 * reads a whole pack index before it can read HEAD's first tree: on a large project (16 MB of
 * pack index) that costs a pre-commit run more than running git. Null whenever git cannot
 * answer plainly (not installed, an error, an unmerged path): the caller then compares with
 * JGit.
 */
final class GitDiffIndex {

    /** One differing path: HEAD's side (mode 0 and a null id when the index adds the path). */
    record Entry(String path, int oldMode, ObjectId oldId) {}

    private GitDiffIndex() {}

    /**
     * The git to run: found on the run's PATH (as JGit sees the environment: a request's in the
     * resident process), never through a relative entry and never inside the repository (see
     * {@link ProgramSearch}); null when there is none, and JGit then compares.
     *
     * @param repositoryFolders the work tree (null when bare), the git dir and the common git dir
     */
    static String program(List<File> repositoryFolders) {
        List<java.nio.file.Path> untrusted = new ArrayList<>();
        for (File f : repositoryFolders) {
            if (f != null) {
                untrusted.add(f.toPath());
            }
        }
        boolean windows = SystemReader.getInstance().isWindows();
        java.nio.file.Path git = ProgramSearch.find(SystemReader.getInstance().getenv("PATH"), File.pathSeparator,
                List.of(windows ? "git.exe" : "git"), untrusted);
        return git == null ? null : git.toString();
    }

    /**
     * @param program the git executable (see {@link #program}; a bare name is looked up on the
     *     process's PATH, which only tests do)
     * @param gitDir the repository's git dir
     * @param indexFile the index to compare (GIT_INDEX_FILE during `git commit -a` and friends)
     * @param objects the object store JGit reads (GIT_OBJECT_DIRECTORY, else the git dir's)
     * @param commit the commit to compare with
     */
    static List<Entry> run(String program, File gitDir, File indexFile, File objects, ObjectId commit) {
        ProcessBuilder pb = new ProcessBuilder(program, "--git-dir=" + gitDir.getAbsolutePath(), "diff-index", "--cached",
                "--raw", "-z", "--no-renames", "--no-abbrev", commit.name(), "--");
        // Git sees what JGit sees, also when the environment is a request's rather than the
        // process's (a resident process installs a SystemReader per request).
        Map<String, String> env = pb.environment();
        env.put("GIT_INDEX_FILE", indexFile.getAbsolutePath());
        env.put("GIT_OBJECT_DIRECTORY", objects.getAbsolutePath());
        String alternates = SystemReader.getInstance().getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
        if (alternates == null) {
            env.remove("GIT_ALTERNATE_OBJECT_DIRECTORIES");
        } else {
            env.put("GIT_ALTERNATE_OBJECT_DIRECTORIES", alternates);
        }
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        byte[] out;
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (p.waitFor() != 0) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null; // no git, or it could not start
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return parse(out);
    }

    /** `:OLDMODE NEWMODE OLDID NEWID STATUS\0PATH\0` per path; null on anything else. */
    static List<Entry> parse(byte[] out) {
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        while (i < out.length) {
            int headerEnd = indexOf(out, i);
            if (headerEnd < 0 || out[i] != ':') {
                return null;
            }
            String[] header = new String(out, i + 1, headerEnd - i - 1, StandardCharsets.US_ASCII).split(" ");
            int pathEnd = indexOf(out, headerEnd + 1);
            if (header.length != 5 || pathEnd < 0 || header[4].isEmpty()) {
                return null;
            }
            char status = header[4].charAt(0);
            if (status == 'U' || status == 'C' || status == 'R') {
                return null; // an unmerged path (or a rename git was told to find): JGit decides
            }
            String path = new String(out, headerEnd + 1, pathEnd - headerEnd - 1, StandardCharsets.UTF_8);
            try {
                int oldMode = Integer.parseInt(header[0], 8);
                ObjectId oldId = oldMode == 0 ? null : ObjectId.fromString(header[2]);
                entries.add(new Entry(path, oldMode, oldId));
            } catch (IllegalArgumentException e) {
                return null;
            }
            i = pathEnd + 1;
        }
        return entries;
    }

    private static int indexOf(byte[] out, int from) {
        for (int i = from; i < out.length; i++) {
            if (out[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
