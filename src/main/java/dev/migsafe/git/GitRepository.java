package dev.migsafe.git;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;

/**
 * Read-only access to a git repository's objects through JGit. One {@link ObjectReader} serves
 * every read (JGit is many times faster that way); like it, this class is not thread-safe.
 * Nothing here writes to the repository.
 */
public final class GitRepository implements AutoCloseable {

    /** A file read from git: its path in the repository and its bytes. */
    public record Blob(String path, byte[] bytes) {}

    private final Repository repository;
    private final ObjectReader reader;

    private GitRepository(Repository repository) {
        this.repository = repository;
        this.reader = repository.newObjectReader();
    }

    /**
     * Opens the repository containing {@code dir}, honouring GIT_DIR, GIT_INDEX_FILE and the rest
     * of git's environment (hooks depend on them).
     */
    public static GitRepository open(File dir) throws GitException {
        // JGit measures the file system's timestamp resolution on first use (seconds on a fresh
        // HOME); doing it in the background keeps it off every run's critical path.
        FS.FileStoreAttributes.setBackground(true);
        try {
            FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir);
            if (builder.getGitDir() == null && System.getenv("GIT_DIR") == null) {
                throw new GitException("not a git repository (or any parent up to the file system root): "
                        + dir.getAbsoluteFile() + "; run migsafe inside a clone");
            }
            return new GitRepository(builder.setMustExist(true).build());
        } catch (IOException | IllegalArgumentException e) {
            throw new GitException("cannot open the git repository at " + dir.getAbsoluteFile() + ": " + e.getMessage());
        }
    }

    /**
     * The migration files at {@code rev:path}: the blob itself when it is a file, or every
     * migration file below it when it is a tree (path "" is the commit's whole tree).
     */
    public List<Blob> read(String rev, String path) throws GitException {
        String expression = rev + ":" + path;
        ObjectId id;
        try {
            id = repository.resolve(expression);
        } catch (RevisionSyntaxException | IOException e) {
            throw new GitException("cannot resolve " + expression + ": " + e.getMessage());
        }
        if (id == null) {
            throw new GitException("no such object: " + expression
                    + " (check the revision with `git rev-parse " + rev + "` and the path with `git ls-tree " + rev + "`)");
        }
        try {
            ObjectLoader loader = reader.open(id);
            if (loader.getType() == Constants.OBJ_BLOB) {
                return List.of(new Blob(path, loader.getBytes()));
            }
            return tree(id, path);
        } catch (IOException e) {
            throw new GitException("cannot read " + expression + ": " + e.getMessage());
        }
    }

    private List<Blob> tree(ObjectId treeId, String prefix) throws IOException {
        List<Blob> out = new ArrayList<>();
        String base = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        try (TreeWalk walk = new TreeWalk(repository, reader)) {
            walk.addTree(treeId);
            walk.setRecursive(false);
            while (walk.next()) {
                if (walk.isSubtree()) {
                    if (!MigrationPaths.isPrunedFolder(walk.getNameString())) {
                        walk.enterSubtree();
                    }
                    continue;
                }
                String path = base + walk.getPathString();
                if (MigrationPaths.isMigrationFile(path)) {
                    out.add(new Blob(path, reader.open(walk.getObjectId(0)).getBytes()));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        reader.close();
        repository.close();
    }
}
