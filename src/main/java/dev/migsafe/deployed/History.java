package dev.migsafe.deployed;

import java.util.regex.Pattern;

/** The deployed side's history: which commit removed a declaration (for a satisfied finding's message). */
@FunctionalInterface
public interface History {

    /** No history to read (the index, a repository without commits). */
    History NONE = (path, declared) -> null;

    /** The short id of the commit that removed the last line of {@code path} matching {@code declared}, or null. */
    String removedIn(String path, Pattern declared);
}
