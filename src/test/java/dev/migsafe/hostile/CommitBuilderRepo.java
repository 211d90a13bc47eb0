package dev.migsafe.hostile;

import dev.migsafe.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A repository whose commits are written object by object (no work tree needed), so that tests
 * can commit what `git add` would not (a submodule entry named like a migration, a link) and
 * then damage it (delete or garble a loose object). Every file's content carries a tag unique
 * to the repository: no blob id is shared with another test, whose parse may be cached.
 */
final class CommitBuilderRepo implements AutoCloseable {

    /** A tree entry: its mode and object. */
    record Entry(FileMode mode, ObjectId id) {}

    private final Path dir;
    private final Git git;
    private final Repository repo;
    private final String tag;

    private CommitBuilderRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
        this.repo = git.getRepository();
        this.tag = "# " + dir.getFileName() + " " + System.nanoTime() + "\n";
    }

    static CommitBuilderRepo create(Path dir) throws Exception {
        return new CommitBuilderRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    }

    /** A repository made by other means (JGit cannot read its objects: only its files are used). */
    static CommitBuilderRepo open(Path dir) throws IOException {
        return new CommitBuilderRepo(dir, Git.wrap(new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                .setWorkTree(dir.toFile()).setMustExist(true).build()));
    }

    Path dir() {
        return dir;
    }

    Repository repository() {
        return repo;
    }

    /** A regular file with this content (and the repository's tag). */
    Entry file(String content) throws IOException {
        return new Entry(FileMode.REGULAR_FILE, blob(tag + content));
    }

    /** A symbolic link to {@code target}, as git stores one: a blob holding the target's path. */
    Entry link(String target) throws IOException {
        return new Entry(FileMode.SYMLINK, blob(target));
    }

    /** A submodule entry (gitlink) naming a commit of another repository, which this one lacks. */
    static Entry submodule(String commitId) {
        return new Entry(FileMode.GITLINK, ObjectId.fromString(commitId));
    }

    private ObjectId blob(String content) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId id = ins.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
            ins.flush();
            return id;
        }
    }

    /** Commits these files on a branch (created or moved), after the given parents. */
    RevCommit commit(String branch, Map<String, Entry> files, RevCommit... parents) throws IOException {
        DirCache index = DirCache.newInCore();
        fill(index, files);
        try (ObjectInserter ins = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
            ObjectId tree = index.writeTree(ins);
            CommitBuilder c = new CommitBuilder();
            PersonIdent who = new PersonIdent("Test", "test@example.com");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("commit on " + branch);
            c.setTreeId(tree);
            for (RevCommit p : parents) {
                c.addParentId(p);
            }
            ObjectId id = ins.insert(c);
            ins.flush();
            RefUpdate ru = repo.updateRef(Constants.R_HEADS + branch);
            ru.setNewObjectId(id);
            ru.setForceUpdate(true);
            ru.forceUpdate();
            return walk.parseCommit(id);
        }
    }

    /** Makes the index hold these files (what `git add` would have staged). */
    void stage(Map<String, Entry> files) throws IOException {
        DirCache index = repo.lockDirCache();
        try {
            fill(index, files);
            index.write();
            index.commit();
        } finally {
            index.unlock();
        }
    }

    private static void fill(DirCache index, Map<String, Entry> files) {
        DirCacheBuilder b = index.builder();
        for (Map.Entry<String, Entry> e : new TreeMap<>(files).entrySet()) {
            DirCacheEntry entry = new DirCacheEntry(e.getKey());
            entry.setFileMode(e.getValue().mode());
            entry.setObjectId(e.getValue().id());
            b.add(entry);
        }
        b.finish();
    }

    /** Points HEAD at a branch. */
    void checkout(String branch) throws IOException {
        RefUpdate ru = repo.updateRef(Constants.HEAD);
        ru.link(Constants.R_HEADS + branch);
    }

    /** The object at a path of a commit (a file's blob, a folder's tree). */
    ObjectId objectAt(RevCommit commit, String path) throws IOException {
        try (TreeWalk t = TreeWalk.forPath(repo, path, commit.getTree())) {
            return t.getObjectId(0);
        }
    }

    private Path looseFile(ObjectId id) {
        String name = id.name();
        return repo.getDirectory().toPath().resolve("objects").resolve(name.substring(0, 2)).resolve(name.substring(2));
    }

    /** Removes a loose object, as a damaged clone lacks it. */
    void delete(ObjectId id) throws IOException {
        Files.delete(looseFile(id));
    }

    /** Overwrites a loose object with bytes that are no zlib stream. */
    void garble(ObjectId id) throws IOException {
        Path file = looseFile(id);
        file.toFile().setWritable(true);
        Files.write(file, "not a git object, only noise\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Marks the clone as made with a filter, as `git clone --filter=blob:none` does. */
    void markPartial() throws IOException {
        var config = repo.getConfig();
        config.setInt("core", null, "repositoryformatversion", 1);
        config.setString("remote", "origin", "url", "https://example.com/shop.git");
        config.setBoolean("remote", "origin", "promisor", true);
        config.setString("remote", "origin", "partialclonefilter", "blob:none");
        config.save();
    }

    /** A run of migsafe on this repository, in this process. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Run migsafe(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--repo");
        all.add(dir.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() {
        git.close();
    }
}
