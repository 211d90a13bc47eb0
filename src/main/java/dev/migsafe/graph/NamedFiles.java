package dev.migsafe.graph;

import dev.migsafe.env.RunContext;
import dev.migsafe.git.GitException;
import dev.migsafe.git.GitRepository;
import dev.migsafe.git.LocalFile;
import dev.migsafe.git.Snapshot;
import dev.migsafe.git.SourceFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * `analyze FILE...`: the index with the named files as they are on disk (during a commit the
 * pre-commit framework has stashed unstaged changes, so the two agree; a named file not staged
 * yet is taken from disk). Named files that are no migration files (the default discovery, or the
 * configuration's include and exclude globs) are skipped.
 *
 * @param snapshot the index, the named migration files replaced or added from disk
 * @param named the repository-relative paths of the named migration files
 */
record NamedFiles(Snapshot snapshot, Set<String> named) {

    /** @param paths absolute, or relative to the current directory */
    static NamedFiles over(GitRepository git, Snapshot index, List<String> paths) throws GitException {
        File root = git.workTree(); // not null: the caller checked
        Map<String, SourceFile> migrations = new TreeMap<>(index.migrations());
        Set<String> named = new HashSet<>();
        boolean onDiskOnly = false;
        for (String path : paths) {
            String rel = relativePath(root, path);
            if (!git.migrationPaths().matches(rel)) {
                continue; // the configured include/exclude globs, as for every other read
            }
            SourceFile file = read(root, rel, path);
            SourceFile inIndex = migrations.get(rel);
            onDiskOnly |= inIndex == null || file.blobId() == null || !file.blobId().equals(inIndex.blobId());
            migrations.put(rel, file);
            named.add(rel);
        }
        String label = onDiskOnly ? "the index and the named files" : "the index";
        return new NamedFiles(new Snapshot(label, null, migrations, index.appConfigs()), Set.copyOf(named));
    }

    /** A path given on the command line, relative to the work tree's root. */
    private static String relativePath(File root, String path) throws GitException {
        try {
            Path file = RunContext.current().resolve(path).normalize();
            // Real paths on both sides: the work tree or the file may be reached through a symlink.
            Path tree = root.toPath().toRealPath();
            Path parent = file.getParent();
            Path real = parent != null && Files.isDirectory(parent) ? parent.toRealPath().resolve(file.getFileName()) : file;
            if (!real.startsWith(tree)) {
                throw new GitException(path + " is outside the repository's work tree (" + tree + ")");
            }
            return tree.relativize(real).toString().replace(File.separatorChar, '/');
        } catch (IOException e) {
            throw new GitException("cannot resolve " + path + ": " + LocalFile.reason(e));
        } catch (InvalidPathException e) {
            throw new GitException("cannot resolve " + path + ": " + e.getMessage());
        }
    }

    /**
     * A named file as git would stage it (a symbolic link as its text). One that exists but cannot
     * be read (a pipe, over the size limit, not permitted) is kept without a blob id: reading it
     * again says why, as a finding of that file (see {@link LocalFile}).
     */
    private static SourceFile read(File root, String rel, String given) throws GitException {
        Path file = root.toPath().resolve(rel);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new GitException("no such file: " + given);
        }
        try {
            byte[] bytes = LocalFile.asStaged(file, rel);
            return new SourceFile(rel, GitRepository.blobId(bytes), () -> bytes);
        } catch (LocalFile.Unreadable e) {
            return new SourceFile(rel, null, () -> {
                throw e;
            });
        }
    }
}
