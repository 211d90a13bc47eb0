package dev.migsafe.deployed;

import dev.migsafe.python.ast.Module;

/** A line of a file's source as evidence shows it: trimmed and kept short. */
final class Lines {

    static final int MAX = 120;

    private Lines() {}

    static String of(Module m, int line) {
        return of(m.source(), line);
    }

    static String of(String source, int line) {
        int start = 0;
        for (int i = 1; i < line && start >= 0; i++) {
            start = source.indexOf('\n', start);
            start = start < 0 ? -1 : start + 1;
        }
        if (start < 0 || start > source.length()) {
            return "";
        }
        int end = source.indexOf('\n', start);
        return shorten(source.substring(start, end < 0 ? source.length() : end).strip());
    }

    static String shorten(String s) {
        return s.length() <= MAX ? s : s.substring(0, MAX - 1) + "…";
    }
}
