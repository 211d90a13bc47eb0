package dev.migsafe.git;

import java.io.IOException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ObjectId;

/**
 * One sentence for an object git cannot give: missing from a partial clone (fetched on demand by
 * git, never by migsafe, which does not go to the network), missing from a damaged clone, or
 * present but not decodable.
 */
final class ObjectProblems {

    private ObjectProblems() {}

    /**
     * Whether the clone was made with a filter (git clone --filter=...): objects its remote
     * promises may be absent. Git marks it with extensions.partialClone (older git) or a remote's
     * promisor setting.
     */
    static boolean isPartialClone(Config config) {
        if (config.getString("extensions", null, "partialclone") != null) {
            return true;
        }
        for (String remote : config.getSubsections("remote")) {
            if (config.getBoolean("remote", remote, "promisor", false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param what what the object is to the user ("app/migrations/0002_x.py", "the folder app/"),
     *     or null when that is not known
     */
    static String describe(IOException e, ObjectId id, String what, boolean partialClone) {
        String name = id.name();
        String object = "the object " + name + (what == null ? "" : " of " + what);
        if (e instanceof MissingObjectException) {
            return partialClone
                    ? object + " is missing (a partial clone): fetch it with `git cat-file -p " + name
                            + "` (git fetches missing objects on demand), or clone without --filter"
                    : object + " is missing (a damaged clone): check it with `git fsck` and fetch it again, or clone anew";
        }
        return object + " cannot be read (" + reason(e) + "): check it with `git fsck` and fetch it again, or clone anew";
    }

    /**
     * The sentence for a failed read of trees or commits: a missing object said as
     * {@link #describe} says it, a sentence already made kept, anything else after
     * {@code context} ("cannot compare trees").
     */
    static String sentence(IOException e, String context, boolean partialClone) {
        if (e instanceof Described) {
            return e.getMessage();
        }
        if (e instanceof MissingObjectException m && m.getObjectId() != null) {
            return describe(e, m.getObjectId(), null, partialClone);
        }
        return context + ": " + reason(e);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s+", " ").strip();
    }

    /** An object problem already said in one sentence (thrown where the path is known). */
    static final class Described extends IOException {
        Described(String sentence) {
            super(sentence);
        }
    }

    static UnreadableFile unreadable(IOException e, ObjectId id, String path, boolean partialClone) {
        return new UnreadableFile(describe(e, id, path, partialClone));
    }

    /** A symbolic link where a migration file is looked for. */
    static UnreadableFile.Content symlink(String path) {
        return new UnreadableFile.Content(path + " is a symbolic link in git: Django would import the file it points to, "
                + "which migsafe does not follow; commit the migration as a regular file");
    }
}
