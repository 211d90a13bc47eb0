package dev.migsafe.git;

import java.util.Locale;
import org.eclipse.jgit.lib.Config;

/**
 * The hash that names a repository's objects. JGit, and so migsafe, reads only SHA-1
 * repositories; a SHA-256 one (`git init --object-format=sha256`) opens without complaint but
 * then finds no object ("Missing unknown ..." on the first commit), so it is refused when
 * opened, in words.
 */
final class ObjectFormat {

    private ObjectFormat() {}

    /** Throws for any object format but SHA-1 (git's default, also when the key is absent). */
    static void check(Config config) throws GitException {
        String format = config.getString("extensions", null, "objectformat");
        if (format == null || format.equalsIgnoreCase("sha1")) {
            return;
        }
        if (format.equalsIgnoreCase("sha256")) {
            throw new GitException("this repository uses SHA-256 object names, which migsafe does not support yet");
        }
        throw new GitException("this repository uses the object format '" + format.toLowerCase(Locale.ROOT)
                + "' (extensions.objectFormat), which migsafe does not support: only SHA-1 repositories can be read");
    }
}
