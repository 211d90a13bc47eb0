package dev.migsafe.git;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Read-only access to a git repository through JGit. One {@link ObjectReader} and one
 * {@link RevWalk} serve every read (JGit is many times faster that way); like them, this class
 * is not thread-safe. Nothing here writes to the repository.
 */
public final class GitRepository implements AutoCloseable {

    /** A file read from git: its path in the repository and its bytes. */
    public record Blob(String path, byte[] bytes) {}

    private static final String APPS_PY = "apps.py";

    private final Repository repository;
    private final ObjectReader reader;
    private final RevWalk walk;
    private MigrationPaths migrationPaths = MigrationPaths.DEFAULT;
    /** The object store's folder, where loose objects are looked up first (see {@link LooseObjects}). */
    private final Path objects;
    private boolean looseFirst = true;

    private GitRepository(Repository repository, File objects) {
        this.repository = repository;
        this.objects = (objects != null ? objects : new File(repository.getCommonDirectory(), "objects")).toPath();
        this.reader = repository.newObjectReader();
        this.walk = new RevWalk(reader);
    }

    /**
     * Opens the repository containing {@code dir}, honouring GIT_DIR, GIT_INDEX_FILE and the rest
     * of git's environment (hooks depend on them).
     */
    public static GitRepository open(File dir) throws GitException {
        // JGit measures the file system's timestamp resolution on first use (seconds on a fresh
        // HOME); doing it in the background keeps it off every run's critical path.
        FS.FileStoreAttributes.setBackground(true);
        // And git's system config is read from its file, not found by running git twice.
        DirectSystemReader.install();
        try {
            FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir);
            if (builder.getGitDir() == null) {
                throw new GitException("not a git repository (or any parent up to the file system root): "
                        + dir.getAbsoluteFile().toPath().normalize() + "; run migsafe inside a clone");
            }
            Repository repository = builder.setMustExist(true).build();
            try {
                ObjectFormat.check(repository.getConfig());
            } catch (GitException e) {
                repository.close();
                throw e;
            }
            return new GitRepository(repository, builder.getObjectDirectory());
        } catch (IOException | IllegalArgumentException e) {
            throw new GitException("cannot open the git repository at " + dir.getAbsoluteFile() + ": " + e.getMessage());
        }
    }

    /**
     * Which files the snapshots, diffs and reads that follow treat as migrations (the
     * configuration's include and exclude globs); the default discovery until set.
     */
    public void useMigrationPaths(MigrationPaths paths) {
        this.migrationPaths = paths;
    }

    /** Which files the reads treat as migrations (see {@link #useMigrationPaths}). */
    public MigrationPaths migrationPaths() {
        return migrationPaths;
    }

    /** Settings modules lie near the top of a project; deeper folders are not searched for them. */
    private static final int SETTINGS_DEPTH = 5;

    /**
     * The project's Django settings modules in a commit: files named settings*.py or in a
     * settings/ package, at most a few folders deep, without test settings (which commonly
     * disable migrations) and only those that mention a setting migsafe reads
     * ({@link #mentionsWhatMigsafeReads}).
     */
    public List<SourceFile> settingsFiles(RevCommit commit) throws GitException {
        List<SourceFile> out = new ArrayList<>();
        try (TreeWalk tree = new TreeWalk(repository, reader)) {
            tree.addTree(commit.getTree());
            tree.setRecursive(false);
            while (tree.next()) {
                if (tree.isSubtree()) {
                    if (tree.getDepth() + 1 < SETTINGS_DEPTH && !MigrationPaths.isPrunedFolder(tree.getNameString())) {
                        tree.enterSubtree();
                    }
                } else if (EntryKind.of(tree.getRawMode(0)) == EntryKind.FILE && isSettingsModule(tree.getPathString())) {
                    SourceFile f = blob(tree.getPathString(), tree.getObjectId(0));
                    try {
                        if (mentionsWhatMigsafeReads(f.bytes())) {
                            out.add(f);
                        }
                    } catch (UnreadableFile e) {
                        // not in this clone: as for unreadable settings, the default discovery applies
                    }
                }
            }
        } catch (IOException e) {
            throw new GitException("cannot read the tree of " + commit.name() + ": " + e.getMessage());
        }
        return out;
    }

    /**
     * {@link #settingsFiles(RevCommit)} of the work tree: regular files only (links are not
     * followed, pipes and devices never opened), read by {@link LocalFile} (bounded); one that
     * cannot be read is no settings module migsafe can use.
     */
    public List<SourceFile> settingsFilesInWorkTree() throws GitException {
        File root = workTree();
        if (root == null) {
            return List.of();
        }
        Path base = root.toPath();
        List<SourceFile> out = new ArrayList<>();
        // The pre-commit hook pays for this walk on every run: pruned folders (.git, node_modules,
        // virtualenvs) are skipped, not walked and filtered. A plain walk, not the view of
        // workTreeSnapshot (which honours .gitignore): that one costs a cold hook run ~50 ms more,
        // and an ignored copy of a settings module can only name a folder of MIGRATION_MODULES.
        try {
            Files.walkFileTree(base, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), SETTINGS_DEPTH,
                    new java.nio.file.SimpleFileVisitor<>() {
                        @Override
                        public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                                java.nio.file.attribute.BasicFileAttributes attrs) {
                            return !dir.equals(base) && MigrationPaths.isPrunedFolder(dir.getFileName().toString())
                                    ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
                        }

                        @Override
                        public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes attrs) {
                            String rel = base.relativize(p).toString().replace(File.separatorChar, '/');
                            if (attrs.isRegularFile() && isSettingsModule(rel)) {
                                try {
                                    byte[] bytes = LocalFile.read(p, rel, false);
                                    if (mentionsWhatMigsafeReads(bytes)) {
                                        out.add(new SourceFile(rel, blobId(bytes), () -> bytes));
                                    }
                                } catch (LocalFile.Unreadable e) {
                                    // over the limit, or replaced since the walk saw it: not a module we can use
                                }
                            }
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }

                        @Override
                        public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) {
                            return java.nio.file.FileVisitResult.CONTINUE; // unreadable: not a settings module we can use
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            throw new GitException("cannot read the work tree: " + e.getMessage());
        }
        return out;
    }

    static boolean isSettingsModule(String path) {
        if (!path.endsWith(".py") || path.toLowerCase(java.util.Locale.ROOT).contains("test")) {
            return false;
        }
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.startsWith("settings") || path.startsWith("settings/") || path.contains("/settings/");
    }

    /**
     * The words of the settings migsafe reads statically, one of which a settings module must
     * contain to be parsed: MIGRATION_MODULES (graph/SettingsModules), and what decides a
     * lock_timeout during migrate (graph/SettingsLockTimeout): `lock_timeout`/`lock-timeout` in
     * the connection options, django-pg-zero-downtime-migrations' ENGINE and its settings.
     */
    private static final List<String> SETTINGS_WORDS = List.of("MIGRATION_MODULES", "lock_timeout", "lock-timeout",
            "zero_downtime_migrations", "ZERO_DOWNTIME_MIGRATIONS");

    static boolean mentionsWhatMigsafeReads(byte[] bytes) {
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String word : SETTINGS_WORDS) {
            if (text.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The git dir that all work trees of the repository share (where objects, hooks and
     * migsafe's cache live); for a linked work tree, not its private git dir.
     */
    public Path commonDir() {
        return repository.getCommonDirectory().toPath().toAbsolutePath().normalize();
    }

    /**
     * Where git runs hooks from: {@code core.hooksPath} when set (a leading ~/ is $HOME; a
     * relative path is taken from the work tree's root, where git runs hooks), else the common
     * git dir's {@code hooks}; read as git reads its config ({@link HooksPath}). {@code shared}
     * tells that the setting does not come from the repository's own config (a global or system
     * setting that other repositories share).
     */
    public record HooksDir(Path path, boolean shared) {}

    /** {@link HooksDir} with JGit's view of the environment. */
    public HooksDir hooksDir() throws GitException {
        return hooksDir(name -> SystemReader.getInstance().getenv(name));
    }

    /** {@link HooksDir} with the run's environment (HOME, XDG_CONFIG_HOME, GIT_CONFIG_*). */
    public HooksDir hooksDir(UnaryOperator<String> env) throws GitException {
        return HooksPath.find(repository, env);
    }

    /**
     * Where git itself says it runs hooks from (`git rev-parse --git-path hooks` in the work
     * tree, with {@code env}), or null when it cannot be asked: no git on PATH through an
     * absolute entry outside the repository, or git fails.
     */
    public Path hooksDirAsGitSays(Map<String, String> env) {
        File workTree = workTree();
        if (workTree == null) {
            return null;
        }
        return GitProgram.hooksDir(workTree.toPath(), env, List.of(workTree.toPath(), commonDir(), repository.getDirectory().toPath()));
    }

    /** The work tree's root, or null for a bare repository. */
    public File workTree() {
        return repository.isBare() ? null : repository.getWorkTree();
    }

    /** Whether the clone is shallow (history before some commits is missing). */
    public boolean isShallow() {
        try {
            return !repository.getObjectDatabase().getShallowCommits().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Resolves a revision expression to a commit; the message says what to check when it fails. */
    public RevCommit commit(String rev) throws GitException {
        ObjectId id;
        try {
            id = repository.resolve(rev + "^{commit}");
        } catch (RevisionSyntaxException | IOException e) {
            throw new GitException("cannot resolve revision '" + rev + "': " + e.getMessage());
        }
        if (id == null) {
            if (rev.equals(Constants.HEAD)) {
                throw new GitException("HEAD has no commit yet (unborn branch): commit first, or analyse --staged");
            }
            if (isShallow()) {
                throw new GitException("unknown revision '" + rev + "', and the clone is shallow: fetch full history "
                        + "(`git fetch --unshallow`, or actions/checkout with fetch-depth: 0)");
            }
            throw new GitException("unknown revision '" + rev + "' (check it with `git rev-parse " + rev
                    + "`; in CI fetch the branch, e.g. actions/checkout with fetch-depth: 0)");
        }
        try {
            return walk.parseCommit(id);
        } catch (MissingObjectException e) {
            throw new GitException("commit " + id.abbreviate(8).name() + " for '" + rev + "' is not in this clone"
                    + (isShallow() ? ": the clone is shallow; fetch full history (actions/checkout: fetch-depth: 0)" : ""));
        } catch (IOException e) {
            throw new GitException("cannot read commit '" + rev + "': " + e.getMessage());
        }
    }

    /** HEAD's commit, or null when the branch has no commit yet (a repository's first commit). */
    public RevCommit headOrNull() throws GitException {
        try {
            if (repository.resolve(Constants.HEAD) == null) {
                return null;
            }
        } catch (IOException e) {
            throw new GitException("cannot resolve HEAD: " + e.getMessage());
        }
        return commit(Constants.HEAD);
    }

    /**
     * The merge bases of two commits (several in criss-cross histories), best first as JGit
     * returns them; empty when the histories are unrelated.
     */
    public List<RevCommit> mergeBases(RevCommit a, RevCommit b) throws GitException {
        // A walk of its own: the merge-base filter cannot be combined with others or reused
        // mid-walk; the shared reader keeps it cheap.
        try (RevWalk mb = new RevWalk(reader)) {
            mb.setRevFilter(RevFilter.MERGE_BASE);
            mb.markStart(mb.parseCommit(a));
            mb.markStart(mb.parseCommit(b));
            List<RevCommit> bases = new ArrayList<>();
            for (RevCommit c = mb.next(); c != null; c = mb.next()) {
                bases.add(walk.parseCommit(c));
            }
            return bases;
        } catch (MissingObjectException e) {
            throw new GitException("the merge base of " + a.abbreviate(8).name() + " and " + b.abbreviate(8).name()
                    + " is not in this clone" + (isShallow()
                    ? ": the clone is shallow; fetch full history (actions/checkout: fetch-depth: 0) or pass a base commit that is present"
                    : ""));
        } catch (IOException e) {
            throw new GitException("cannot compute the merge base: " + e.getMessage());
        }
    }

    /**
     * The default branch: the configured one, else origin/HEAD's target, origin/main,
     * origin/master, main, master (the first that exists). Null when none exists.
     */
    public String defaultBranch(String configured) throws GitException {
        try {
            if (configured != null) {
                return repository.resolve(configured) != null ? configured : null;
            }
            Ref originHead = repository.exactRef("refs/remotes/origin/HEAD");
            if (originHead != null && originHead.isSymbolic()) {
                return Repository.shortenRefName(originHead.getTarget().getName());
            }
            // A bare repository (a mirror, a server's copy) has no remote: its HEAD names the
            // default branch, as in the repository it was cloned from.
            Ref head = repository.isBare() ? repository.exactRef(Constants.HEAD) : null;
            if (head != null && head.isSymbolic() && head.getTarget().getObjectId() != null) {
                return Repository.shortenRefName(head.getTarget().getName());
            }
            for (String candidate : List.of("refs/remotes/origin/main", "refs/remotes/origin/master",
                    "refs/heads/main", "refs/heads/master")) {
                if (repository.exactRef(candidate) != null) {
                    return Repository.shortenRefName(candidate);
                }
            }
            return null;
        } catch (IOException e) {
            throw new GitException("cannot read the repository's branches: " + e.getMessage());
        }
    }

    /** Every local branch and remote-tracking branch (short names), remote HEAD aliases excluded. */
    public List<String> branches() throws GitException {
        try {
            List<String> out = new ArrayList<>();
            for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_REMOTES)) {
                if (!ref.isSymbolic() && !ref.getName().endsWith("/HEAD")) {
                    out.add(Repository.shortenRefName(ref.getName()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new GitException("cannot list branches: " + e.getMessage());
        }
    }

    /** The migration files and apps.py files of a commit's tree. */
    public Snapshot snapshot(RevCommit commit, String label) throws GitException {
        Map<String, SourceFile> migrations = new TreeMap<>();
        Map<String, SourceFile> apps = new TreeMap<>();
        Set<String> packages = new HashSet<>();
        Map<String, SourceFile> modules = new java.util.HashMap<>();
        try {
            walkFiles(commit.getTree(), (path, id, mode) -> collect(path, id, mode, migrations, apps, packages, modules));
        } catch (IOException e) {
            throw new GitException(ObjectProblems.sentence(e, "cannot read the tree of " + label, partialClone()));
        }
        migrationPaths.keepPackages(migrations, packages);
        return new Snapshot(label, commit.name(), migrations, apps, modules);
    }

    private interface FileVisitor {
        void visit(String path, ObjectId id, int mode) throws IOException;
    }

    /**
     * Every entry of a tree that is not a folder (files, links, submodules: see {@link EntryKind}),
     * without descending into folders that are never searched. A folder missing from the clone
     * ends the walk with a sentence that names it.
     */
    private void walkFiles(ObjectId treeId, FileVisitor visitor) throws IOException {
        try (TreeWalk tree = new TreeWalk(repository, reader)) {
            try {
                tree.addTree(treeId);
            } catch (MissingObjectException e) {
                throw new ObjectProblems.Described(ObjectProblems.describe(e, treeId, "the root folder", partialClone()));
            }
            tree.setRecursive(false);
            while (tree.next()) {
                if (tree.isSubtree()) {
                    if (!MigrationPaths.isPrunedFolder(tree.getNameString())) {
                        try {
                            tree.enterSubtree();
                        } catch (MissingObjectException e) {
                            throw new ObjectProblems.Described(ObjectProblems.describe(e, tree.getObjectId(0),
                                    "the folder " + tree.getPathString() + "/", partialClone()));
                        }
                    }
                    continue;
                }
                visitor.visit(tree.getPathString(), tree.getObjectId(0), tree.getRawMode(0));
            }
        }
    }

    /** The union of several commits' snapshots (see {@link Snapshot#union}). */
    public Snapshot snapshot(List<RevCommit> commits, String label) throws GitException {
        List<Snapshot> snapshots = new ArrayList<>();
        for (RevCommit c : commits) {
            snapshots.add(snapshot(c, label));
        }
        return Snapshot.union(label, snapshots);
    }

    /** A migration file that differs between two trees; a null id means absent on that side. */
    public record TreeChange(String path, ObjectId oldId, ObjectId newId) {}

    /**
     * The migration files that differ between two commits' trees ({@code from} null: the empty
     * tree). Identical subtrees are skipped without being read.
     */
    public List<TreeChange> diff(RevCommit from, RevCommit to) throws GitException {
        List<TreeChange> out = new ArrayList<>();
        try (TreeWalk tree = new TreeWalk(repository, reader)) {
            if (from == null) {
                tree.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
            } else {
                tree.addTree(walk.parseCommit(from).getTree());
            }
            tree.addTree(walk.parseCommit(to).getTree());
            tree.setRecursive(false);
            tree.setFilter(org.eclipse.jgit.treewalk.filter.TreeFilter.ANY_DIFF);
            while (tree.next()) {
                if (tree.isSubtree()) {
                    if (!MigrationPaths.isPrunedFolder(tree.getNameString())) {
                        tree.enterSubtree();
                    }
                    continue;
                }
                String path = tree.getPathString();
                if (migrationPaths.matches(path)) {
                    // Only regular files are read: a link or a submodule counts as no file here.
                    ObjectId before = EntryKind.of(tree.getRawMode(0)) == EntryKind.FILE ? tree.getObjectId(0) : null;
                    ObjectId after = EntryKind.of(tree.getRawMode(1)) == EntryKind.FILE ? tree.getObjectId(1) : null;
                    if (before != null || after != null) {
                        out.add(new TreeChange(path, before, after));
                    }
                }
            }
        } catch (IOException e) {
            throw new GitException(ObjectProblems.sentence(e, "cannot compare trees", partialClone()));
        }
        return out;
    }

    /** The bytes of a file at a commit, or null when it has no such file. */
    public byte[] fileAt(RevCommit commit, String path) throws GitException {
        ObjectId blob = blobAt(commit.name(), path);
        try {
            return blob == null ? null : readBlob(path, blob);
        } catch (UnreadableFile e) {
            throw new GitException(e.getMessage());
        }
    }

    /** The blob at a path of a commit, or null. */
    public ObjectId blobAt(String commitId, String path) throws GitException {
        try {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commitId));
            try (TreeWalk t = TreeWalk.forPath(repository, reader, path, c.getTree())) {
                // A submodule of that name is no file of this repository.
                return t == null || EntryKind.of(t.getRawMode(0)) == EntryKind.OTHER ? null : t.getObjectId(0);
            }
        } catch (IOException e) {
            throw new GitException(ObjectProblems.sentence(e, "cannot read " + path + " at " + commitId, partialClone()));
        }
    }

    /**
     * The migration files directly in a folder of a commit's tree (path to blob id), sorted;
     * empty when the folder does not exist there.
     */
    public Map<String, ObjectId> migrationsIn(String commitId, String folder) throws GitException {
        Map<String, ObjectId> out = new TreeMap<>();
        try {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commitId));
            try (TreeWalk t = TreeWalk.forPath(repository, reader, folder, c.getTree())) {
                if (t == null || !t.isSubtree()) {
                    return out;
                }
                try (TreeWalk inner = new TreeWalk(repository, reader)) {
                    inner.addTree(t.getObjectId(0));
                    inner.setRecursive(false);
                    while (inner.next()) {
                        String path = folder + "/" + inner.getNameString();
                        if (EntryKind.of(inner.getRawMode(0)) == EntryKind.FILE && migrationPaths.matches(path)) {
                            out.put(path, inner.getObjectId(0).copy());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new GitException(ObjectProblems.sentence(e, "cannot read " + folder + " at " + commitId, partialClone()));
        }
        return out;
    }

    /** The migration files as staged in the index (read, never locked). */
    public Snapshot index() throws GitException {
        return fromIndex(readIndex());
    }

    /** The index, and HEAD's files (null when HEAD has no commit yet), from one read of the index. */
    public record Staged(Snapshot head, Snapshot index) {}

    /**
     * The index and HEAD's migration files. HEAD's are taken from the index where the two agree:
     * only the paths where they differ are looked up in HEAD's tree, and the folders that the
     * index's cache of tree ids marks as unchanged are never read (walking all of a large HEAD
     * costs a pre-commit run tens of milliseconds).
     */
    public Staged staged(RevCommit head) throws GitException {
        DirCache cache = readIndex();
        Snapshot index = fromIndex(cache);
        return head == null ? new Staged(null, index) : headThroughIndex(cache, index, head);
    }

    /**
     * {@link #staged(RevCommit)} for HEAD, without reading HEAD's objects where git can say which
     * paths differ (`git diff-index --cached`, see {@link GitDiffIndex}): HEAD's id comes from
     * its ref (a loose one read directly, see {@link LooseRefs}), the differing paths' HEAD blob ids from git, and JGit opens no pack index unless a
     * blob must be read. When git cannot answer (not installed, found only through a relative
     * PATH entry or inside the repository, which is never run; an unmerged or intent-to-add
     * entry), HEAD's tree is read as {@link #staged(RevCommit)} does.
     */
    public Staged staged() throws GitException {
        File work = repository.isBare() ? null : repository.getWorkTree();
        return stagedUsing(GitDiffIndex.program(java.util.Arrays.asList(work, repository.getDirectory(),
                repository.getCommonDirectory())));
    }

    /** @param gitProgram the git to run, or null to compare with JGit alone */
    Staged stagedUsing(String gitProgram) throws GitException {
        DirCache cache = readIndex();
        Snapshot index = fromIndex(cache);
        ObjectId headId = LooseRefs.head(repository.getDirectory().toPath(), repository.getCommonDirectory().toPath());
        if (headId == null) {
            try {
                Ref ref = repository.exactRef(Constants.HEAD);
                headId = ref == null ? null : ref.getObjectId();
            } catch (IOException e) {
                throw new GitException("cannot resolve HEAD: " + e.getMessage());
            }
        }
        if (headId == null) {
            return new Staged(null, index); // no commit yet
        }
        List<GitDiffIndex.Entry> diff = gitProgram != null && plain(cache)
                ? GitDiffIndex.run(gitProgram, repository.getDirectory(), repository.getIndexFile(),
                        objects.toFile(), headId) : null;
        if (diff == null) {
            return headThroughIndex(cache, index, commit(Constants.HEAD));
        }
        Map<String, SourceFile> migrations = new TreeMap<>(index.migrations());
        Map<String, SourceFile> apps = new TreeMap<>(index.appConfigs());
        // HEAD's other modules too: they are the deployed code a staged migration runs beside.
        Map<String, SourceFile> modules = new java.util.HashMap<>(index.modules());
        for (GitDiffIndex.Entry e : diff) {
            Map<String, SourceFile> side = sideOf(e.path(), migrations, apps, modules);
            if (side != null) {
                put(side, e.path(), e.oldMode() == 0 ? null : e.oldId(), e.oldMode());
            }
        }
        return new Staged(new Snapshot("HEAD", headId.name(), migrations, apps, modules), index);
    }

    /** An index git and JGit see alike: no unmerged and no intent-to-add entries. */
    private static boolean plain(DirCache cache) {
        for (int i = 0; i < cache.getEntryCount(); i++) {
            DirCacheEntry e = cache.getEntry(i);
            if (e.getStage() != DirCacheEntry.STAGE_0 || e.isIntentToAdd()) {
                return false;
            }
        }
        return true;
    }

    private Staged headThroughIndex(DirCache cache, Snapshot index, RevCommit head) throws GitException {
        Map<String, SourceFile> migrations = new TreeMap<>(index.migrations());
        Map<String, SourceFile> apps = new TreeMap<>(index.appConfigs());
        Map<String, SourceFile> modules = new java.util.HashMap<>(index.modules());
        try (TreeWalk tree = new TreeWalk(repository, reader)) {
            tree.addTree(walk.parseCommit(head).getTree());
            tree.addTree(new DirCacheIterator(cache));
            tree.setFilter(TreeFilter.ANY_DIFF);
            tree.setRecursive(true);
            while (tree.next()) {
                String path = tree.getPathString();
                Map<String, SourceFile> side = sideOf(path, migrations, apps, modules);
                if (side == null) {
                    continue;
                }
                put(side, path, tree.getRawMode(0) == 0 ? null : tree.getObjectId(0), tree.getRawMode(0));
            }
        } catch (IOException e) {
            throw new GitException(ObjectProblems.sentence(e, "cannot compare the index with HEAD", partialClone()));
        }
        return new Staged(new Snapshot("HEAD", head.name(), migrations, apps, modules), index);
    }

    /** Which of a side's maps a path belongs in: migrations, apps.py files, other modules and templates, or none. */
    private Map<String, SourceFile> sideOf(String path, Map<String, SourceFile> migrations, Map<String, SourceFile> apps,
                                           Map<String, SourceFile> modules) {
        return migrationPaths.matches(path) ? migrations : isAppsPy(path) ? apps
                : path.endsWith(".py") || isTemplate(path) ? modules : null;
    }

    private DirCache readIndex() throws GitException {
        try {
            return repository.readDirCache();
        } catch (IOException | RuntimeException e) {
            throw new GitException("cannot read the index (" + e.getMessage() + "); if it is a split or sparse "
                    + "index, run `git update-index --no-split-index` or analyse a commit instead");
        }
    }

    private Snapshot fromIndex(DirCache cache) {
        Map<String, SourceFile> migrations = new TreeMap<>();
        Map<String, SourceFile> apps = new TreeMap<>();
        Set<String> packages = new HashSet<>();
        Map<String, SourceFile> modules = new java.util.HashMap<>();
        for (int i = 0; i < cache.getEntryCount(); i++) {
            DirCacheEntry e = cache.getEntry(i);
            if (e.getStage() == DirCacheEntry.STAGE_0) {
                collect(e.getPathString(), e.getObjectId(), e.getRawMode(), migrations, apps, packages, modules);
            }
        }
        migrationPaths.keepPackages(migrations, packages);
        return new Snapshot("the index", null, migrations, apps, modules);
    }

    /**
     * The migration files of the work tree as git would commit them after `git add -A` (see
     * {@link WorkTreeView}: ignored files, submodules and links' targets out, paths outside a
     * sparse checkout from the index). A migration or apps.py file is hashed now (so that one
     * equal to HEAD's compares equal), unless the index already knows its blob; one that cannot
     * be read gets no blob id and says why when its bytes are asked for.
     */
    public Snapshot workTreeSnapshot() throws GitException {
        if (workTree() == null) {
            throw new GitException("a bare repository has no work tree: analyse commits instead");
        }
        Map<String, SourceFile> migrations = new TreeMap<>();
        Map<String, SourceFile> apps = new TreeMap<>();
        Set<String> packages = new HashSet<>();
        Map<String, SourceFile> modules = new java.util.HashMap<>();
        try {
            WorkTreeView.walk(repository, reader, readIndex(), Integer.MAX_VALUE, path -> path.endsWith(".py"), entry -> {
                String path = entry.path();
                MigrationPaths.addPackageFolders(path, packages);
                if (migrationPaths.matches(path)) {
                    migrations.put(path, hashed(entry));
                } else if (isAppsPy(path)) {
                    apps.put(path, hashed(entry));
                } else {
                    // Read, and parsed, only if asked (a module defining a custom field class).
                    ObjectId id = entry.indexId();
                    modules.put(path, new SourceFile(path, id == null ? null : id.name(),
                            () -> WorkTreeView.bytes(entry, this::readBlob)));
                }
            });
        } catch (IOException e) {
            throw new GitException("cannot read the work tree: " + LocalFile.reason(e));
        }
        migrationPaths.keepPackages(migrations, packages);
        return new Snapshot("the work tree", null, migrations, apps, modules);
    }

    /** The id git would give these bytes as a blob (so a file equal to a committed one has its id). */
    public static String blobId(byte[] bytes) {
        return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, bytes).name();
    }

    /** A work-tree file with its blob id: the index's when known, else its bytes hashed like git does. */
    private SourceFile hashed(WorkTreeView.Entry entry) {
        if (entry.indexId() != null) {
            ObjectId id = entry.indexId().copy();
            return new SourceFile(entry.path(), id.name(), () -> WorkTreeView.bytes(entry, this::readBlob));
        }
        try {
            byte[] bytes = WorkTreeView.bytes(entry, this::readBlob);
            return new SourceFile(entry.path(), blobId(bytes), () -> bytes);
        } catch (LocalFile.Unreadable e) {
            return new SourceFile(entry.path(), null, () -> {
                throw e;
            });
        }
    }

    /** A Django template: where the deployed code's evidence may also be (read only when a finding asks). */
    public static boolean isTemplate(String path) {
        if (!path.contains("templates/")) {
            return false;
        }
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".html") || lower.endsWith(".txt") || lower.endsWith(".jinja") || lower.endsWith(".jinja2")
                || lower.endsWith(".j2");
    }

    private void collect(String path, ObjectId id, int mode, Map<String, SourceFile> migrations,
                         Map<String, SourceFile> apps, Set<String> packages, Map<String, SourceFile> modules) {
        EntryKind kind = EntryKind.of(mode);
        if (kind == EntryKind.OTHER) {
            return; // a submodule: a folder in a checkout, no module Django would import
        }
        MigrationPaths.addPackageFolders(path, packages);
        if (migrationPaths.matches(path)) {
            migrations.put(path, source(path, id, kind));
        } else if (kind != EntryKind.FILE) {
            return; // a link among the other modules: only migrations are worth a finding
        } else if (isAppsPy(path)) {
            apps.put(path, blob(path, id));
        } else if (path.endsWith(".py") || isTemplate(path)) {
            modules.put(path, blob(path, id));
        }
    }

    /**
     * Puts HEAD's version of a differing path in the side's map: removed when HEAD has no file
     * there (mode 0, or a submodule); a link only where a migration is looked for.
     */
    private void put(Map<String, SourceFile> side, String path, ObjectId id, int mode) {
        EntryKind kind = EntryKind.of(mode);
        if (id == null || kind == EntryKind.OTHER || kind == EntryKind.SYMLINK && !MigrationPaths.isMigrationFile(path)) {
            side.remove(path);
        } else {
            side.put(path, source(path, id, kind));
        }
    }

    /** A migration's entry: a blob read when asked, or a link, which is never read (see {@link UnreadableFile}). */
    private SourceFile source(String path, ObjectId id, EntryKind kind) {
        return kind == EntryKind.FILE ? blob(path, id) : new SourceFile(path, id.name(), ObjectProblems.symlink(path));
    }

    private static boolean isAppsPy(String path) {
        return path.endsWith("/" + APPS_PY) || path.equals(APPS_PY);
    }

    private SourceFile blob(String path, ObjectId id) {
        ObjectId copy = id.copy();
        return new SourceFile(path, copy.name(), () -> readBlob(path, copy));
    }

    /**
     * A file's bytes; {@link UnreadableFile} with one sentence when its object is missing from
     * the clone or cannot be decoded.
     */
    public byte[] readBlob(String path, ObjectId id) {
        try {
            return readBlob(id);
        } catch (UncheckedIOException e) {
            throw ObjectProblems.unreadable(e.getCause(), id, path, partialClone());
        }
    }

    private Boolean partialClone;

    /** Whether objects may be absent because the clone was made with a filter (read once). */
    private boolean partialClone() {
        if (partialClone == null) {
            partialClone = ObjectProblems.isPartialClone(repository.getConfig());
        }
        return partialClone;
    }

    /** Reads a blob's bytes. */
    public byte[] readBlob(ObjectId id) {
        if (looseFirst) {
            byte[] loose = LooseObjects.blob(objects, id);
            if (loose != null) {
                return loose;
            }
            looseFirst = false; // JGit reads its pack index now: from here on it answers at once
        }
        try {
            return reader.open(id, Constants.OBJ_BLOB).getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        } catch (MissingObjectException e) {
            throw new GitException(ObjectProblems.describe(e, id, expression, partialClone()));
        } catch (IOException e) {
            throw new GitException(ObjectProblems.sentence(e, "cannot read " + expression, partialClone()));
        }
    }

    private List<Blob> tree(ObjectId treeId, String prefix) throws IOException {
        List<Blob> out = new ArrayList<>();
        String base = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        walkFiles(treeId, (relative, id, mode) -> {
            String path = base + relative;
            if (EntryKind.of(mode) == EntryKind.FILE && migrationPaths.matches(path)) {
                try {
                    out.add(new Blob(path, reader.open(id).getBytes()));
                } catch (IOException e) {
                    throw new ObjectProblems.Described(ObjectProblems.describe(e, id, path, partialClone()));
                }
            }
        });
        return out;
    }

    /**
     * The newest commit at or before {@code commitId} (among the last {@code maxChanges} that
     * changed {@code path}) whose change removed the last line of the file matching
     * {@code declared}; null when none of them did, or history cannot be read (a shallow clone).
     */
    public RevCommit lastRemoving(String commitId, String path, java.util.regex.Pattern declared, int maxChanges) {
        try (RevWalk h = new RevWalk(reader)) {
            h.setTreeFilter(org.eclipse.jgit.treewalk.filter.AndTreeFilter.create(
                    org.eclipse.jgit.treewalk.filter.PathFilter.create(path),
                    org.eclipse.jgit.treewalk.filter.TreeFilter.ANY_DIFF));
            h.setRevFilter(org.eclipse.jgit.revwalk.filter.RevFilter.NO_MERGES); // the commit that made the change, not its merge
            h.markStart(h.parseCommit(ObjectId.fromString(commitId)));
            int seen = 0;
            for (RevCommit c = h.next(); c != null && seen < maxChanges; c = h.next(), seen++) {
                if (c.getParentCount() == 0) {
                    return null;
                }
                RevCommit parent = h.parseCommit(c.getParent(0));
                if (matches(parent, path, declared) && !matches(c, path, declared)) {
                    return c;
                }
            }
            return null;
        } catch (IOException | GitException | RuntimeException e) {
            return null; // a missing object or a shallow history: the finding just does not name the commit
        }
    }

    private boolean matches(RevCommit c, String path, java.util.regex.Pattern declared) throws GitException {
        byte[] bytes = fileAt(c, path);
        return bytes != null && declared.matcher(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).find();
    }

    /** Lists commits reachable from {@code head}, oldest first, parents before children. */
    public List<RevCommit> history(RevCommit head) throws GitException {
        try (RevWalk h = new RevWalk(reader)) {
            h.sort(org.eclipse.jgit.revwalk.RevSort.TOPO, true);
            h.sort(org.eclipse.jgit.revwalk.RevSort.REVERSE, true);
            h.markStart(h.parseCommit(head));
            List<RevCommit> out = new ArrayList<>();
            for (RevCommit c = h.next(); c != null; c = h.next()) {
                out.add(c);
            }
            return out;
        } catch (IOException e) {
            throw new GitException(ObjectProblems.sentence(e, "cannot walk history", partialClone()));
        }
    }

    @Override
    public void close() {
        walk.close();
        reader.close();
        repository.close();
    }
}
