package dev.migsafe.git;

import org.eclipse.jgit.lib.FileMode;

/**
 * What a tree or index entry is, told by its mode. Only regular files (100644, 100755) are files
 * whose bytes are source: a symbolic link's blob holds the path it points to, and a submodule
 * (gitlink, 160000) names a commit of another repository, which this clone does not hold.
 */
enum EntryKind {
    /** A regular file, executable or not. */
    FILE,
    /** A symbolic link: its blob is the link's target path, not the content a checkout shows. */
    SYMLINK,
    /** A submodule, a folder or a mode git does not write: nothing to read as a file. */
    OTHER;

    static EntryKind of(int rawMode) {
        int type = rawMode & FileMode.TYPE_MASK;
        if (type == FileMode.TYPE_FILE) {
            return FILE;
        }
        return type == FileMode.TYPE_SYMLINK ? SYMLINK : OTHER;
    }
}
