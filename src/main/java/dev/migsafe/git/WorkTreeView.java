package dev.migsafe.git;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.FS_POSIX;

/**
 * The work tree as git would commit it after `git add -A`: the files git tracks, as they are on
 * disk, and the files it would add; not what a plain directory walk finds. So:
 * <ul>
 * <li>ignored files are out (a `build/lib/.../migrations` copy, a virtualenv), by git's own
 * rules (.gitignore files, .git/info/exclude, core.excludesFile), unless tracked;
 * <li>a submodule's checkout (a gitlink in the index, or any folder holding a `.git`) is not
 * entered, as git does not;
 * <li>a symbolic link is its link text, as git stores it: never read through (a link to a
 * migration of another app is no edit of this one, a link loop or to a device no deletion);
 * <li>paths a sparse checkout leaves out (skip-worktree) and assume-unchanged paths are taken
 * from the index, not reported as deleted;
 * <li>a named pipe, socket or device is not a file git would add (git refuses them); at a path
 * git tracks it is reported as unreadable there (git shows such a path modified);
 * <li>every file is read by {@link LocalFile}: type and size checked before it is opened.
 * </ul>
 * A file whose size and modification time match its index entry (and that is not racily clean,
 * i.e. modified in the same tick the index was written) is taken to hold the index's blob: it is
 * not read and hashed unless asked for, as git's own status does. Nothing runs git's filters
 * (clean, autocrlf) and nothing here starts a process.
 */
final class WorkTreeView {

    /**
     * A file of the view.
     *
     * @param path repository-relative, '/'-separated
     * @param indexId the blob id the index has for it when the file on disk is known to hold it
     *     (unchanged since the index was written, or not checked out), else null
     * @param file where it is on disk; null when it is taken from the index (not checked out)
     * @param link whether it is a symbolic link (its bytes are the link text)
     */
    record Entry(String path, ObjectId indexId, Path file, boolean link) {}

    private WorkTreeView() {}

    /**
     * Calls {@code visit} for every file of the view whose path {@code wanted} accepts, in path
     * order, without entering folders deeper than {@code maxDepth} (1: the root's files only) or
     * folders that are never searched ({@link MigrationPaths#isPrunedFolder}).
     */
    static void walk(Repository repository, ObjectReader reader, DirCache index, int maxDepth,
                     Predicate<String> wanted, Consumer<Entry> visit) throws IOException {
        Path root = repository.getWorkTree().toPath();
        Instant indexTime = indexTime(repository);
        Set<String> seen = new HashSet<>(); // unmerged paths already visited
        try (TreeWalk walk = new TreeWalk(repository, reader)) {
            int inIndex = walk.addTree(new DirCacheIterator(index));
            FileTreeIterator disk = new Disk(repository);
            // Which folders are entered is decided below: an ignored folder can hold tracked files
            // (`.claude` ignored, `!.claude/skills/` tracked), which JGit alone would not list.
            disk.setWalkIgnoredDirectories(true);
            int onDisk = walk.addTree(disk);
            disk.setDirCacheIterator(walk, inIndex);
            walk.setRecursive(false);
            while (walk.next()) {
                DirCacheIterator i = walk.getTree(inIndex, DirCacheIterator.class);
                WorkingTreeIterator w = walk.getTree(onDisk, WorkingTreeIterator.class);
                DirCacheEntry e = i == null ? null : i.getDirCacheEntry();
                int diskMode = w == null ? 0 : w.getEntryRawMode();
                String path = walk.getPathString();
                if (walk.isSubtree()) {
                    if (enters(walk, w, diskMode, maxDepth, root.resolve(path))) {
                        walk.enterSubtree();
                    }
                    continue;
                }
                if (!wanted.test(path)) {
                    continue;
                }
                if (e != null && e.getStage() != DirCacheEntry.STAGE_0 && !seen.add(path)) {
                    continue; // an unmerged path comes once per stage: the first is the work tree's
                }
                Entry entry = entry(path, e, w, diskMode, root, indexTime);
                if (entry != null) {
                    visit.accept(entry);
                }
            }
        }
    }

    /** Whether a folder is part of the view: tracked, or untracked and neither ignored nor another repository. */
    private static boolean enters(TreeWalk walk, WorkingTreeIterator w, int diskMode, int maxDepth, Path dir)
            throws IOException {
        if (walk.getDepth() + 1 >= maxDepth || MigrationPaths.isPrunedFolder(walk.getNameString())) {
            return false;
        }
        boolean tracked = FileMode.TREE.equals(walk.getRawMode(0)); // tree 0: the index
        if (tracked) {
            return true; // the index holds files below it (their checkouts are judged one by one)
        }
        if (w == null || FileMode.TREE.getBits() != (diskMode & FileMode.TYPE_MASK)) {
            return false;
        }
        // An untracked folder: git adds nothing below it when it is ignored or is a repository of its own.
        return !w.isEntryIgnored() && !Files.exists(dir.resolve(".git"), LinkOption.NOFOLLOW_LINKS);
    }

