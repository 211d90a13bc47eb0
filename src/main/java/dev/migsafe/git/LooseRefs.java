package dev.migsafe.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;

/**
 * HEAD's commit id read the way git stores it in the common case: HEAD naming a branch whose ref
 * is a loose file, or HEAD detached. JGit parses the whole packed-refs file before it looks at a
 * loose ref (thousands of lines in a clone with many remote branches and tags); this reads two
 * small files. Anything else (a packed or missing branch, a reftable, a symbolic ref chain) is
 * null: ask JGit.
 */
final class LooseRefs {

    private LooseRefs() {}

    /**
     * @param gitDir the work tree's git dir (where HEAD is; a linked work tree has its own)
     * @param commonDir the git dir shared by all work trees (where branches are)
     */
    static ObjectId head(Path gitDir, Path commonDir) {
        String head = firstLine(gitDir.resolve("HEAD"));
        if (head == null) {
            return null;
        }
        if (ObjectId.isId(head)) {
            return ObjectId.fromString(head);
        }
        if (!head.startsWith("ref: refs/heads/")) {
            return null;
        }
        String name = head.substring("ref: ".length()).trim();
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        String target = firstLine(commonDir.resolve(name));
        return target != null && ObjectId.isId(target) ? ObjectId.fromString(target) : null;
    }

    private static String firstLine(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > 4096) {
                return null;
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return end < 0 ? text : text.substring(0, end);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
