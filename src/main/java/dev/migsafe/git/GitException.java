package dev.migsafe.git;

/** A repository problem the user can fix; the message is one sentence that says how. */
public final class GitException extends Exception {

    public GitException(String message) {
        super(message);
    }
}
