package dev.migsafe.git;

import java.util.function.Supplier;

/**
 * A file of a snapshot whose content cannot be had: its git object is missing from a partial or
 * damaged clone, cannot be decoded, or the entry is a symbolic link. Thrown by
 * {@link SourceFile#bytes()}; the message is one sentence that names the file and says what to
 * do. Readers turn it into a finding on that file (P006) and go on with the others.
 */
public final class UnreadableFile extends RuntimeException {

    public UnreadableFile(String message) {
        super(message, null, false, false); // a user's problem, not a bug: no stack trace to keep
    }

    /**
     * The content of a file known to be unreadable before anything is read (a symbolic link).
     * Readers can tell it from other content and skip the parse cache, which is keyed by blob id
     * and may hold a regular file with the same bytes as the link's target path.
     */
    public record Content(String message) implements Supplier<byte[]> {
        @Override
        public byte[] get() {
            throw new UnreadableFile(message);
        }
    }

    /** The reason a source file is known to be unreadable without reading it, or null. */
    public static String knownReason(SourceFile file) {
        return file.content() instanceof Content c ? c.message() : null;
    }
}
