package dev.migsafe.git;

import java.util.function.Supplier;

/**
 * A file of a snapshot (commit tree, index or work tree): its repository-relative path, its
 * blob id (null for work-tree files that are not in git) and its bytes, read only when asked.
 */
public record SourceFile(String path, String blobId, Supplier<byte[]> content) {

    public byte[] bytes() {
        return content.get();
    }
}
