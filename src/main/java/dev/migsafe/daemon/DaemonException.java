package dev.migsafe.daemon;

/** Why the resident process cannot be used or started: one sentence for the user. */
public final class DaemonException extends Exception {

    public DaemonException(String message) {
        super(message);
    }
}
