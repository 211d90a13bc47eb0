package dev.migsafe.git;

import java.util.regex.Pattern;

/**
 * A path glob as .gitignore users write them, matched against a whole '/'-separated path
 * relative to the repository root: {@code *} and {@code ?} stay within one folder name,
 * {@code **} as a whole segment spans any number of folders (none included), {@code [abc]} is a
 * character class ({@code [!abc]} negated), {@code \} escapes. A pattern ending in {@code /}
 * means everything below that folder.
 */
public final class Glob {

    private final String text;
    private final Pattern pattern;

    private Glob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException with the reason, for a pattern that is not a glob */
    public static Glob of(String text) {
        String g = text.startsWith("./") ? text.substring(2) : text.startsWith("/") ? text.substring(1) : text;
        if (g.endsWith("/")) {
            g = g + "**";
        }
        if (g.isEmpty()) {
            throw new IllegalArgumentException("an empty pattern matches nothing");
        }
        return new Glob(text, Pattern.compile(regex(g)));
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    private static String regex(String g) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < g.length()) {
            char c = g.charAt(i);
            boolean segmentStart = i == 0 || g.charAt(i - 1) == '/';
            if (c == '*' && g.startsWith("**", i) && segmentStart && (i + 2 == g.length() || g.charAt(i + 2) == '/')) {
                if (i + 2 == g.length()) {
                    re.append(".*");
                    i += 2;
                } else {
                    re.append("(?:[^/]*/)*"); // "**/": zero or more folders
                    i += 3;
                }
            } else if (c == '*') {
                re.append("[^/]*");
                while (i < g.length() && g.charAt(i) == '*') {
                    i++; // other runs of stars are one star, as in .gitignore
                }
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else if (c == '[') {
                int end = g.indexOf(']', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("'[' at position " + (i + 1) + " is never closed");
                }
                String body = g.substring(i + 1, end);
                boolean negated = body.startsWith("!") || body.startsWith("^");
                if (negated) {
                    body = body.substring(1);
                }
                re.append(negated ? "[^/" : "[").append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                i = end + 1;
            } else if (c == '\\') {
                if (i + 1 == g.length()) {
                    throw new IllegalArgumentException("it ends with a lone '\\'");
                }
                re.append(Pattern.quote(String.valueOf(g.charAt(i + 1))));
                i += 2;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return re.toString();
    }
}
