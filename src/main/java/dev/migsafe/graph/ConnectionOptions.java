package dev.migsafe.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The libpq `options` connection parameter (Django's DATABASES[...]["OPTIONS"]["options"]): the
 * command-line switches the server applies to the session, `-c name=value`, `-cname=value` or
 * `--name=value`. Spaces separate switches unless a backslash escapes them; nothing else is
 * quoting (a quote is part of the value). The server takes a setting's name in any case and
 * with `-` for `_`, and the last switch for a setting wins.
 */
final class ConnectionOptions {

    private ConnectionOptions() {}

    /**
     * A setting as the options string sets it.
     *
     * @param written the switch as written ("-c lock_timeout=5s"), for messages
     * @param value what it sets
     */
    record Switch(String written, String value) {}

    /** The last switch that sets {@code setting} (lower case, with underscores), or null. */
    static Switch last(String options, String setting) {
        List<String> words = words(options);
        Switch found = null;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String assignment;
            String written = word;
            if (word.equals("-c") && i + 1 < words.size()) {
                assignment = words.get(++i);
                written = "-c " + assignment;
            } else if (word.startsWith("--")) {
                assignment = word.substring(2);
            } else if (word.startsWith("-c")) {
                assignment = word.substring(2);
            } else {
                continue;
            }
            int eq = assignment.indexOf('=');
            if (eq > 0 && assignment.substring(0, eq).replace('-', '_').toLowerCase(Locale.ROOT).equals(setting)) {
                found = new Switch(written, assignment.substring(eq + 1));
            }
        }
        return found;
    }

    /** The words of an options string: split at spaces a backslash does not escape, escapes removed. */
    static List<String> words(String options) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            if (c == '\\' && i + 1 < options.length()) {
                c = options.charAt(++i);
            }
            word.append(c);
            inWord = true;
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
