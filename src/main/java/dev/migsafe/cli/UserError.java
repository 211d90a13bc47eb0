package dev.migsafe.cli;

/** An error the user caused and can fix; printed as one sentence, exit code 2. */
final class UserError extends RuntimeException {

    UserError(String message) {
        super(message);
    }
}