    private static Entry entry(String path, DirCacheEntry e, WorkingTreeIterator w, int diskMode, Path root,
                               Instant indexTime) throws IOException {
        boolean tracked = e != null;
        if (tracked && (e.getFileMode() == FileMode.GITLINK)) {
            return null; // a submodule: its files are another repository's
        }
        if (tracked && e.getStage() == DirCacheEntry.STAGE_0 && (e.isSkipWorkTree() || e.isAssumeValid())) {
            return new Entry(path, e.getObjectId(), null, e.getFileMode() == FileMode.SYMLINK);
        }
        if (w == null) {
            return null; // tracked and deleted from the disk: gone
        }
        int type = diskMode & FileMode.TYPE_MASK;
        if (type == FileMode.TYPE_GITLINK || type == FileMode.TYPE_TREE) {
            return null; // a repository of its own (or a folder where the index has a file)
        }
        if (!tracked && w.isEntryIgnored()) {
            return null;
        }
        Path file = root.resolve(path);
        if (type == FileMode.TYPE_SYMLINK) {
            return new Entry(path, null, file, true);
        }
        // JGit takes anything that is no folder or link for a file: ask the file system itself.
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
            return tracked ? new Entry(path, null, file, false) : null; // read (and reported) when asked for
        }
        if (!a.isRegularFile()) {
            // git refuses to add it; where git tracks the path it shows it modified: a file that
            // cannot be read there (LocalFile says why when it is asked for its bytes).
            return tracked ? new Entry(path, null, file, false) : null;
        }
        boolean unchanged = tracked && e.getStage() == DirCacheEntry.STAGE_0 && !e.isIntentToAdd()
                && (e.getFileMode() == FileMode.REGULAR_FILE || e.getFileMode() == FileMode.EXECUTABLE_FILE)
                && e.getLength() == (int) a.size()
                && e.getLastModifiedInstant().equals(a.lastModifiedTime().toInstant())
                && indexTime != null && e.getLastModifiedInstant().isBefore(indexTime);
        return new Entry(path, unchanged ? e.getObjectId() : null, file, false);
    }

    /**
     * JGit's work-tree iterator, reading the files it opens itself (the .gitignore of each folder)
     * as {@link LocalFile} does: a named pipe or a device there would make it wait forever (git
     * itself hangs on a pipe named .gitignore), a huge file would fill the memory. Such a file
     * makes the walk fail with one sentence instead.
     */
    private static final class Disk extends FileTreeIterator {
        Disk(Repository repository) {
            super(repository.getWorkTree(), safe(repository.getFS()),
                    repository.getConfig().get(org.eclipse.jgit.treewalk.WorkingTreeOptions.KEY));
            initRootIterator(repository);
        }

        private static FS safe(FS fs) {
            return fs instanceof FS_POSIX ? new CheckedFs(fs) : fs; // other systems have no pipes in the tree
        }
    }

    /** The POSIX file system of JGit, whose listed entries open only regular files, bounded. */
    private static final class CheckedFs extends FS_POSIX {
        CheckedFs(FS fs) {
            super(fs);
        }

        @Override
        public FS newInstance() {
            return new CheckedFs(this);
        }

        @Override
        public WorkingTreeIterator.Entry[] list(File directory, FileTreeIterator.FileModeStrategy strategy) {
            File[] files = directory.listFiles();
            if (files == null) {
                return new WorkingTreeIterator.Entry[0];
            }
            WorkingTreeIterator.Entry[] out = new WorkingTreeIterator.Entry[files.length];
            for (int i = 0; i < files.length; i++) {
                out[i] = new CheckedEntry(files[i], this, strategy);
            }
            return out;
        }
    }

    private static final class CheckedEntry extends FileTreeIterator.FileEntry {
        CheckedEntry(File file, FS fs, FileTreeIterator.FileModeStrategy strategy) {
            super(file, fs, strategy);
        }

        @Override
        public InputStream openInputStream() throws IOException {
            if (getMode() == FileMode.SYMLINK) {
                return super.openInputStream(); // JGit reads a link's text, not its target
            }
            try {
                return new ByteArrayInputStream(LocalFile.read(getFile().toPath(), getFile().toPath().normalize().toString(), false));
            } catch (LocalFile.Unreadable e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** When the index file was written (entries modified at or after it may be racily clean); null when unknown. */
    private static Instant indexTime(Repository repository) {
        File indexFile = repository.getIndexFile();
        try {
            return Files.getLastModifiedTime(indexFile.toPath()).toInstant();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The bytes of a view's entry: the index's blob, the link text, or the file read by {@link LocalFile}. */
    static byte[] bytes(Entry entry, Function<ObjectId, byte[]> blobs) {
        if (entry.file() == null) {
            return blobs.apply(entry.indexId());
        }
        if (entry.link()) {
            return LocalFile.link(entry.file(), entry.path());
        }
        return LocalFile.read(entry.file(), entry.path(), false);
    }
}
